// The umbrella API: one import gives every package, and using it end to end works.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as wasmCompose from "../src/index.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/prebuilt/${name}.wasm`, import.meta.url));

describe("wasm-compose umbrella API", () => {
  it("exposes each package under its namespace", () => {
    expect(typeof wasmCompose.wit.parseWit).toBe("function");
    expect(typeof wasmCompose.component.componentWorld).toBe("function");
    expect(typeof wasmCompose.oci.parseReference).toBe("function");
    expect(typeof wasmCompose.compose.plug).toBe("function");
    expect(typeof wasmCompose.bindgen.generateHostPackage).toBe("function");
    expect(typeof wasmCompose.main).toBe("function");
  });

  it("reads a component's world and prints it as WIT through the namespaces", async () => {
    const bytes = new Uint8Array(await readFile(fixture("c-stats")));
    const { resolve, package: pkg } = wasmCompose.component.componentWorld(bytes);
    const text = wasmCompose.wit.printWit(resolve, pkg);
    expect(text).toContain("export example:math/stats@0.1.0;");
  });
});
