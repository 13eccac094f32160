import { parseWitPackage, printWit } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { ComponentBuilder, ComponentError, encodeWitPackage, printComponentWit } from "../src/index.js";
import { componentFromWit, componentFromWitPackage, fixtureComponents, tools } from "./jco.js";

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

const WIT = `package ex:print@1.0.0;
interface types {
  resource blob {
    constructor(init: list<u8>);
    get: func() -> list<u8>;
    merge: static func(a: borrow<blob>, b: blob) -> blob;
  }
  record point { x: s32, y: s32 }
  variant shape { circle(f64), rect(tuple<point, point>), empty }
  enum color { red, green }
  flags perms { read, write }
  type id = u64;
}
interface api {
  use types.{point, blob, id};
  move: func(p: point, d: option<tuple<s32, s32>>) -> result<point, string>;
  mk: func(i: id) -> blob;
}
world w {
  import api;
  export api;
  export run: func(x: u32) -> string;
}`;

describe("printComponentWit", () => {
  it("prints the root world as jco's componentWit does (modulo whitespace)", async () => {
    const c = await componentFromWit(WIT, "w");
    expect(squash(printComponentWit(c))).toBe(squash(await (await tools()).componentWit(c)));
  });

  for (const f of fixtureComponents()) {
    it(`prints fixture ${f.name} as jco does`, async () => {
      expect(squash(printComponentWit(f.bytes))).toBe(squash(await (await tools()).componentWit(f.bytes)));
    });
  }

  it("prints the packages a component uses with nestedDeps", async () => {
    const text = printComponentWit(await componentFromWit(WIT, "w"), { nestedDeps: true });
    expect(text).toContain("package ex:print@1.0.0 {");
    expect(text).toContain("merge: static func(a: borrow<blob>, b: blob) -> blob;");
    expect(text).toMatch(/use types\.\{point/);
  });
});

describe("encodeWitPackage from parsed WIT", () => {
  it("gives jco the same world as the WIT source does", async () => {
    const { resolve, packageId } = parseWitPackage(WIT);
    const pkg = encodeWitPackage(resolve, packageId);
    const t = await tools();
    const fromOurs = await componentFromWitPackage(pkg, "w");
    const fromSource = await componentFromWit(WIT, "w");
    expect(await t.print(fromOurs)).toBe(await t.print(fromSource));
  });

  // WIT source may declare things a component type cannot hold: a record, flags or tuple with
  // nothing in it, or names that are the same but for case and hyphens. wit-parser accepts them; wit-component
  // then writes a binary its own decoder rejects. We refuse with a clear error instead.
  for (const [decl, what] of [
    ["record r {}", 'record "r" has no fields'],
    ["flags fl {}", 'flags "fl" has no flags'],
    [
      `flags many { ${Array.from({ length: 33 }, (_, i) => `x${i}`).join(", ")} }`,
      'flags "many" has 33 flags; a component type holds at most 32',
    ],
    ["type t = tuple<>;", "tuple<> has no types"],
    ["record r { y: u8, y: u8 }", 'record "r" has two fields named "y"'],
    ["variant v { a-b, A-B(u8) }", 'variant "v" has cases "a-b" and "A-B", which differ only in case or hyphens'],
    ["record r { a-b: u8, ab: u8 }", 'record "r" has fields "a-b" and "ab", which differ only in case or hyphens'],
    ["g: func(x-y: u8, xy: u8);", 'function "g" has parameters "x-y" and "xy"'],
    ["type a-1 = u8; type a1 = u8;", 'exports "a-1" and "a1" in interface "ex:odd/i" are not strongly-unique'],
    ["resource r-s { rs: func(); }", 'exports "r-s" and "[method]r-s.rs"'],
    ["enum e { a, A }", 'enum "e" has cases "a" and "A"'],
    ["flags fl { x, x }", 'flags "fl" has two flags named "x"'],
    ["g: func(x: u8, X: u8);", 'function "g" has parameters "x" and "X"'],
    ["type a-b = u8; type A-B = u8;", 'exports "a-b" and "A-B" in interface "ex:odd/i" are not strongly-unique'],
    ["resource res { m: func(); M: func(); }", 'exports "[method]res.m" and "[method]res.M"'],
    ["resource get { get: func(); }", 'exports "get" and "[method]get.get"'],
    ["resource r2 { s: func(); S: static func(); }", 'exports "[method]r2.s" and "[static]r2.S"'],
  ] as const) {
    it(`refuses to encode \`${decl}\` with a clear error, where wit-component's output fails to decode`, async () => {
      const wit = `package ex:odd;\ninterface i {\n  ${decl}\n  f: func();\n}\nworld w { import i; }\n`;
      const { resolve, packageId } = parseWitPackage(wit);
      let caught: unknown;
      try {
        encodeWitPackage(resolve, packageId);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ComponentError);
      expect((caught as ComponentError).code).toBe("UNENCODABLE");
      expect((caught as ComponentError).message).toContain(what);
      await expect(componentFromWit(wit, "w")).rejects.toThrow(
        /must have at least one|conflicts with|failed to decode|more than 32 flags/i,
      );
    });
  }

  it("refuses interface names that are the same but for hyphens in one world", async () => {
    const wit =
      "package ex:odd;\nworld w { import ex:foo-bar/i; import ex:foobar/i; }\n" +
      "package ex:foo-bar { interface i { f: func(); } }\npackage ex:foobar { interface i { g: func(); } }\n";
    const { resolve, packageId } = parseWitPackage(wit);
    expect(() => encodeWitPackage(resolve, packageId)).toThrow(/"ex:foo-bar\/i" and "ex:foobar\/i"/);
    await expect(componentFromWit(wit, "w")).rejects.toThrow(/conflicts with/);
  });

  it("refuses interfaces and worlds of one package named the same but for case and hyphens", async () => {
    for (const [items, pair] of [
      ["world W { import x: func(); }\nworld w { import y: func(); }", '"W" and "w"'],
      ["interface foo-bar { f: func(); }\nworld foobar { import foo-bar; }", '"foo-bar" and "foobar"'],
    ] as const) {
      const { resolve, packageId } = parseWitPackage(`package ex:odd;\n${items}\n`);
      expect(() => encodeWitPackage(resolve, packageId)).toThrow(`package ex:odd has interfaces or worlds ${pair}`);
    }
    // They are the package component's exports: jco's decoder refuses two such exports.
    const t = await tools();
    const twice = await t.parse('(component (type (component)) (export "W" (type 0)) (export "w" (type 0)))');
    await expect(async () => t.componentWit(twice)).rejects.toThrow(/export name `w` conflicts with previous name `W`/);
    // Our writer refuses to write such a component at all.
    const b = new ComponentBuilder();
    const type = b.defineType({ kind: "component", decls: [] });
    b.export("W", { sort: "type", index: type });
    expect(() => b.export("w", { sort: "type", index: type })).toThrow(/exports "W" and "w" are not strongly-unique/);
  });

  it("refuses import and export names that are not valid component names", async () => {
    const b = new ComponentBuilder();
    const instance = b.defineType({ kind: "instance", decls: [] });
    const desc = { kind: "instance", type: instance } as const;
    for (const name of ["Run", "a b", "", "run-", "1x", "x:y", "a:b/c@1", "ns:Pkg/i", "[method]r", "[static]Rs.x"]) {
      expect(() => b.import(name, desc), name).toThrow(/^import name ".*" is /);
    }
    for (const name of ["run-B", "a-1", "ns:pkg/i", "ns:pkg/i@1.0.0-rc.1+b2"]) {
      b.import(name, desc);
    }
    // What we accept, jco reads.
    const t = await tools();
    const wit = await t.componentWit(b.finish());
    expect(wit).toContain("import run-B: interface {");
    expect(wit).toContain("import ns:pkg/i@1.0.0-rc.1+b2;");
  });

  it("refuses `implements` on an interface name, which validators allow only on a plain label", async () => {
    const b = new ComponentBuilder();
    const instance = b.defineType({ kind: "instance", decls: [] });
    const desc = { kind: "instance", type: instance } as const;
    expect(() => b.import({ name: "ex:odd/i", implements: "ex:odd/i@0.1.0" }, desc)).toThrow(
      /import "ex:odd\/i" is an interface name, so it cannot say it implements "ex:odd\/i@0.1.0"/,
    );
    // A plain label may, and jco reads what is written then.
    b.import({ name: "odd", implements: "ex:odd/i@0.1.0" }, desc);
    const t = await tools();
    expect(await t.componentWit(b.finish())).toContain("import odd: ex:odd/i@0.1.0");
  });

  it("refuses a package name with uppercase letters, which extern names do not allow", async () => {
    const wit = "package example:HTTP;\ninterface i {\n  f: func();\n}\nworld w { export i; }\n";
    const { resolve, packageId } = parseWitPackage(wit);
    expect(() => encodeWitPackage(resolve, packageId)).toThrow(/package example:HTTP has uppercase letters/);
    await expect(componentFromWit(wit, "w")).rejects.toThrow(/not lowercase in package name/);
  });

  it("prints a binary WIT package as the package's WIT", () => {
    const { resolve, packageId } = parseWitPackage(WIT);
    const printed = printComponentWit(encodeWitPackage(resolve, packageId));
    const again = parseWitPackage(printed);
    expect(printComponentWit(encodeWitPackage(again.resolve, again.packageId))).toBe(printed);
    expect(printed).toContain("package ex:print@1.0.0;");
    expect(printed).toContain("world w {");
  });
});

describe("package-docs", () => {
  const DOCS = `/// The package.
package ex:docs@1.0.0;

/// An interface.
@since(version = 1.0.0)
interface api {
  /// A record.
  record point {
    /// The x.
    x: s32,
    y: s32,
  }
  /// Colors.
  enum color {
    /// red!
    red,
    green,
  }
  @unstable(feature = fancy)
  fancy: func();
  /// Moves.
  @since(version = 1.0.0)
  @deprecated(version = 1.1.0)
  move: func(p: point) -> point;
}

/// A world.
world w {
  @since(version = 1.0.0)
  import api;
  /// A function.
  export run: func();
  /// inline
  export inl: interface {
    /// f
    f: func();
  }
}
`;

  it("keeps docs and stability through a binary WIT package", () => {
    const { resolve, packageId } = parseWitPackage(DOCS, { features: ["fancy"] });
    const printed = printComponentWit(encodeWitPackage(resolve, packageId));
    // Same text as the source model printed, docs and gates included.
    expect(printed).toBe(printWit(resolve, packageId));
    for (const kept of ["/// The x.", "/// red!", "@unstable(feature = fancy)", "@deprecated(version = 1.1.0)"]) {
      expect(printed).toContain(kept);
    }
  });

  it("writes a package-docs section jco accepts", async () => {
    const { resolve, packageId } = parseWitPackage(DOCS, { features: ["fancy"] });
    const t = await tools();
    const c = await componentFromWitPackage(encodeWitPackage(resolve, packageId), "w");
    expect(await t.componentWit(c)).toContain("import ex:docs/api@1.0.0;");
  });
});

describe("package-docs with an import and an export of the same name", () => {
  // Readers look a world item's docs up among the imports first, so the export's entry must go in
  // the export-only map whenever an import has that name, whatever its kind.
  const CLASH = `package ex:clash@1.0.0;

world app {
  /// The clock.
  import clock: interface {
    now: func() -> u64;
  }
  /// Runs once.
  @since(version = 1.0.0)
  export clock: func();
}
`;

  it("keeps both items' docs and the export's gate, and jco reads the package", async () => {
    const { resolve, packageId } = parseWitPackage(CLASH);
    const pkg = encodeWitPackage(resolve, packageId);
    const printed = printComponentWit(pkg);
    expect(printed).toBe(printWit(resolve, packageId));
    expect(printed).toContain("/// Runs once.\n  @since(version = 1.0.0)\n  export clock: func();");
    const t = await tools();
    const fromOurs = await componentFromWitPackage(pkg, "app");
    expect(await t.print(fromOurs)).toBe(await t.print(await componentFromWit(CLASH, "app")));
  });
});
