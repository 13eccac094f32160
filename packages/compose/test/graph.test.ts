// The graph API: structured errors for wiring mistakes, shared and merged imports, semver
// matching in plug, dependencies imported instead of embedded.
import { componentWit } from "@bytecodealliance/jco";
import { componentWorld, encodeWitPackage, parseComponent } from "@wasm-compose/component";
import { CompositionError, CompositionGraph, plug } from "@wasm-compose/compose";
import { interfaceQualifiedName, parseWitPackage, type Resolve } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { componentFromWit } from "./wit-components.js";

const arithWit = (version: string, extra = "") => `package example:math@${version};
interface arith {
  add: func(a: u32, b: u32) -> u32;${extra}
}
world lib {
  export arith;
}
`;
const appWit = (version: string) => `package test:app;
package example:math@${version} {
  interface arith {
    add: func(a: u32, b: u32) -> u32;
  }
}
world app {
  import example:math/arith@${version};
  export run: func() -> u32;
}
`;

const app = () => componentFromWit(appWit("0.1.0"), "app");
const lib = (v = "0.1.0", extra = "") => componentFromWit(arithWit(v, extra), "lib");

function caught(fn: () => unknown): CompositionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CompositionError);
    return e as CompositionError;
  }
  throw new Error("expected a CompositionError");
}

function importsOf(bytes: Uint8Array): { names: string[]; resolve: Resolve; ids: number[] } {
  const w = componentWorld(bytes);
  const items = [...w.resolve.worlds[w.world].imports.values()];
  const ids = items.flatMap((i) => (i.tag === "interface" ? [i.id] : []));
  return { names: ids.map((id) => interfaceQualifiedName(w.resolve, id)!), resolve: w.resolve, ids };
}

describe("CompositionGraph errors", () => {
  it("names the instance and import for an unknown import, and refuses a second argument", async () => {
    const g = new CompositionGraph();
    const a = g.instantiate(g.addComponent(await app(), { name: "app" }));
    const l = g.instantiate(g.addComponent(await lib(), { name: "lib" }));
    const e = caught(() => g.setArgument(a, "example:math/arith@9.0.0", g.alias(l, "example:math/arith@0.1.0")));
    expect(e.code).toBe("UNKNOWN_IMPORT");
    expect(e.details).toEqual({ node: "app", import: "example:math/arith@9.0.0" });
    g.setArgument(a, "example:math/arith@0.1.0", g.alias(l, "example:math/arith@0.1.0"));
    const d = caught(() => g.setArgument(a, "example:math/arith@0.1.0", g.alias(l, "example:math/arith@0.1.0")));
    expect(d.code).toBe("DUPLICATE_ARGUMENT");
  });

  it("names the instance and export for an unknown export, and refuses a duplicate export name", async () => {
    const g = new CompositionGraph();
    const l = g.instantiate(g.addComponent(await lib(), { name: "lib" }));
    const e = caught(() => g.alias(l, "nope"));
    expect(e.code).toBe("UNKNOWN_EXPORT");
    expect(e.details).toEqual({ node: "lib", export: "nope" });
    g.export(g.alias(l, "example:math/arith@0.1.0"));
    expect(caught(() => g.export(g.alias(l, "example:math/arith@0.1.0"))).code).toBe("DUPLICATE_EXPORT");
  });

  it("rejects bytes that are not a component", () => {
    const g = new CompositionGraph();
    expect(caught(() => g.addComponent(new Uint8Array([1, 2, 3]), { name: "junk" })).code).toBe("INVALID_INPUT");
    // A binary WIT package parses as a component but has nothing to instantiate: said so, by its source.
    const { resolve, packageId } = parseWitPackage("package ex:types;\ninterface i {\n  f: func();\n}\n");
    const wit = caught(() => g.addComponent(encodeWitPackage(resolve, packageId), { name: "t", source: "dir/t.wasm" }));
    expect(wit.code).toBe("INVALID_INPUT");
    expect(wit.message).toBe("dir/t.wasm: a WIT package (types only), not a component that can be instantiated");
  });

  it("refuses a function exported under an interface name, which names an instance", async () => {
    const g = new CompositionGraph();
    const c = g.addComponent(await componentFromWit("package t:f;\nworld w { export run: func(); }\n", "w"), {
      name: "f",
    });
    const run = g.alias(g.instantiate(c), "run");
    const e = caught(() => g.export(run, "ns:pkg/run@1.0.0"));
    expect(e.code).toBe("INVALID_NAME");
    expect(e.message).toBe(
      'export name "ns:pkg/run@1.0.0" is an interface name, which names an instance; a function needs a plain name',
    );
    g.export(run, "run-it");
    expect(await componentWit(g.encode())).toContain("export run-it: func();");
  });

  it("numbers instances of one component and rejects a taken explicit name", async () => {
    const g = new CompositionGraph();
    const c = g.addComponent(await lib(), { name: "lib" });
    expect(g.instanceName(g.instantiate(c))).toBe("lib");
    expect(g.instanceName(g.instantiate(c))).toBe("lib-2");
    expect(caught(() => g.instantiate(c, { name: "lib" })).code).toBe("INVALID_INPUT");
  });
});

describe("open imports", () => {
  it("shares one import between instances, whether left open or given explicitly", async () => {
    const g = new CompositionGraph();
    const c = g.addComponent(await app(), { name: "app" });
    const one = g.instantiate(c);
    const two = g.instantiate(c);
    g.setArgument(two, "example:math/arith@0.1.0", g.import("example:math/arith@0.1.0"));
    g.export(g.alias(one, "run"), "run-one");
    g.export(g.alias(two, "run"), "run-two");
    const bytes = g.encode();
    expect(importsOf(bytes).names).toEqual(["example:math/arith@0.1.0"]);
    // Both instantiations get import 0.
    const instances = parseComponent(bytes).sections.flatMap((s) => (s.kind === "instance" ? s.items : []));
    const args = instances.flatMap((i) => (i.kind === "instantiate" ? i.args.map((a) => a.item.index) : []));
    expect(args).toEqual([0, 0]);
    expect(await componentWit(bytes)).toContain("export run-two: func() -> u32;");
  });

  it("merges semver-compatible imports under the highest version with the union of their functions", async () => {
    const g = new CompositionGraph();
    const older = g.instantiate(g.addComponent(await app(), { name: "older" }));
    const newerWit = appWit("0.1.4").replace(
      "add: func(a: u32, b: u32) -> u32;",
      "add: func(a: u32, b: u32) -> u32;\n    neg: func(a: s32) -> s32;",
    );
    const newer = g.instantiate(g.addComponent(await componentFromWit(newerWit, "app"), { name: "newer" }));
    g.export(g.alias(older, "run"), "run-older");
    g.export(g.alias(newer, "run"), "run-newer");
    const bytes = g.encode();
    const { names, resolve, ids } = importsOf(bytes);
    expect(names).toEqual(["example:math/arith@0.1.4"]);
    expect([...resolve.interfaces[ids[0]].functions.keys()].sort()).toEqual(["add", "neg"]);
    await componentWit(bytes);
  });

  it("keeps incompatible versions apart", async () => {
    const g = new CompositionGraph();
    g.instantiate(g.addComponent(await app(), { name: "a" }));
    g.instantiate(g.addComponent(await componentFromWit(appWit("0.2.0"), "app"), { name: "b" }));
    expect(importsOf(g.encode()).names).toEqual(["example:math/arith@0.1.0", "example:math/arith@0.2.0"]);
  });
});

describe("plug matching", () => {
  it("plugs a semver-compatible newer export when no exact name matches", async () => {
    const r = plug({ name: "app", bytes: await app() }, [{ name: "lib", bytes: await lib("0.1.7") }]);
    expect(r.wires).toEqual([
      { consumer: "app", import: "example:math/arith@0.1.0", plug: "lib", export: "example:math/arith@0.1.7" },
    ]);
    expect(importsOf(r.bytes).names).toEqual([]);
    await componentWit(r.bytes);
  });

  it("prefers the exact name over a compatible one", async () => {
    const r = plug({ name: "app", bytes: await app() }, [
      { name: "newer", bytes: await lib("0.1.7") },
      { name: "exact", bytes: await lib("0.1.0") },
    ]);
    expect(r.wires.map((w) => w.plug)).toEqual(["exact"]);
    expect(r.unused).toEqual(["newer"]);
  });

  it("does not plug an incompatible version", async () => {
    const appBytes = await app();
    for (const v of ["0.2.0", "0.0.9"]) {
      const bytes = await lib(v);
      expect(caught(() => plug({ name: "app", bytes: appBytes }, [{ name: "lib", bytes }])).code).toBe(
        "NOTHING_PLUGGED",
      );
    }
  });

  it("reports an ambiguous semver-compatible match with both candidates", async () => {
    const appBytes = await app();
    const a = await lib("0.1.3");
    const b = await lib("0.1.5");
    const e = caught(() =>
      plug({ name: "app", bytes: appBytes }, [
        { name: "a", bytes: a },
        { name: "b", bytes: b },
      ]),
    );
    expect(e.code).toBe("AMBIGUOUS_PLUG");
    expect(e.details.candidates).toEqual(["a", "b"]);
  });
});

describe("dependencies imported instead of embedded", () => {
  it("imports the component by a component type and instantiates the import", async () => {
    const g = new CompositionGraph();
    const a = g.instantiate(g.addComponent(await app(), { name: "app" }));
    const l = g.instantiate(
      g.addComponent(await lib(), { name: "example:arith", version: "0.1.0", importDependency: true }),
    );
    g.setArgument(a, "example:math/arith@0.1.0", g.alias(l, "example:math/arith@0.1.0"));
    g.export(g.alias(a, "run"));
    const bytes = g.encode();
    const c = parseComponent(bytes);
    expect(c.sections.filter((s) => s.kind === "component")).toHaveLength(1);
    const imports = c.sections.flatMap((s) => (s.kind === "import" ? s.items : []));
    expect(imports.map((i) => [i.name.name, i.desc.kind])).toEqual([
      ["unlocked-dep=<example:arith@{>=0.1.0}>", "component"],
    ]);
    // wasm-tools validates before printing the world.
    expect(await componentWit(bytes)).toContain("export run: func() -> u32;");
  });
});

describe("CompositionGraph.resolve", () => {
  it("is worked out once until the graph changes", async () => {
    const g = new CompositionGraph();
    const a = g.instantiate(g.addComponent(await app(), { name: "app" }), { openImports: true });
    const first = g.resolve();
    expect(g.resolve()).toBe(first);
    expect(first.imports.map((i) => i.name)).toEqual(["example:math/arith@0.1.0"]);
    const l = g.instantiate(g.addComponent(await lib(), { name: "lib" }));
    g.setArgument(a, "example:math/arith@0.1.0", g.alias(l, "example:math/arith@0.1.0"));
    const wired = g.resolve();
    expect(wired).not.toBe(first);
    expect(wired.imports).toEqual([]);
    g.export(g.alias(a, "run"));
    expect(g.resolve()).not.toBe(wired);
  });
});
