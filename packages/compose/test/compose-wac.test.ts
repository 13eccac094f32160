// WAC compositions resolved into the graph: the fixtures' app composed by a document, run in Node;
// `targets` checked; resolution and type errors pointing at the source.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco";
import { composeWac, type WacPackage } from "@wasm-compose/compose";
import { loadWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures, type FixtureName, fixturePath, repoRoot } from "../../../fixtures/lib/fixtures.mjs";
import { transpileFixture } from "../../../fixtures/lib/transpile.mjs";
import { componentFromWit } from "./wit-components.js";

const FILES: Record<string, FixtureName> = {
  "example:arith": "rust-arith",
  "example:pattern": "rust-pattern",
  "example:stats": "c-stats",
  "example:case": "c-case",
  "example:words": "go-words",
  "example:app": "js-app",
};
const packages = new Map<string, WacPackage>();
let tmp: string;

beforeAll(async () => {
  const paths = await ensureFixtures(["js-app"]);
  for (const [name, file] of Object.entries(FILES)) {
    const path = file === "js-app" ? paths["js-app"]! : fixturePath(file);
    packages.set(name, { kind: "component", bytes: await readFile(path), source: file, version: "0.1.0" });
  }
  const math = await loadWitPackage(join(repoRoot, "fixtures/wit/math"));
  packages.set("example:math", { kind: "wit", resolve: math.resolve, package: math.packageId });
  tmp = await mkdtemp(join(tmpdir(), "compose-wac-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const lookup = (name: string) => packages.get(name) ?? null;
const compose = (text: string) => composeWac(text, { packages: lookup, filename: "app.wac" });

function wacError(fn: () => unknown): { code: string; message: string; render(): string; line: number } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; render(): string; line: number };
  }
  throw new Error("expected an error");
}

const APP = `package example:composed;

let arith = new example:arith {};
let stats = new example:stats {};
let pattern = new example:pattern {};
let upper = new example:case {};
let words = new example:words { ... };
let case-export = upper.case;
let app = new example:app {
  arith: arith.arith,
  "example:math/stats@0.1.0": stats["example:math/stats@0.1.0"],
  case-export,
  ...pattern,
  ...words,
};
export app.report;
`;

describe("composeWac", () => {
  it("composes the app with every argument form, and the result runs in Node", async () => {
    const { bytes } = compose(APP);
    const wit = await componentWit(bytes);
    expect([...wit.matchAll(/^\s*export ([^;]+);/gm)].map((m) => m[1])).toEqual(["example:app/report@0.1.0"]);
    for (const m of wit.matchAll(/^\s*import ([^;]+);/gm)) expect(m[1]).toMatch(/^wasi:/);
    const file = join(tmp, "wac-app.wasm");
    await writeFile(file, bytes);
    const t = await transpileFixture<{ report: { render(s: string): string } }>(file, "wacapp");
    try {
      expect(t.module.report.render("a.rs b.c").split("\n")).toEqual([
        "words: 2",
        "reversed: b.c a.rs",
        "upper: A.RS B.C",
        "lower: a.rs b.c",
        "lengths: count 2, mean 3.50, min 3, max 4",
        "globs: *.rs=1 *.c=1 *.go=0 *.js=0 *.wa?m=0",
        "has-dot: true",
        `checksum: ${checksumOf("a.rs b.c")}`,
        "fib(words): 1",
      ]);
    } finally {
      await t.dispose();
    }
  });

  it("imports explicitly, under the package path or an `as` name, typed by the path when unused", async () => {
    const plain = compose(`package t:imp;
import math: example:math/arith@0.1.0;
let app = new example:app { arith: math, ... };
export app.report;
`);
    const imports = (w: string) => [...w.matchAll(/^\s*import (\S+?)(?:;|: )/gm)].map((m) => m[1]);
    expect(imports(await componentWit(plain.bytes))).toEqual([
      "example:math/arith@0.1.0",
      "example:math/stats@0.1.0",
      "example:text/pattern@0.1.0",
      "example:text/case@0.1.0",
      "example:text/words@0.1.0",
    ]);
    const renamed = compose(`package t:imp;
import math as "host-math": example:math/arith@0.1.0;
let app = new example:app { arith: math, ... };
export app.report;
`);
    expect(imports(await componentWit(renamed.bytes))[0]).toBe("host-math");
    const unused = compose("package t:imp;\nimport math: example:math/arith@0.1.0;\n");
    expect(imports(await componentWit(unused.bytes))).toEqual(["example:math/arith@0.1.0"]);
    // A path without the version names the package's interface all the same: the import is named
    // as the interface is, version included, as an import typed by a component's interface is.
    const unversioned = compose("package t:imp;\nimport math: example:math/arith;\n");
    expect(imports(await componentWit(unversioned.bytes))).toEqual(["example:math/arith@0.1.0"]);
    const given = compose(`package t:imp;
import math: example:math/arith;
let app = new example:app { arith: math, ... };
export app.report;
`);
    expect(imports(await componentWit(given.bytes))[0]).toBe("example:math/arith@0.1.0");
  });

  it("refuses import and export names no component may have, before writing one", async () => {
    const bad = (text: string) => wacError(() => compose(`package t:names;\n${text}`));
    const arith = "let a = new example:arith {};\n";
    expect(bad(`${arith}export a.arith as "Arith";\n`).message).toBe(
      'export name "Arith" is not a kebab-case name (`my-name`: lowercase or uppercase words joined by hyphens, starting with a letter)',
    );
    expect(bad(`${arith}export a.arith as "a b";\n`).message).toMatch(/"a b" is not a kebab-case name/);
    expect(bad(`${arith}export a.arith as "x:y";\n`).message).toMatch(
      /neither a kebab-case name .* nor an interface name/,
    );
    expect(bad(`${arith}export a.arith as "[method]r.m";\n`).message).toMatch(/names a resource function/);
    expect(bad('import m as "Bad": example:math/arith@0.1.0;\n').message).toMatch(/^import name "Bad" is not/);
    // Names the same but for case and hyphens: validators refuse the pair, so do we, as WAC errors.
    const twice = bad(`${arith}export a.arith as "ar-ith";\nexport a.arith as "arith";\n`);
    expect(twice.message).toMatch(/exports "ar-ith" and "arith" are not strongly-unique/);
    expect(twice.line).toBe(4);
    const imports = bad(
      'import m as "ma-th": example:math/arith@0.1.0;\nimport s as "math": example:math/stats@0.1.0;\n',
    );
    expect(imports.message).toMatch(/imports "ma-th" and "math" are not strongly-unique/);
    // jco refuses what we refuse: the same pair written by hand does not validate.
    const ok = compose(`package t:names;\n${arith}export a.arith as "ar-ith";\n`);
    expect(await componentWit(ok.bytes)).toContain("export ar-ith: interface {");
  });

  it("exports an instance whole only when it holds functions and types: no interface inside an interface", async () => {
    const e = wacError(() => compose('package t:whole;\nlet a = new example:arith {};\nexport a as "whole";\n'));
    expect(e.message).toMatch(
      /cannot export instance "a" whole as "whole": it exports the interface example:math\/arith@0\.1\.0, .*`export a\.\.\.;`/,
    );
    expect(e.line).toBe(3);
    // A component exporting functions only is exported whole as one interface, which jco reads.
    const fns = await componentFromWit(
      "package t:fns;\nworld w { export hello: func() -> string; export n: func() -> u32; }\n",
      "w",
    );
    const whole = composeWac('package t:whole;\nlet f = new t:fns {};\nexport f as "whole";\n', {
      packages: (name) => (name === "t:fns" ? { kind: "component", bytes: fns } : null),
    });
    expect((await componentWit(whole.bytes)).replace(/\s+/g, " ")).toContain(
      "export whole: interface { hello: func() -> string; n: func() -> u32; }",
    );
  });

  it("passes an import on as an export: an interface under its own name, a function renamed", async () => {
    const r = compose(
      'package t:reexport;\nimport a: example:math/arith;\nexport a;\nimport f: func(x: u32) -> u32;\nexport f as "twice";\n',
    );
    const wit = (await componentWit(r.bytes)).replace(/\s+/g, " ");
    expect(wit).toContain("import example:math/arith@0.1.0;");
    expect(wit).toContain("import f: func(x: u32) -> u32;");
    expect(wit).toContain("export example:math/arith@0.1.0;");
    expect(wit).toContain("export twice: func(x: u32) -> u32;");
  });

  it("takes a function of an exported interface instance as an argument or an export (`i.iface.f`)", async () => {
    const lib = await componentFromWit(
      "package t:lib;\ninterface greet { hello: func() -> string; }\nworld w { export greet; }\n",
      "w",
    );
    const user = await componentFromWit(
      "package t:user;\nworld u { import hello: func() -> string; export run: func() -> string; }\n",
      "u",
    );
    const wrong = await componentFromWit(
      "package t:wrong;\nworld u { import hello: func() -> u32; export run: func() -> string; }\n",
      "u",
    );
    const found: Record<string, WacPackage> = {
      "t:lib": { kind: "component", bytes: lib },
      "t:user": { kind: "component", bytes: user },
      "t:wrong": { kind: "component", bytes: wrong },
    };
    const packages = (name: string) => found[name] ?? null;
    const ok = composeWac(
      'package t:m;\nlet l = new t:lib {};\nlet u = new t:user { hello: l.greet.hello };\nexport u.run;\nexport l.greet["hello"] as "hi";\n',
      { packages },
    );
    const wit = (await componentWit(ok.bytes)).replace(/\s+/g, " ");
    expect(wit).toContain("export run: func() -> string;");
    expect(wit).toContain("export hi: func() -> string;");
    expect(wit).not.toContain("import hello");
    const mismatch = wacError(() =>
      composeWac(
        "package t:m;\nlet l = new t:lib {};\nlet u = new t:wrong { hello: l.greet.hello };\nexport u.run;\n",
        {
          packages,
        },
      ),
    );
    expect(mismatch.message).toMatch(
      /expected u32, found string .*export "t:lib\/greet.hello"|expected u32, found string/,
    );
    const unknown = wacError(() =>
      composeWac('package t:m;\nlet l = new t:lib {};\nexport l.greet.nope as "x";\n', { packages }),
    );
    expect(unknown.message).toMatch(/has no function or type "nope" \(it has hello\)/);
    expect(unknown.line).toBe(3);
  });

  it("checks the `targets` world", () => {
    const ok = compose(`package t:arith targets example:math/arith-lib;
let a = new example:arith {};
export a.arith;
`);
    expect(ok.targets?.name).toBe("example:math/arith-lib");
    const e = wacError(() =>
      compose(`package t:stats targets example:math/arith-lib;
let s = new example:stats {};
export s.stats;
`),
    );
    expect(e.message).toContain("export example:math/arith@0.1.0: required by world arith-lib, not exported");
    expect(e.line).toBe(1);
  });

  it("points a type mismatch at the argument", () => {
    const e = wacError(() =>
      compose(`package t:bad;
let upper = new example:case {};
let arith = new example:arith {};
let app = new example:app {
  arith: upper.case,
  ...
};
export app.report;
`),
    );
    expect(e.code).toBe("WAC_INVALID");
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/^import example:math\/arith@0\.1\.0 > func add: expected a function, found nothing/);
    expect(e.render()).toContain("5 |   arith: upper.case,");
  });

  it("reports a missing argument at the instantiation, unknown packages and exports with hints", () => {
    const missing = wacError(() =>
      compose("package t:m;\nlet app = new example:app { arith: (new example:arith {}).arith };\n"),
    );
    expect(missing.message).toMatch(/missing argument for import "example:math\/stats@0\.1\.0"/);
    expect(missing.line).toBe(2);
    const unknown = wacError(() => compose("package t:m;\nlet x = new example:nope {};\n"));
    expect(unknown.code).toBe("WAC_UNKNOWN");
    expect(unknown.render()).toContain("package `example:nope` not found");
    const noExport = wacError(() => compose("package t:m;\nlet a = new example:arith {};\nexport a.nope;\n"));
    expect(noExport.code).toBe("WAC_UNKNOWN");
    expect(noExport.render()).toContain("its exports: example:math/arith@0.1.0");
  });
});

function checksumOf(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.codePointAt(0)!) | 0;
  return h;
}
