// A componentize-js component with its default WASI imports (about 12 MB, 5-20 s to build).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { componentWorld, encodeWitPackage, printComponentWit } from "../src/index.js";
import { componentFromWitPackage, tools } from "./jco.js";

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

describe("componentize-js output", () => {
  it("decodes the world with its WASI imports as jco does, and re-embeds", { timeout: 120_000 }, async () => {
    const { componentize } = await import("@bytecodealliance/componentize-js");
    const dir = await mkdtemp(join(tmpdir(), "componentize-"));
    const sourcePath = join(dir, "greet.js");
    await writeFile(sourcePath, `export function greet(name) { return "hi " + name; }`);
    const witPath = join(dir, "hello.wit");
    await writeFile(witPath, "package ex:js;\nworld hello { export greet: func(name: string) -> string; }");
    const { component } = await componentize({ sourcePath, witPath, worldName: "hello" });
    await rm(dir, { recursive: true, force: true });
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
