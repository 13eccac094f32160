// The public WAC front-end API: options of parseWac, the fields of WacError, referencedPackages, isSemver.
import { checkWac, isSemver, parseWac, referencedPackages, WacError } from "@wasm-compose/compose";
import { describe, expect, it } from "vitest";

function errorOf(f: () => unknown): WacError {
  try {
    f();
  } catch (e) {
    if (e instanceof WacError) return e;
    throw e;
  }
  throw new Error("expected a WacError");
}

describe("parseWac", () => {
  it("names the source <input>.wac unless a filename is given", () => {
    expect(errorOf(() => parseWac("package x;")).file).toBe("<input>.wac");
    expect(errorOf(() => parseWac("package x;", { filename: "a/b.wac" })).file).toBe("a/b.wac");
  });

  it("skips the name checks with checkNames: false, and checkWac runs them on their own", () => {
    const src = "package my:app;\nlet x = new my:x { y };\n";
    const doc = parseWac(src, { checkNames: false });
    expect(doc.statements).toHaveLength(1);
    const e = errorOf(() => checkWac(doc, src));
    expect(e.code).toBe("WAC_UNKNOWN");
    expect(e.line).toBe(2);
  });

  it("parses an empty composition to a document with no statements", () => {
    const doc = parseWac("package my:app;");
    expect(doc.package.name.name).toBe("my:app");
    expect(doc.statements).toEqual([]);
  });
});

describe("WacError", () => {
  it("carries code, file, line, column, span and hint", () => {
    const e = errorOf(() => parseWac("package my:app;\nimport logger: func();\nlet x = new my:x { loger };\n"));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("WacError");
    expect(e.code).toBe("WAC_UNKNOWN");
    expect(e.message).toBe("`loger` is not defined");
    expect([e.file, e.line, e.column]).toEqual(["<input>.wac", 3, 20]);
    expect(e.span).toEqual({ offset: 58, line: 3, column: 20, length: 5 });
    expect(e.hint).toBe("did you mean `logger`?");
  });

  it("keeps tabs before the caret so it lines up under the error", () => {
    const e = errorOf(() => parseWac("package my:app;\n\tlet\tx = $;\n"));
    const lines = e.render().split("\n");
    expect(lines[3]).toBe("2 | \tlet\tx = $;");
    expect(lines[4]).toBe("  | \t   \t    ^");
  });

  it("can be made by a later pass from a node's span and the document's text", () => {
    const text = "package my:app;\nlet x = new my:x { ... };\n";
    const doc = parseWac(text, { filename: "app.wac" });
    const stmt = doc.statements[0];
    if (stmt.kind !== "let" || stmt.expr.primary.tag !== "new") throw new Error("expected a let of a new");
    const e = new WacError(
      "WAC_UNKNOWN",
      "package `my:x` not found",
      { name: doc.filename, text },
      stmt.expr.primary.new.component.span,
      "pass it with --dep my:x=path",
    );
    expect(e.render()).toBe(
      [
        "package `my:x` not found",
        " --> app.wac:2:13",
        "  |",
        "2 | let x = new my:x { ... };",
        "  |             ^^^^",
        "  = help: pass it with --dep my:x=path",
      ].join("\n"),
    );
  });

  it("suggests nothing when no name is close", () => {
    const e = errorOf(() => parseWac("package my:app;\nimport a: func();\nexport zzzzzz;\n"));
    expect(e.hint).toBeNull();
    expect(e.render()).not.toContain("help");
  });
});

describe("referencedPackages", () => {
  it("lists each package and version once, in order of first reference, without the document's own", () => {
    const doc = parseWac(
      [
        "package my:app@1.0.0 targets wasi:http/proxy@0.2.0;",
        "import a: wasi:http/types@0.2.0;",
        "import b: wasi:http/types@0.2.1;",
        "import c: my:lib/x;",
        "let i = new my:comp { a, inner: (new other:comp@2.0.0 { ... }) };",
        "let j = new my:comp { ... };",
        "interface t { use dep:types/shared.{s}; }",
        "world w { import wasi:cli/env@0.2.0; include wasi:cli/imports@0.2.0; }",
      ].join("\n"),
    );
    const refs = referencedPackages(doc).map((r) => (r.version ? `${r.name}@${r.version}` : r.name));
    expect(refs).toEqual([
      "wasi:http@0.2.0",
      "wasi:http@0.2.1",
      "my:lib",
      "my:comp",
      "other:comp@2.0.0",
      "dep:types",
      "wasi:cli@0.2.0",
    ]);
    const first = referencedPackages(doc)[0];
    expect(first.span).toMatchObject({ offset: 29, line: 1, column: 30, length: 9 });
  });
});

describe("isSemver", () => {
  it.each([
    ["1.2.3", true],
    ["0.0.0", true],
    ["1.2.3-rc.1", true],
    ["1.2.3-0.a-b.7", true],
    ["1.2.3+build.5", true],
    ["1.2.3-rc.1+build.05", true],
    ["1.2", false],
    ["01.2.3", false],
    ["1.2.3-01", false],
    ["1.2.3-", false],
    ["1.2.3+", false],
    ["1.2.3-a..b", false],
    ["1.2.3.4", false],
  ])("%s is %s", (v, ok) => {
    expect(isSemver(v)).toBe(ok);
  });
});
