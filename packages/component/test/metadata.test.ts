import { describe, expect, it } from "vitest";
import { ComponentBuilder, readMetadata, writeMetadata } from "../src/index.js";
import { componentFromWit, tools } from "./jco.js";

const WIT = "package ex:m;\nworld w { export f: func(); }";

describe("metadata", () => {
  it("reads what jco's metadataAdd writes", async () => {
    const t = await tools();
    const c = await t.metadataAdd(await componentFromWit(WIT, "w"), [["language", [["javascript", "ES2024"]]]]);
    const md = readMetadata(c);
    expect(md.producers.get("language")).toEqual(new Map([["javascript", "ES2024"]]));
    expect(md.producers.get("processed-by")?.has("wit-component")).toBe(true);
  });

  it("writes producers and a name that jco's metadataShow reads", async () => {
    const t = await tools();
    const c = await componentFromWit(WIT, "w");
    const out = writeMetadata(c, {
      name: "my-component",
      producers: new Map([["processed-by", new Map([["wasm-compose", "0.1.0"]])]]),
    });
    const shown = await t.metadataShow(out);
    expect(shown[0].name).toBe("my-component");
    const fields = new Map(shown[0].producers);
    expect(fields.get("processed-by")).toContainEqual(["wasm-compose", "0.1.0"]);
    // Merged with what was there.
    expect(fields.get("processed-by")?.some(([n]) => n === "wit-component")).toBe(true);
    // Still a valid component: jco reads its world.
    expect(await t.componentWit(out)).toContain("export f: func();");
  });

  it("adds, replaces and removes the wasm-metadata text sections", async () => {
    const c = await componentFromWit(WIT, "w");
    const a = writeMetadata(c, {
      authors: "Ada <ada@example.com>",
      description: "A test component",
      licenses: "Apache-2.0",
      source: "https://example.com/src",
      homepage: "https://example.com",
      revision: "abc123",
      version: "1.2.3",
    });
    expect(readMetadata(a)).toMatchObject({
      authors: "Ada <ada@example.com>",
      description: "A test component",
      licenses: "Apache-2.0",
      source: "https://example.com/src",
      homepage: "https://example.com",
      revision: "abc123",
      version: "1.2.3",
    });
    const b = writeMetadata(a, { version: "2.0.0", description: null });
    const md = readMetadata(b);
    expect(md.version).toBe("2.0.0");
    expect(md.description).toBeNull();
    expect(md.authors).toBe("Ada <ada@example.com>");
    // Replaced in place: one section per field.
    expect(b.length).toBe(a.length - "A test component".length - "description".length - 3);
  });

  it("reads and writes the name section of core modules", async () => {
    const m = await (await tools()).parse("(module $mod (func $f))");
    expect(readMetadata(m).name).toBe("mod");
    const renamed = writeMetadata(m, { name: "other" });
    expect(readMetadata(renamed).name).toBe("other");
    // The function names subsection is kept.
    expect(await (await tools()).print(renamed)).toContain("$f");
  });

  it("reads the component-name section writeMetadata adds", () => {
    const out = writeMetadata(new ComponentBuilder().finish(), { name: "built" });
    expect(readMetadata(out).name).toBe("built");
  });

  it("writes component-name and producers sections from the builder as jco parses them from WAT", async () => {
    const t = await tools();
    const expected = await t.parse(`(component $built (@producers (processed-by "wasm-compose" "0.1.0")))`);
    const b = new ComponentBuilder();
    b.producers(new Map([["processed-by", new Map([["wasm-compose", "0.1.0"]])]]));
    b.componentName("built");
    const ours = b.finish();
    // Same sections (the text format puts the name first).
    expect(await t.print(ours)).toBe(await t.print(expected));
    expect(readMetadata(ours).name).toBe("built");
    expect((await t.metadataShow(ours))[0].producers).toEqual([["processed-by", [["wasm-compose", "0.1.0"]]]]);
  });
});
