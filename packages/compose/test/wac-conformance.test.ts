// Conformance with wac: every import has its declared type (a function, an inline or document
// interface, a function alias), an explicit and a `...` import of one name merge only when their
// types agree, versions written with packages are enforced, a composition cannot instantiate its
// own package, string argument names are exact, spreads match semver-compatible names, and
// errors point into the document.
import { componentWit, transpile } from "@bytecodealliance/jco";
import { CompositionError, composeWac, type WacPackage } from "@wasm-compose/compose";
import { parseWitPackage } from "@wasm-compose/wit";
import { beforeAll, describe, expect, it } from "vitest";
import { componentFromWit } from "./wit-components.js";

const LIB = `package ex:lib@1.2.0;

interface greet {
  greet: func(name: string) -> string;
}

world component {
  export greet;
}

world funcimp {
  import f: func() -> string;
  export run: func() -> string;
}

world inline1 {
  import i: interface {
    f: func();
  }
  export run: func();
}

world user {
  import greet;
  export run: func() -> string;
}

world two {
  import greet;
  import log: func(msg: string);
  export run: func() -> string;
}
`;
const RES = `package ex:res@0.1.0;

interface types {
  resource r {
    get: func() -> u32;
  }
}

interface api {
  use types.{r};
  make: func() -> r;
}

world component {
  import api;
  export run: func() -> u32;
}
`;
const OLD = LIB.replace("package ex:lib@1.2.0;", "package ex:lib@1.1.0;");

const packages = new Map<string, WacPackage>();
beforeAll(async () => {
  packages.set("ex:lib", { kind: "component", bytes: await componentFromWit(LIB, "component"), version: "1.2.0" });
  packages.set("ex:old", { kind: "component", bytes: await componentFromWit(OLD, "component") });
  packages.set("ex:funcimp", { kind: "component", bytes: await componentFromWit(LIB, "funcimp") });
  packages.set("ex:inline1", { kind: "component", bytes: await componentFromWit(LIB, "inline1") });
  packages.set("ex:user", { kind: "component", bytes: await componentFromWit(LIB, "user"), version: "1.0.0" });
  packages.set("ex:two", { kind: "component", bytes: await componentFromWit(LIB, "two") });
  packages.set("ex:resuser", { kind: "component", bytes: await componentFromWit(RES, "component") });
  const wit = parseWitPackage(LIB);
  packages.set("ex:types", { kind: "wit", resolve: wit.resolve, package: wit.packageId });
});

/** Composes with the packages above; the lookup ignores the version, as a file given by name does. */
const compose = (text: string) => composeWac(text, { packages: (n) => packages.get(n) ?? null, filename: "t.wac" });

interface Failure {
  code: string;
  message: string;
  line: number;
  column: number;
  cause?: unknown;
}

function wacError(fn: () => unknown): Failure {
  try {
    fn();
  } catch (e) {
    return e as Failure;
  }
  throw new Error("expected an error");
}

const causeCode = (e: Failure) => (e.cause instanceof CompositionError ? e.cause.code : null);

describe("declared import types", () => {
  it("checks a function import against the instantiation it is given to", async () => {
    const bad = wacError(() =>
      compose("package t:x;\nimport f: func(x: u32);\nlet a = new ex:funcimp { f };\nexport a.run;\n"),
    );
    expect(bad.code).toBe("WAC_INVALID");
    expect(causeCode(bad)).toBe("CONFLICTING_IMPORT");
    expect(bad.message).toBe(
      'import "f" is declared differently by "the import declaration" and "a": import f: "a" expects 0 parameters, the declaration has 1',
    );
    expect([bad.line, bad.column]).toEqual([3, 26]);
    const { bytes } = compose(
      "package t:x;\nimport f: func() -> string;\nlet a = new ex:funcimp { f };\nexport a.run;\n",
    );
    await transpile(bytes, { name: "funcimp", quiet: true });
    expect(await componentWit(bytes)).toContain("import f: func() -> string;");
  });

  it("checks an inline interface import: what the instantiation needs must be declared", () => {
    const bad = wacError(() =>
      compose("package t:x;\nimport i: interface { nope: func(); };\nlet a = new ex:inline1 { i };\nexport a.run;\n"),
    );
    expect(causeCode(bad)).toBe("CONFLICTING_IMPORT");
    expect(bad.message).toMatch(/import i > func f: "a" expects a function, the declaration has nothing$/);
  });

  it("keeps a declared interface's items the instantiation does not use", async () => {
    const { bytes } = compose(`package t:x;
interface myi {
  f: func();
  extra: func(a: string);
}
import i: myi;
let a = new ex:inline1 { i };
export a.run;
`);
    await transpile(bytes, { name: "myi", quiet: true });
    const wit = await componentWit(bytes);
    expect(wit).toMatch(/import i: interface \{\s*f: func\(\);\s*extra: func\(a: string\);\s*\}/);
  });

  it("types an import by a function alias, and writes an import nothing uses", async () => {
    const { bytes } = compose(`package t:x;
type getter = func() -> string;
import f: getter;
import unused: func(a: u8);
let a = new ex:funcimp { f };
export a.run;
`);
    await transpile(bytes, { name: "alias", quiet: true });
    const wit = await componentWit(bytes);
    expect(wit).toContain("import f: func() -> string;");
    expect(wit).toContain("import unused: func(a: u8);");
  });

  it("writes a declared interface's resources, and its function aliases as functions", async () => {
    const { bytes } = compose(`package t:x;
interface api {
  record p { x: u32 }
  type fty = func(a: p);
  resource r {
    constructor();
    get: func() -> u32;
  }
  g: fty;
  make: func() -> r;
}
import a: api;
`);
    await transpile(bytes, { name: "api", quiet: true });
    const wit = await componentWit(bytes);
    expect(wit).toContain("g: func(a: p);");
    expect(wit).toContain("make: func() -> r;");
    expect(wit).toMatch(/resource r \{\s*constructor\(\);/);
  });

  it("checks a user against a declared interface that uses another interface's resource", async () => {
    const { bytes } = compose(
      "package t:x;\nimport api: ex:resuser/api;\nlet u = new ex:resuser { ... };\nexport u.run;\n",
    );
    await transpile(bytes, { name: "res", quiet: true });
    const wit = await componentWit(bytes);
    expect(wit).toContain("import ex:res/types@0.1.0;");
    expect(wit).toContain("import ex:res/api@0.1.0;");
  });

  it("refuses, at the import's type, what it cannot write as WIT", () => {
    const other = wacError(() =>
      compose("package t:x;\nimport i: interface { use ex:types/greet.{t}; f: func(); };\n"),
    );
    expect(other.message).toBe(
      "the type of import `i` is not supported: the interface uses `ex:types/greet` of another package",
    );
    expect([other.line, other.column]).toEqual([2, 11]);
    const docType = wacError(() => compose("package t:x;\nrecord r { a: u32 }\nimport f: func(x: r);\n"));
    expect(docType.message).toBe(
      "the type of import `f` is not supported: the function uses the document's type `r`; only an interface's own types are",
    );
    const local = wacError(() =>
      compose(
        "package t:x;\ninterface types { record p { x: u32 } }\ninterface api { use types.{p}; f: func() -> p; }\nimport a: api;\n",
      ),
    );
    expect(local.message).toBe(
      "the type of import `a` is not supported: interface `api` uses types of interface `types`, which would have to be imported too",
    );
    const world = wacError(() => compose("package t:x;\nworld w { export run: func(); }\nimport c: w;\n"));
    expect(world.message).toBe(
      "the type of import `c` is not supported: `w` is a world, and importing a component is not supported",
    );
  });
});

describe("an explicit import and a `...` import of one name", () => {
  it("merge when their types are the same", async () => {
    const { bytes } = compose(
      "package t:x;\nimport i: interface { f: func(); };\nlet a = new ex:inline1 { ... };\nexport a.run;\n",
    );
    await transpile(bytes, { name: "same", quiet: true });
    const wit = await componentWit(bytes);
    expect(wit.match(/import i:/g)).toHaveLength(1);
  });

  it("are a CONFLICTING_IMPORT at the instantiation when their types differ", () => {
    const bad = wacError(() =>
      compose(
        "package t:x;\nimport i: interface { f: func(a: u8); };\nlet a = new ex:inline1 { ... };\nexport a.run;\n",
      ),
    );
    expect(causeCode(bad)).toBe("CONFLICTING_IMPORT");
    expect(bad.message).toBe(
      'import "i" is declared differently by "the import declaration" and "a": import i > func f: "a" expects 0 parameters, the declaration has 1',
    );
    expect([bad.line, bad.column]).toEqual([3, 9]);
    // A declared interface lacking what the instantiation needs is no merge either.
    const missing = wacError(() =>
      compose("package t:x;\nimport i: interface { g: func(); };\nlet a = new ex:inline1 { ... };\nexport a.run;\n"),
    );
    expect(missing.message).toMatch(/import i > func f: "a" expects a function, the declaration has nothing$/);
  });
});

describe("versions written with packages", () => {
  it("must match the package found", async () => {
    const iface = wacError(() => compose("package t:x;\nimport g: ex:lib/greet@2.0.0;\n"));
    expect(iface.code).toBe("WAC_UNKNOWN");
    expect(iface.message).toBe(
      "package `ex:lib@2.0.0` not found: the package `ex:lib` found has version 1.2.0, not 2.0.0",
    );
    const inst = wacError(() => compose("package t:x;\nlet u = new ex:user@2.0.0 { ... };\n"));
    expect(inst.message).toBe(
      "package `ex:user@2.0.0` not found: the package `ex:user` found has version 1.0.0, not 2.0.0",
    );
    const wit = wacError(() => compose("package t:x;\nimport g: ex:types/greet@1.2.1;\n"));
    expect(wit.message).toBe(
      "package `ex:types@1.2.1` not found: the package `ex:types` found has version 1.2.0, not 1.2.1",
    );
    // A component without a version of its own: its interface's version is checked.
    const unversioned = wacError(() => compose("package t:x;\nimport g: ex:old/greet@1.2.0;\n"));
    expect(unversioned.message).toBe(
      "interface `ex:old/greet@1.2.0` not found: package ex:old has `ex:lib/greet@1.1.0`, version 1.1.0, not 1.2.0",
    );
    const { bytes } = compose(
      "package t:x;\nimport g: ex:lib/greet@1.2.0;\nlet u = new ex:user@1.0.0 { greet: g };\nexport u.run;\n",
    );
    expect(await componentWit(bytes)).toContain("import ex:lib/greet@1.2.0;");
  });
});

describe("instantiations", () => {
  it("refuses a composition instantiating its own package", () => {
    const e = wacError(() => compose("package ex:lib;\nlet m = new ex:lib {};\n"));
    expect(e.message).toBe("`new ex:lib`: a composition cannot instantiate its own package");
    expect([e.line, e.column]).toEqual([2, 13]);
  });

  it("binds a string-named argument by its exact name only", async () => {
    const e = wacError(() =>
      compose('package t:x;\nlet n = new ex:lib {};\nlet t = new ex:two { "greet": n.greet, ... };\n'),
    );
    expect(e.code).toBe("WAC_UNKNOWN");
    expect(e.message).toBe("`ex:two` has no import `greet`");
    const { bytes } = compose(
      'package t:x;\nlet n = new ex:lib {};\nlet t = new ex:two { "ex:lib/greet@1.2.0": n.greet, ... };\nexport t.run;\n',
    );
    expect(await componentWit(bytes)).toContain("import log: func(msg: string);");
  });

  it("spreads an export of a semver-compatible version", async () => {
    const { bytes, graph } = compose(
      "package t:x;\nlet o = new ex:old {};\nlet u = new ex:user { ...o };\nexport u.run;\n",
    );
    const [o, u] = graph.instances;
    expect(u.args.get("ex:lib/greet@1.2.0")).toEqual({ kind: "export", instance: o.id, name: "ex:lib/greet@1.1.0" });
    await transpile(bytes, { name: "spread", quiet: true });
    expect(await componentWit(bytes)).not.toContain("import ");
  });
});

describe("access into an exported interface instance", () => {
  it("exports a function of the interface under a name of its own, which jco reads", async () => {
    const { bytes } = compose('package t:x;\nlet m = new ex:lib {};\nexport m.greet.greet as "g";\n');
    expect((await componentWit(bytes)).replace(/\s+/g, " ")).toMatch(/export g: func\(/);
  });

  it("refuses a name the interface does not have, at the access", () => {
    const e = wacError(() => compose('package t:x;\nlet m = new ex:lib {};\nexport m.greet.nope as "g";\n'));
    expect(e.message).toMatch(/has no function or type "nope"/);
    expect([e.line, e.column]).toEqual([3, 15]);
  });
});

describe("errors with a location", () => {
  it("refuses a dependency, URL or hash import name at the name", () => {
    const e = wacError(() => compose('package t:x;\nimport g as "url=<https://x>": ex:lib/greet;\n'));
    expect(e.code).toBe("WAC_INVALID");
    expect(e.message).toMatch(/^import name "url=<https:\/\/x>" is a dependency, URL or hash name/);
    expect([e.line, e.column]).toEqual([2, 13]);
  });

  it("refuses nesting too deep with a location, not a stack overflow", () => {
    const parens = (n: number) =>
      `package t:x;\nlet a = ${"(".repeat(n)}new ex:lib {}${")".repeat(n)};\nexport a.greet;\n`;
    expect(() => compose(parens(200))).not.toThrow();
    const news = (n: number) =>
      `package t:x;\nlet a = ${"new ex:user { greet: ".repeat(n)}new ex:lib {}.greet${" }.greet".repeat(0)}${" }".repeat(n)};\n`;
    for (const text of [parens(3000), news(2000)]) {
      const e = wacError(() => compose(text));
      expect(e.code).toBe("WAC_INVALID");
      expect(e.message).toBe("expressions nest more than 256 levels deep");
      expect(e.line).toBe(2);
    }
    const types = wacError(() =>
      compose(`package t:x;\nimport f: func(a: ${"list<".repeat(3000)}u8${">".repeat(3000)});\n`),
    );
    expect(types.message).toBe("types nest more than 256 levels deep");
  });

  it("says a `targets` path names an interface, not a world", () => {
    const e = wacError(() => compose("package t:x targets ex:types/greet;\n"));
    expect(e.code).toBe("WAC_UNKNOWN");
    expect(e.message).toBe("`greet` of package ex:types is an interface; `targets` needs a world");
  });
});
