import { describe, expect, it } from "vitest";
import {
  ComponentBuilder,
  ComponentError,
  componentWorld,
  decodeWitPackage,
  encodeWitPackage,
  isWitPackage,
  parseComponent,
} from "../src/index.js";
import { componentFromWit, componentFromWitPackage, fixtureComponents, tools } from "./jco.js";

const CASES: Record<string, { wit: string; world: string; sameWat?: false }> = {
  "world-level resources, type aliases and records": {
    world: "w",
    wit: `package ex:wr;
world w {
  resource r { constructor(); m: func() -> u32; s: static func() -> r; }
  type alias = r;
  record rec { a: u8 }
  import f: func(x: borrow<r>, y: rec) -> list<r>;
  export g: func() -> u32;
}`,
  },
  "async functions, streams, futures and error-context": {
    world: "w",
    // Functions come back in binary order (resource methods first), so only the world is compared.
    sameWat: false,
    wit: `package ex:asy;
interface i {
  f: async func(x: u32) -> u32;
  resource r { m: async func(); }
  s: func() -> stream<u8>;
  fu: func() -> future<string>;
  e: func(e: error-context);
}
world w { import i; export i; }`,
  },
  "records, variants, enums, flags, options, results, tuples, lists": {
    world: "w",
    wit: `package ex:values@1.2.3;
interface shapes {
  record point { x: s32, y: s32 }
  variant shape { circle(f64), rect(tuple<point, point>), empty }
  enum color { red, green, blue }
  flags perms { read, write, exec }
  type points = list<point>;
  area: func(s: shape) -> f64;
  paint: func(s: shape, c: option<color>, p: perms) -> result<list<u8>, string>;
  nothing: func();
  pair: func(a: tuple<u8, s64, char, bool>) -> result;
  errs: func() -> result<_, color>;
}
world w {
  import shapes;
  export shapes;
  export run: func(args: list<string>) -> option<u32>;
}`,
  },
  "resources with methods, constructors and statics": {
    world: "w",
    wit: `package ex:res;
interface store {
  resource blob {
    constructor(init: list<u8>);
    get: func() -> list<u8>;
    merge: static func(a: borrow<blob>, b: own<blob>) -> blob;
  }
  resource bucket {
    open: static func(name: string) -> result<bucket, string>;
    put: func(key: string, value: blob);
  }
}
world w {
  import store;
  export store;
}`,
  },
  "use across interfaces and packages with versions": {
    world: "app",
    wit: `package ex:app@0.2.0;
interface types {
  record item { id: u64, tags: list<string> }
  resource handle { id: func() -> u64; }
  type id = u64;
}
interface api {
  use types.{item, handle, id};
  get: func(i: id) -> option<item>;
  take: func(h: handle) -> item;
}
interface other {
  use api.{item};
  count: func(items: list<item>) -> u32;
}
world app {
  import api;
  import other;
  import log: func(msg: string);
  use types.{item};
  export run: func(i: item) -> item;
  export inline: interface { ping: func() -> string; }
  export other;
}`,
  },
};

async function witOf(bytes: Uint8Array): Promise<string> {
  return (await tools()).componentWit(bytes);
}

describe("componentWorld", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`re-embeds to the same world: ${name}`, async () => {
      const component = await componentFromWit(c.wit, c.world);
      const world = componentWorld(component);
      expect(world.resolve.packages[world.package].name).toEqual({
        namespace: "root",
        name: "component",
        version: null,
      });
      const pkg = encodeWitPackage(world.resolve, world.package);
      const again = await componentFromWitPackage(pkg, "root");
      expect(await witOf(again)).toBe(await witOf(component));
      // The whole binary, all imported and exported types included, is what jco builds from the source.
      const t = await tools();
      if (c.sameWat !== false) expect(await t.print(again)).toBe(await t.print(component));
    });
  }

  it("reconstructs foreign packages with full type definitions", async () => {
    const c = CASES["use across interfaces and packages with versions"];
    const { resolve } = componentWorld(await componentFromWit(c.wit, c.world));
    const pkg = resolve.packageNames.get("ex:app@0.2.0")!;
    const ifaces = resolve.packages[pkg].interfaces;
    expect([...ifaces.keys()]).toEqual(["types", "api", "other"]);
    const types = resolve.interfaces[ifaces.get("types")!];
    expect([...types.types.keys()]).toEqual(["item", "handle", "id"]);
    const item = resolve.types[types.types.get("item")!];
    expect(item.kind).toEqual({
      tag: "record",
      fields: [
        { name: "id", type: "u64", docs: null },
        { name: "tags", type: expect.any(Number), docs: null },
      ],
    });
    expect(resolve.types[types.types.get("handle")!].kind).toEqual({ tag: "resource" });
    expect(resolve.types[types.types.get("id")!].kind).toEqual({ tag: "type", type: "u64" });
    // `use types.{item}` in api is an alias of the type in types.
    const api = resolve.interfaces[ifaces.get("api")!];
    expect(resolve.types[api.types.get("item")!].kind).toEqual({ tag: "type", type: types.types.get("item") });
    const method = resolve.interfaces[ifaces.get("types")!].functions.get("[method]handle.id")!;
    expect(method.kind).toEqual({ tag: "method", resource: types.types.get("handle") });
    expect(method.params[0].name).toBe("self");
  });

  it("re-embeds a foreign package on its own", async () => {
    const c = CASES["resources with methods, constructors and statics"];
    const component = await componentFromWit(c.wit, c.world);
    const { resolve } = componentWorld(component);
    const pkg = encodeWitPackage(resolve, resolve.packageNames.get("ex:res")!);
    expect(isWitPackage(parseComponent(pkg))).toBe(true);
    const decoded = decodeWitPackage(pkg);
    expect(decoded.resolve.packages[decoded.package].name).toEqual({ namespace: "ex", name: "res", version: null });
    // Stable: decoding and encoding again gives the same bytes.
    expect(encodeWitPackage(decoded.resolve, decoded.package)).toEqual(pkg);
  });

  for (const f of fixtureComponents()) {
    it(`matches jco on fixture ${f.name}`, async () => {
      const world = componentWorld(f.bytes);
      const pkg = encodeWitPackage(world.resolve, world.package);
      const again = await componentFromWitPackage(pkg, "root");
      expect(await witOf(again)).toBe(await witOf(f.bytes));
    });
  }
});

describe("binary WIT packages", () => {
  it("round-trips a package with worlds through decode and encode", async () => {
    const c = CASES["use across interfaces and packages with versions"];
    const { resolve } = componentWorld(await componentFromWit(c.wit, c.world));
    const root = encodeWitPackage(resolve, resolve.packageNames.get("root:component")!);
    const decoded = decodeWitPackage(root);
    const w = decoded.resolve.worlds[decoded.resolve.packages[decoded.package].worlds.get("root")!];
    expect([...w.exports.keys()].map((k) => (typeof k === "number" ? decoded.resolve.interfaces[k].name : k))).toEqual([
      "run",
      "inline",
      "other",
    ]);
    expect(encodeWitPackage(decoded.resolve, decoded.package)).toEqual(root);
  });

  it("rejects a component that is not a WIT package", async () => {
    const component = await componentFromWit(CASES["resources with methods, constructors and statics"].wit, "w");
    expect(() => decodeWitPackage(component)).toThrow(/not a WIT package/);
  });
});

describe("decodeWitPackage into an existing Resolve", () => {
  it("reuses packages already present, merging their interfaces by name", async () => {
    const { parseWit, resolveWitSources } = await import("@wasm-compose/wit");
    const dep = "package ex:dep;\ninterface t { record p { x: u32 } resource h; }";
    const main = "package ex:main;\nworld w { import ex:dep/t; use ex:dep/t.{p}; export f: func(a: p); }";
    const both = resolveWitSources([{ name: "main.wit", text: main }], [[{ name: "dep.wit", text: dep }]]);
    const bytes = encodeWitPackage(both.resolve, both.packageId);

    const into = parseWit(dep);
    const interfacesBefore = into.interfaces.length;
    const p = decodeWitPackage(bytes, { into });
    expect(p.resolve).toBe(into);
    expect(into.packages.map((x) => x.name.name)).toEqual(["dep", "main"]);
    expect(into.interfaces.length).toBe(interfacesBefore);
    const t = into.packages[0].interfaces.get("t")!;
    const w = into.worlds[into.packages[p.package].worlds.get("w")!];
    expect(w.imports.get(t)).toMatchObject({ tag: "interface", id: t });
    const usedP = w.imports.get("p");
    expect(usedP?.tag === "type" && into.types[usedP.id].kind).toEqual({
      tag: "type",
      type: into.interfaces[t].types.get("p"),
    });
    expect(() => decodeWitPackage(bytes, { into })).toThrow(/already present/);
  });
});

describe("instance types used twice", () => {
  it("give each import its own resource types", () => {
    const b = new ComponentBuilder();
    const inst = b.type({
      kind: "instance",
      decls: [
        { kind: "export", name: "r", desc: { kind: "type", bound: "sub-resource" } },
        { kind: "type", type: { kind: "defined", type: { kind: "borrow", type: 0 } } },
        { kind: "type", type: { kind: "func", async: false, params: [{ name: "self", type: 1 }], result: null } },
        { kind: "export", name: "[method]r.m", desc: { kind: "func", type: 2 } },
      ],
    });
    b.import("a:b/x", { kind: "instance", type: inst });
    b.import("a:b/y", { kind: "instance", type: inst });
    const { resolve } = componentWorld(b.finish());
    const pkg = resolve.packages[resolve.packageNames.get("a:b")!];
    const [x, y] = [pkg.interfaces.get("x")!, pkg.interfaces.get("y")!].map((i) => resolve.interfaces[i]);
    const rx = x.types.get("r")!;
    const ry = y.types.get("r")!;
    expect(rx).not.toBe(ry);
    expect(resolve.types[ry].owner).toEqual({ tag: "interface", id: pkg.interfaces.get("y") });
    expect(y.functions.get("[method]r.m")?.kind).toEqual({ tag: "method", resource: ry });
  });
});

describe("instances WIT cannot express", () => {
  it("refuses an exported instance holding an instance, as jco does, instead of dropping it", async () => {
    const t = await tools();
    const bytes = new Uint8Array(
      await t.parse(`(component
        (import "x:y/z" (instance $i (export "f" (func))))
        (instance $outer (export "x:y/z" (instance $i)))
        (export "whole" (instance $outer)))`),
    );
    await expect(t.componentWit(bytes)).rejects.toThrow(/is not a type or function/);
    expect(() => componentWorld(bytes)).toThrow(
      new ComponentError(
        "BAD_WIT",
        'instance export "x:y/z" is an instance, which no WIT interface can hold (only types and functions)',
        0,
      ),
    );
  });
});
