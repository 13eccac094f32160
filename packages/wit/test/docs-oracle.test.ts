// Docs as wit-parser reads them: jco's `types` (wit-parser inside) writes each item's docs into
// JSDoc. For the same world, the declarations it makes from the source and from our printed WIT
// must be the same text: our lexer, doc-comment rules and printer agree with wit-parser's reading.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { types } from "@bytecodealliance/jco";
import { parseWitPackage, printWit } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "docs-oracle-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** jco's declarations for world `w` of a WIT source, file by file. */
async function declarations(name: string, source: string): Promise<Record<string, string>> {
  const file = join(dir, `${name}.wit`);
  await writeFile(file, source);
  const out = await types(file, { worldName: "w" });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, new TextDecoder().decode(v)]));
}

const golden = (name: string) => readFile(fileURLToPath(new URL(`golden/${name}/input.wit`, import.meta.url)), "utf8");

const CASES: Record<string, () => Promise<string>> = {
  "every kind of comment (golden docs-comments)": () => golden("docs-comments"),
  "plain comments everywhere, trailing ones documenting the next item": async () => `package a:b;

// a plain line before an interface
interface i {
  enum e {
    a, // trailing plain comment: the docs of b
    b,
  }
  //   indented plain lines
  //     keep their relative indentation
  f: func() -> e;
  /* a plain block, kept with its delimiters */
  g: func();
  /** a doc block */ // then a plain line
  record r {
    // field docs
    x: u8,
  }
  variant v {
    /* case docs */ c(u8),
    d,
  }
  flags fl {
    // flag docs
    one,
  }
  resource res {
    // constructor docs
    constructor();
    /// method docs
    m: func();
  }
}

world w {
  // world-level import docs
  import i;
  export i;
}
`,
  "CRLF line breaks and tabs": async () =>
    "package a:b;\r\ninterface i {\r\n\t/// tabbed doc\r\n\t//\tplain with a tab\r\n\tf: func();\r\n}\r\nworld w { export i; }\r\n",
};

describe("docs as wit-parser reads them (jco types)", () => {
  for (const [name, source] of Object.entries(CASES)) {
    it(name, async () => {
      const text = await source();
      const { resolve, packageId } = parseWitPackage(text);
      const printed = printWit(resolve, packageId);
      const theirs = await declarations("source", text);
      const ours = await declarations("printed", printed);
      // Something is documented, so the comparison says something.
      expect(Object.values(theirs).join("\n")).toMatch(/\/\*\*\n \* /);
      expect(ours).toEqual(theirs);
    });
  }
});
