import { parseWitPackage, printWit } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { encodeWitPackage, printComponentWit } from "../src/index.js";
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
