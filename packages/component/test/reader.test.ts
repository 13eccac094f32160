import { describe, expect, it } from "vitest";
import {
  binaryKind,
  ComponentBuilder,
  ComponentError,
  componentWorld,
  parseComponent,
  type TypeDeclInput,
} from "../src/index.js";
import { componentFromWit, fixtureComponents, tools } from "./jco.js";

const WIT = `package ex:r@1.0.0;
interface i {
  resource r { constructor(); m: func(x: list<tuple<u8, string>>) -> option<r>; }
  variant v { a, b(u32) }
  f: func(v: v) -> result<r, string>;
}
world w { import i; export i; export g: func(); }`;

/** True when `fn` returns or throws a ComponentError; anything else is a bug. */
function onlyComponentErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof ComponentError) return true;
    throw e;
  }
}

describe("parseComponent", () => {
  it("reads every section of a wit-component output, core modules as ranges only", async () => {
    const bytes = await componentFromWit(WIT, "w");
    const c = parseComponent(bytes);
    const kinds = new Set(c.sections.map((s) => s.kind));
    for (const k of [
      "type",
      "import",
      "alias",
      "core-module",
      "core-instance",
      "canon",
      "component",
      "instance",
      "export",
      "custom",
    ]) {
      expect(kinds.has(k as never)).toBe(true);
    }
    for (const s of c.sections) {
      if (s.kind !== "core-module") continue;
      // A core module range starts with the module preamble.
      expect(binaryKind(bytes.subarray(s.range.offset, s.range.offset + s.range.length))).toBe("module");
    }
    const imports = c.sections.flatMap((s) => (s.kind === "import" ? s.items : []));
    expect(imports.map((i) => [i.name.name, i.name.form, i.desc.kind])).toEqual([
      ["ex:r/i@1.0.0", "interface", "instance"],
    ]);
  });

  it("classifies url, integrity and dep name forms", async () => {
    const bytes = await (await tools()).parse(`(component
      (import "url=<https://example.com/a.wasm>" (func))
      (import "integrity=<sha256-abc>" (func))
      (import "locked-dep=<a:b@1.0.0>" (func))
      (import "plain" (func)))`);
    const imports = parseComponent(bytes).sections.flatMap((s) => (s.kind === "import" ? s.items : []));
    expect(imports.map((i) => i.name.form)).toEqual(["url", "integrity", "dep", "kebab"]);
  });

  it("reads core sort 0x20 (an exact function) in an alias as a function, as wasmparser does", async () => {
    const t = await tools();
    const bytes = new Uint8Array(
      await t.parse(`(component
        (core module $m (func (export "f")))
        (core instance $i (instantiate $m))
        (alias core export $i "f" (core func $f))
        (func (export "g") (canon lift (core func $f))))`),
    );
    // The alias section: id 6, size, count 1, sort 0x00 (core), core sort 0x00 (func), 0x01 (export).
    const at = bytes.findIndex(
      (b, i) => b === 6 && bytes[i + 2] === 1 && bytes[i + 3] === 0 && bytes[i + 4] === 0 && bytes[i + 5] === 1,
    );
    expect(at).toBeGreaterThan(8);
    const exact = bytes.slice();
    exact[at + 4] = 0x20;
    await t.print(exact); // valid for jco (print validates)
    const alias = parseComponent(exact).sections.find((s) => s.kind === "alias");
    expect(alias).toMatchObject({ items: [{ sort: { core: "func" } }] });
    expect(componentWorld(exact).resolve.worlds.length).toBe(1);
  });

  it("reads the fixture components", () => {
    for (const f of fixtureComponents()) {
      const c = parseComponent(f.bytes);
      expect(c.range).toEqual({ offset: 0, length: f.bytes.length });
    }
  });

  it("rejects core modules and garbage with BAD_HEADER", async () => {
    const module = await (await tools()).parse("(module)");
    expect(() => parseComponent(module)).toThrow(expect.objectContaining({ code: "BAD_HEADER", offset: 6 }));
    expect(() => parseComponent(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: "BAD_HEADER" }));
  });

  it("reports truncation as UNEXPECTED_END or BAD_SECTION_SIZE with an offset, at every length", async () => {
    const bytes = await componentFromWit(WIT, "w");
    for (let n = 8; n < bytes.length; n++) {
      try {
        parseComponent(bytes.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(ComponentError);
        expect(["UNEXPECTED_END", "BAD_SECTION_SIZE", "BAD_COUNT"]).toContain((e as ComponentError).code);
        expect((e as ComponentError).offset).toBeGreaterThanOrEqual(0);
        expect((e as ComponentError).offset).toBeLessThanOrEqual(n);
      }
    }
  });

  it("never throws anything but ComponentError on mutated input", async () => {
    const bytes = await componentFromWit(WIT, "w");
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const m = bytes.slice();
      for (let k = 1 + rand(4); k > 0; k--) m[8 + rand(m.length - 8)] = rand(256);
      expect(onlyComponentErrors(() => componentWorld(m))).toBe(true);
    }
  });

  it("rejects huge counts without allocating", () => {
    // A type section claiming 2^32-1 types in 5 bytes.
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 7, 5, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => parseComponent(bytes)).toThrow(expect.objectContaining({ code: "BAD_COUNT", offset: 10 }));
  });
});

describe("hostile nesting", () => {
  const expectCode = (fn: () => unknown, code: string) =>
    expect(fn).toThrow(expect.objectContaining({ name: "ComponentError", code }));

  it("rejects anonymous types nested without end instead of overflowing the stack", () => {
    const b = new ComponentBuilder();
    let t = b.defineType({ kind: "defined", type: { kind: "list", element: { prim: "u8" } } });
    for (let i = 0; i < 100_000; i++) t = b.defineType({ kind: "defined", type: { kind: "list", element: t } });
    const f = b.type({ kind: "func", async: false, params: [{ name: "x", type: t }], result: null });
    b.import("f", { kind: "func", type: f });
    expectCode(() => componentWorld(b.finish()), "UNSUPPORTED");
  });

  it("follows long chains of type names without recursion", () => {
    const decls: TypeDeclInput[] = [
      { kind: "type", type: { kind: "defined", type: { kind: "list", element: { prim: "u8" } } } },
    ];
    for (let i = 0; i < 50_000; i++)
      decls.push({ kind: "export", name: `t${i}`, desc: { kind: "type", bound: { eq: i } } });
    decls.push({
      kind: "type",
      type: { kind: "func", async: false, params: [{ name: "x", type: 50_000 }], result: null },
    });
    decls.push({ kind: "export", name: "f", desc: { kind: "func", type: 50_001 } });
    const b = new ComponentBuilder();
    const it = b.defineType({ kind: "instance", decls });
    b.import("ex:deep/i", { kind: "instance", type: it });
    const { resolve } = componentWorld(b.finish());
    const iface = resolve.interfaces[resolve.packages[resolve.packageNames.get("ex:deep")!].interfaces.get("i")!];
    expect(iface.types.size).toBe(50_000);
    expect(iface.functions.get("f")?.params[0].type).toBe(iface.types.get("t49999"));
  });

  it("rejects instantiation chains through outer aliases", () => {
    const b = new ComponentBuilder();
    b.component(new ComponentBuilder().finish());
    for (let i = 1; i <= 10_000; i++) {
      const inner = new ComponentBuilder();
      inner.alias({ kind: "outer", sort: "component", count: 1, index: i - 1 });
      inner.instantiate(0, []);
      b.component(inner.finish());
    }
    b.instantiate(10_000, []);
    expectCode(() => componentWorld(b.finish()), "UNSUPPORTED");
  });
});
