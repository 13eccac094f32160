// The public API beyond the golden corpus: error positions and rendering, JSON shape, options.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadWit, parseWit, parseWitPackage, printWit, toJson, WitError } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";

function errorOf(fn: () => unknown): WitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WitError) return e;
    throw e;
  }
  throw new Error("expected a WitError");
}

describe("WitError", () => {
  it("carries code, file, line and column of the offending token", () => {
    const e = errorOf(() =>
      parseWit("package a:b;\n\ninterface i {\n  f: func() -> strin;\n}\n", { filename: "x.wit" }),
    );
    expect(e.code).toBe("WIT_UNKNOWN");
    expect(e.message).toBe("name `strin` does not exist");
    expect([e.file, e.line, e.column]).toEqual(["x.wit", 4, 16]);
  });

  it("renders the line with a caret under the span and a hint", () => {
    const e = errorOf(() =>
      parseWit("package a:b;\ninterface i {\n  record point { x: u8 }\n  f: func(p: piont);\n}\n"),
    );
    expect(e.render()).toBe(
      [
        "name `piont` does not exist",
        " --> <input>.wit:4:14",
        "  |",
        "4 |   f: func(p: piont);",
        "  |              ^^^^^",
        "  = help: did you mean `point`?",
      ].join("\n"),
    );
  });

  it("shows a window of a long line around the span, so an error never floods the terminal", () => {
    const types = Array.from({ length: 200 }, (_, i) => `type t${i} = u8;`).join(" ");
    const e = errorOf(() => parseWit(`package a:b;\ninterface i { ${types} type bad = u9; }\n`));
    const [, , , shown, caret] = e.render().split("\n");
    expect(shown!.length).toBeLessThan(180);
    expect(shown).toMatch(/^2 \| ….*type bad = u9; }$/);
    // The caret is still under `u9`.
    const at = caret!.indexOf("^");
    expect(shown!.slice(at, at + 2)).toBe("u9");
  });

  it("counts lines across CRLF line breaks", () => {
    const e = errorOf(() => parseWit("package a:b;\r\n\r\ninterface i {\r\n  type t = u9;\r\n}\r\n"));
    expect([e.line, e.column]).toEqual([4, 12]);
    expect(e.render()).toContain("4 |   type t = u9;\n");
  });

  it("reports syntax errors as expected-versus-found", () => {
    const e = errorOf(() => parseWit("package a:b;\ninterface i { type t = u8 }"));
    expect(e.code).toBe("WIT_SYNTAX");
    expect(e.message).toBe("expected ';', found '}'");
  });

  it("names the package folder file an error comes from", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wit-api-"));
    writeFileSync(join(dir, "a.wit"), "package a:b;\n");
    writeFileSync(join(dir, "b.wit"), "interface i {\n  f: func(x: nope);\n}\n");
    const e = (await loadWit(dir).then(
      () => undefined,
      (x: unknown) => x,
    )) as WitError;
    expect(e).toBeInstanceOf(WitError);
    expect([e.file, e.line, e.column]).toEqual([join(dir, "b.wit"), 2, 14]);
  });

  it("turns inputs too deep to resolve into an error instead of a crash", () => {
    let src = "package a:b;\n";
    for (let i = 0; i < 20000; i++) src += `interface i${i} { use i${i + 1}.{t}; }\n`;
    src += "interface i20000 { type t = u8; }\nworld w { import i0; }\n";
    expect(errorOf(() => parseWit(src)).code).toBe("WIT_INVALID");
  });

  it("reports a missing path as an I/O error", async () => {
    const e = (await loadWit("/nonexistent/path.wit").then(
      () => undefined,
      (x: unknown) => x,
    )) as WitError;
    expect(e.code).toBe("WIT_IO");
  });

  it("says a folder has no .wit files, rather than that no file has a package header", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wit-empty-"));
    writeFileSync(join(dir, "notes.txt"), "not WIT");
    const e = (await loadWit(dir).then(
      () => undefined,
      (x: unknown) => x,
    )) as WitError;
    expect(e.code).toBe("WIT_PACKAGE");
    expect(e.message).toBe(`no .wit files in \`${dir}\``);
    expect(e.hint).toMatch(/dependencies in `deps\/`/);
  });
});

describe("toJson", () => {
  it("has wit-parser's Resolve shape", () => {
    const r = parseWit(
      "package a:b@1.0.0;\n/// docs\ninterface i {\n  type t = u8;\n  @since(version = 1.0.0)\n  f: func(x: t) -> option<string>;\n}\nworld w { import i; export g: async func(); }\n",
    );
    expect(toJson(r)).toEqual({
      worlds: [
        {
          name: "w",
          imports: { "interface-0": { interface: { id: 0 } } },
          exports: { g: { function: { name: "g", kind: "async-freestanding", params: [] } } },
          package: 0,
        },
      ],
      interfaces: [
        {
          name: "i",
          types: { t: 0 },
          functions: {
            f: {
              name: "f",
              kind: "freestanding",
              params: [{ name: "x", type: 0 }],
              result: 1,
              stability: { stable: { since: "1.0.0" } },
            },
          },
          docs: { contents: "docs" },
          package: 0,
        },
      ],
      types: [
        { name: "t", kind: { type: "u8" }, owner: { interface: 0 } },
        { name: null, kind: { option: "string" }, owner: null },
      ],
      packages: [{ name: "a:b@1.0.0", interfaces: { i: 0 }, worlds: { w: 0 } }],
    });
  });
});

describe("parseWit options", () => {
  const src = "package a:b;\ninterface i {\n  @unstable(feature = x)\n  f: func();\n  g: func();\n}\n";
  it("drops @unstable items unless their feature is enabled", () => {
    const names = (r: ReturnType<typeof parseWit>) => [...r.interfaces[0].functions.keys()];
    expect(names(parseWit(src))).toEqual(["g"]);
    expect(names(parseWit(src, { features: ["x"] }))).toEqual(["f", "g"]);
    expect(names(parseWit(src, { allFeatures: true }))).toEqual(["f", "g"]);
  });

  it("prints one world with its package header", () => {
    const { resolve, packageId } = parseWitPackage(
      "package a:b;\ninterface i { f: func(); }\nworld w { import i; }\nworld v {}\n",
    );
    expect(printWit(resolve, packageId, { world: "w" })).toBe("package a:b;\n\nworld w {\n  import i;\n}\n");
  });
});

describe("printWit arguments", () => {
  const { resolve, packageId } = parseWitPackage("package a:b;\nworld command {}\nworld proxy {}\n");

  it("names the worlds there are, with a hint, for an unknown world", () => {
    const e = (() => {
      try {
        printWit(resolve, packageId, { world: "comand" });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(WitError);
    expect((e as WitError).code).toBe("WIT_UNKNOWN");
    expect((e as WitError).message).toBe("no world named `comand` in a:b; its worlds: command, proxy");
    expect((e as WitError).hint).toBe("did you mean `command`?");
  });

  it("refuses a package id the Resolve does not have", () => {
    expect(() => printWit(resolve, 7)).toThrow(new WitError("WIT_UNKNOWN", "no package with id 7 in this Resolve"));
  });
});
