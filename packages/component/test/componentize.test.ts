// A componentize-js component with its default WASI imports (about 12 MB, 5-20 s to build).
import { describe, expect, it } from "vitest";
import { componentWorld, encodeWitPackage, printComponentWit } from "../src/index.js";
import { componentFromWitPackage, tools } from "./jco.js";

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

describe("componentize-js output", () => {
  it("decodes the world with its WASI imports as jco does, and re-embeds", { timeout: 120_000 }, async () => {
    const { componentize } = await import("@bytecodealliance/componentize-js");
    const { component } = await componentize(
      `export function greet(name) { return "hi " + name; }`,
      "package ex:js;\nworld hello { export greet: func(name: string) -> string; }",
      { worldName: "hello" },
    );
    const bytes = new Uint8Array(component);
    const t = await tools();
    const expected = await t.componentWit(bytes);
    expect(expected).toContain("import wasi:");
    expect(squash(printComponentWit(bytes))).toBe(squash(expected));
    const world = componentWorld(bytes);
    const again = await componentFromWitPackage(encodeWitPackage(world.resolve, world.package), "root");
    expect(await t.componentWit(again)).toBe(expected);
  });
});
