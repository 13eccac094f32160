import { parseWitPackage } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { ByteWriter, COMPONENT_PREAMBLE, ComponentBuilder, ComponentWitWriter, parseComponent } from "../src/index.js";
import { componentFromWit, fixtureComponents, tools } from "./jco.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("LEB128 and names", () => {
  it("encodes unsigned LEB128 at the byte-length boundaries", () => {
    const cases: [number, string][] = [
      [0, "00"],
      [127, "7f"],
      [128, "8001"],
      [16383, "ff7f"],
      [16384, "808001"],
      [0xffffffff, "ffffffff0f"],
    ];
    for (const [n, h] of cases) expect(hex(new ByteWriter().u32(n).finish())).toBe(h);
  });

  it("encodes signed LEB128 (s33 type indices)", () => {
    const cases: [number, string][] = [
      [0, "00"],
      [63, "3f"],
      [64, "c000"],
      [129, "8101"],
      [-1, "7f"],
      [-64, "40"],
      [-65, "bf7f"],
    ];
    for (const [n, h] of cases) expect(hex(new ByteWriter().s33(n).finish())).toBe(h);
  });

  it("prefixes names with their UTF-8 byte length", () => {
    expect(hex(new ByteWriter().name("héllo").finish())).toBe("0668c3a96c6c6f");
  });
});

describe("ComponentBuilder", () => {
  it("writes the same bytes as jco parses from equivalent WAT", async () => {
    const longName = "a".repeat(200);
    const wat = `(component
      ${Array.from({ length: 130 }, (_, i) => `(type (record (field "f${i}" u8)))`).join("\n")}
      (type (list 129))
      (type (func (param "a" 130) (result string)))
      (import "${longName}" (func (type 131)))
      (type (instance (export "t" (type (sub resource))) (type (own 0)) (export "r" (type (eq 1))) (alias outer 1 5 (type))))
      (import "x:y/z@1.0.0" (instance (type 132)))
      (alias export 0 "t" (type))
      (type (func))
      (import "g" (func (type 134)))
      (instance (export "f" (func 0)) (export "t" (type 133)))
      (export "h" (func 0))
      (export "i" (instance 1) (instance (type 132)))
      (@custom "héllo" "data")
    )`;
    const expected = await (await tools()).parse(wat);

    const b = new ComponentBuilder();
    for (let i = 0; i < 130; i++) {
      expect(
        b.type({ kind: "defined", type: { kind: "record", fields: [{ name: `f${i}`, type: { prim: "u8" } }] } }),
      ).toBe(i);
    }
    // Memoised: the same structure again is the same index, and writes nothing.
    expect(b.type({ kind: "defined", type: { kind: "record", fields: [{ name: "f5", type: { prim: "u8" } }] } })).toBe(
      5,
    );
    const list = b.type({ kind: "defined", type: { kind: "list", element: 129 } });
    const fn = b.type({ kind: "func", async: false, params: [{ name: "a", type: list }], result: { prim: "string" } });
    expect(b.import(longName, { kind: "func", type: fn })).toBe(0);
    const inst = b.type({
      kind: "instance",
      decls: [
        { kind: "export", name: "t", desc: { kind: "type", bound: "sub-resource" } },
        { kind: "type", type: { kind: "defined", type: { kind: "own", type: 0 } } },
        { kind: "export", name: "r", desc: { kind: "type", bound: { eq: 1 } } },
        { kind: "alias", alias: { kind: "outer", sort: "type", count: 1, index: 5 } },
      ],
    });
    expect(b.import("x:y/z@1.0.0", { kind: "instance", type: inst })).toBe(0);
    expect(b.alias({ kind: "export", sort: "type", instance: 0, name: "t" })).toBe(133);
    const empty = b.type({ kind: "func", async: false, params: [], result: null });
    expect(b.import("g", { kind: "func", type: empty })).toBe(1);
    const bag = b.instance([
      { name: "f", item: { sort: "func", index: 0 } },
      { name: "t", item: { sort: "type", index: 133 } },
    ]);
    expect(bag).toBe(1);
    expect(b.export("h", { sort: "func", index: 0 })).toBe(2);
    expect(b.export("i", { sort: "instance", index: 1 }, { kind: "instance", type: inst })).toBe(2);
    b.custom("héllo", new TextEncoder().encode("data"));
    expect(hex(b.finish())).toBe(hex(expected));
  });

  it("copies nested components and core modules as raw bytes", async () => {
    const t = await tools();
    const inner = await t.parse(`(component (type (func)) (import "f" (func (type 0))) (export "g" (func 0)))`);
    const module = await t.parse(`(module (func (export "x")))`);
    const b = new ComponentBuilder();
    expect(b.coreModule(module)).toBe(0);
    expect(b.component(inner)).toBe(0);
    const f = b.type({ kind: "func", async: false, params: [], result: null });
    b.import("f", { kind: "func", type: f });
    const i = b.instantiate(0, [{ name: "f", item: { sort: "func", index: 0 } }]);
    b.alias({ kind: "export", sort: "func", instance: i, name: "g" });
    b.export("g", { sort: "func", index: 1 });
    const out = b.finish();
    const parsed = parseComponent(out);
    const nested = parsed.sections.find((s) => s.kind === "component");
    expect(
      nested?.kind === "component" &&
        hex(out.subarray(nested.component.range.offset, nested.component.range.offset + nested.component.range.length)),
    ).toBe(hex(inner));
    const printed = await t.print(out);
    expect(printed).toContain("(instance (;0;) (instantiate 0");
    expect(printed).toContain('(export (;2;) "g" (func 1))');
  });

  it("sizes sections holding large referenced bytes and can finish again after more items", () => {
    const padded = (n: number) => {
      const inner = new ComponentBuilder();
      inner.custom("pad", new Uint8Array(n).fill(7));
      return inner.finish();
    };
    const small = padded(10);
    const big = padded(20_000); // a three-byte LEB128 size
    const data = new Uint8Array(5000).fill(9);
    const b = new ComponentBuilder();
    expect(b.component(small)).toBe(0);
    expect(b.component(big)).toBe(1);
    b.custom("data", data);
    b.instantiate(1, []);
    const out = b.finish();
    const expected = new ByteWriter()
      .bytes(COMPONENT_PREAMBLE)
      .u8(4)
      .u32(small.length)
      .bytes(small)
      .u8(4)
      .u32(big.length)
      .bytes(big)
      .u8(0)
      .u32(5 + data.length)
      .name("data")
      .bytes(data)
      .bytes([5, 4, 1, 0x00, 1, 0])
      .finish();
    // Compared as a whole rather than as hex, so a failure does not print 50 kB.
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    expect(same(out, expected)).toBe(true);
    expect(parseComponent(out).sections.map((s) => s.kind)).toEqual(["component", "component", "custom", "instance"]);
    expect(same(b.finish(), out)).toBe(true);
    b.instantiate(0, []);
    const more = b.finish();
    expect(same(more.subarray(0, out.length), out)).toBe(true);
    expect(hex(more.subarray(out.length))).toBe("050401000000");
  });
});

describe("reader and writer agree", () => {
  it("re-encodes every type, import, export, alias, instance and canon section of real components to the same bytes", async () => {
    const { ByteReader } = await import("../src/reader/bytes.js");
    const enc = await import("../src/writer/encode.js");
    const inputs = [...fixtureComponents().map((f) => f.bytes), await componentFromWit(RICH_WIT, "w")];
    let checked = 0;
    const walk = (c: ReturnType<typeof parseComponent>) => {
      for (const s of c.sections) {
        if (s.kind === "component") walk(s.component);
        const w = new ByteWriter();
        switch (s.kind) {
          case "type":
            w.vec(s.items, (t) => enc.encodeTypeDef(w, t));
            break;
          case "import":
            w.vec(s.items, (i) => {
              enc.encodeExternName(w, i.name.name);
              enc.encodeExternDesc(w, i.desc);
            });
            break;
          case "export":
            w.vec(s.items, (e) => {
              enc.encodeExternName(w, e.name.name);
              enc.encodeSortIndex(w, e.item);
              if (e.desc === null) w.u8(0);
              else {
                w.u8(1);
                enc.encodeExternDesc(w, e.desc);
              }
            });
            break;
          case "alias":
            w.vec(s.items, (a) => enc.encodeAlias(w, a));
            break;
          case "instance":
            w.vec(s.items, (i) => enc.encodeInstance(w, i));
            break;
          case "core-instance":
            w.vec(s.items, (i) => enc.encodeCoreInstance(w, i));
            break;
          case "canon":
            if (s.items.some((x) => x.kind === "builtin" && (x.opcode < 2 || x.opcode > 4))) continue;
            w.vec(s.items, (x) => enc.encodeCanon(w, x));
            break;
          default:
            continue;
        }
        const r = new ByteReader(c.bytes, s.offset + 1);
        const size = r.u32();
        expect(hex(w.finish())).toBe(hex(c.bytes.subarray(r.pos, r.pos + size)));
        checked++;
      }
    };
    for (const bytes of inputs) walk(parseComponent(bytes));
    expect(checked).toBeGreaterThan(20);
  });
});

const RICH_WIT = `package ex:rich@1.0.0;
interface i {
  enum e { x, y }
  flags f { p, q }
  variant variant-t { a, b(tuple<u8, string>), c(option<f32>) }
  resource r { constructor(x: u32); m: func(v: variant-t) -> result<list<r>, e>; }
  record rec { a: char, b: s16, c: u64, d: list<list<f>> }
  g: func(a: rec, b: borrow<r>) -> result;
}
world w { import i; use i.{e}; export i; export h: func(x: s8) -> option<e>; }`;

describe("ComponentWitWriter", () => {
  const WIT = `package ex:imp@1.0.0;
interface types {
  record p { x: u32 }
  resource h { m: func(); }
}
interface api {
  use types.{p, h};
  get: func() -> p;
  take: func(x: h) -> list<h>;
}
world w {
  import api;
  use types.{p};
  import log: func(x: p);
  import inline: interface { f: func() -> option<string>; }
}`;

  it("imports a world's items into a component as jco's componentNew does", async () => {
    const { resolve, packageId } = parseWitPackage(WIT);
    const world = resolve.packages[packageId].worlds.get("w")!;
    const b = new ComponentBuilder();
    const w = new ComponentWitWriter(b, resolve, { world });
    const items = w.importWorld(world);
    expect([...items.keys()].sort()).toEqual(["ex:imp/api@1.0.0", "ex:imp/types@1.0.0", "inline", "log", "p"]);
    // Importing again reuses the instance.
    const types = resolve.packages[packageId].interfaces.get("types")!;
    expect(w.importInterface(types)).toBe(items.get("ex:imp/types@1.0.0")!.index);
    const t = await tools();
    const out = b.finish();
    expect(await t.componentWit(out)).toBe(await t.componentWit(await componentFromWit(WIT, "w")));
    // jco's transpile validates the component (wasmparser) before generating bindings.
    const { transpileBytes } = await import("@bytecodealliance/jco-transpile");
    const js = await transpileBytes(out, { name: "imports-only" });
    expect(Object.keys(js.files)).toContain("interfaces/ex-imp-api.d.ts");
  });

  it("shares function types by structure and aliases interface types", () => {
    const { resolve, packageId } = parseWitPackage(WIT);
    const b = new ComponentBuilder();
    const w = new ComponentWitWriter(b, resolve);
    const api = resolve.interfaces[resolve.packages[packageId].interfaces.get("api")!];
    const get = api.functions.get("get")!;
    const f1 = w.funcType(get);
    expect(w.funcType(get)).toBe(f1);
    // api's `p` came in through imports of ex:imp/api (and of ex:imp/types, which it uses).
    expect(b.count("instance")).toBe(2);
    expect(typeof w.valType(get.result!)).toBe("number");
    const it = w.instanceType(resolve.packages[packageId].interfaces.get("api")!);
    expect(it).toBeGreaterThan(f1);
  });
});
