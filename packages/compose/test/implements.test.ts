// Plain-named imports of one interface (`import primary: store;`, the binary's `(implements ...)`):
// plugged by name, the one left open keeps its annotation, and the result is valid for jco.
import { componentWit, print } from "@bytecodealliance/jco";
import { plug } from "@wasm-compose/compose";
import { describe, expect, it } from "vitest";
import { NAMED_INTERFACES_WIT } from "../../../fixtures/lib/named-interfaces.js";
import { componentFromWit } from "./wit-components.js";

const WIT = NAMED_INTERFACES_WIT;

describe("plugging plain-named interface imports", () => {
  it("plugs one name and leaves the other open with its interface", async () => {
    const app = await componentFromWit(WIT, "app");
    const provider = await componentFromWit(WIT, "provider");
    const out = plug({ name: "app", bytes: app }, [{ name: "provider", bytes: provider }]);
    const wit = await componentWit(out.bytes);
    expect(wit).toContain("import secondary: ex:named/store@1.0.0;");
    expect(wit).not.toContain("import primary");
    expect(wit).toContain("export run: func() -> u32;");
    // The open import still names the interface it implements (jco's print validates first).
    expect(await print(out.bytes)).toMatch(/\(import "secondary" \(implements "ex:named\/store@1\.0\.0"\)/);
  });
});
