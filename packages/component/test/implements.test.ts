// Interfaces under plain names (`import x: ns:pkg/i;`, component-model#613): the binary names them
// with `(implements "ns:pkg/i")`. Read, printed and written as jco's wasm-tools does.
import { parseWitPackage, printWit } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { NAMED_INTERFACES_WIT } from "../../../fixtures/lib/named-interfaces.js";
import { componentWorld, decodeWitPackage, encodeWitPackage, parseComponent, printComponentWit } from "../src/index.js";
import { componentFromWit, componentFromWitPackage, tools } from "./jco.js";

const WIT = NAMED_INTERFACES_WIT;

describe("plain-named interfaces (implements)", () => {
  it("reads jco's component: the names carry the interface, and the world prints as jco prints it", async () => {
    const c = await componentFromWit(WIT, "app");
    const imports = parseComponent(c).sections.flatMap((s) => (s.kind === "import" ? s.items : []));
    const primary = imports.find((i) => i.name.name === "primary");
    expect(primary?.name.implements).toBe("ex:named/store@1.0.0");
    const printed = printComponentWit(c);
    expect(printed).toContain("import primary: ex:named/store@1.0.0;");
    expect(printed).toBe(await (await tools()).componentWit(c));
    // Both names and the direct import share one interface in the decoded world.
    const { resolve, world } = componentWorld(c);
    const ids = ["primary", "secondary"].map((n) => {
      const item = resolve.worlds[world].imports.get(n);
      return item?.tag === "interface" ? item.id : -1;
    });
    expect(ids[0]).toBe(ids[1]);
    expect(resolve.worlds[world].imports.has(ids[0]!)).toBe(true);
  });

  it("writes a WIT package that jco reads back to the same component as the WIT source", async () => {
    const { resolve, packageId } = parseWitPackage(WIT);
    const pkg = encodeWitPackage(resolve, packageId);
    const t = await tools();
    const fromOurs = await componentFromWitPackage(pkg, "app");
    const fromSource = await componentFromWit(WIT, "app");
    expect(await t.print(fromOurs)).toBe(await t.print(fromSource));
    expect(await t.print(fromOurs)).toContain('(import "primary" (implements "ex:named/store@1.0.0")');
  });

  it("decodes its own WIT package to the same WIT", () => {
    const { resolve, packageId } = parseWitPackage(WIT);
    const back = decodeWitPackage(encodeWitPackage(resolve, packageId));
    expect(printWit(back.resolve, back.package)).toBe(printWit(resolve, packageId));
    expect(printWit(back.resolve, back.package)).toContain("export cache: store;");
  });
});
