// Mutation fuzzing: every mutation of the valid golden inputs ends in a document or a WacError, never in
// another exception or a hang, and the documents it yields keep their span invariants and print back
// to text that parses to the same tree.
// `FUZZ_COUNT=40000 FUZZ_SEED=7` runs a longer campaign with another seed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseWac, WacError } from "@wasm-compose/compose";
import { describe, expect, it } from "vitest";
// The same seeded PRNG as the WIT fuzzer, so both replay a failure from its seed and index.
import { rng } from "../../../wit/fuzz/mutate.mjs";
import { printWac, withoutSpans } from "./print.js";
import { spanProblems } from "./spans.js";

const root = fileURLToPath(new URL("./golden/", import.meta.url));
const seeds = readdirSync(root)
  .filter((c) => !c.startsWith(".") && !c.startsWith("err-"))
  .sort()
  .map((c) => readFileSync(join(root, c, "input.wac"), "utf8"));

const PIECES = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "<",
  ">",
  ";",
  ":",
  ",",
  ".",
  "...",
  "@",
  "/",
  "->",
  "=",
  "_",
  "%",
  '"',
  '"x"',
  "/*",
  "*/",
  "//",
  "///",
  "\n",
  "\r\n",
  " ",
  "\t",
  "let",
  "new",
  "export",
  "import",
  "use",
  "as",
  "with",
  "package",
  "targets",
  "interface",
  "world",
  "include",
  "record",
  "variant",
  "enum",
  "flags",
  "resource",
  "type",
  "func",
  "async",
  "static",
  "constructor",
  "list",
  "option",
  "result",
  "tuple",
  "own",
  "borrow",
  "u32",
  "string",
  "x",
  "a:b",
  "a:b/c",
  "@1.2.3",
  "@1.0",
  "@01.2.3-rc.1+b",
  "0",
  "4294967296",
  "é",
  "\u202e",
  "\u0007",
  "\ud83d\ude00",
  "\ud800",
  "\ufeff",
  "$",
  "a--b",
  "Ab",
];

function mutate(src: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  let s = src;
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    const at = pick(s.length + 1);
    switch (pick(6)) {
      case 0: // delete a range
        s = s.slice(0, at) + s.slice(Math.min(s.length, at + 1 + pick(12)));
        break;
      case 1: // insert a piece
        s = s.slice(0, at) + PIECES[pick(PIECES.length)] + s.slice(at);
        break;
      case 2: // replace a char with a piece
        s = s.slice(0, at) + PIECES[pick(PIECES.length)] + s.slice(at + 1);
        break;
      case 3: {
        // duplicate a range
        const len = 1 + pick(40);
        s = s.slice(0, at + len) + s.slice(at, at + len) + s.slice(at + len);
        break;
      }
      case 4: // truncate
        s = s.slice(0, at);
        break;
      default: {
        // swap two ranges
        const b = pick(s.length + 1);
        const [x, y] = at < b ? [at, b] : [b, at];
        const len = Math.min(1 + pick(10), y - x);
        s = s.slice(0, x) + s.slice(y, y + len) + s.slice(x + len, y) + s.slice(x, x + len) + s.slice(y + len);
      }
    }
  }
  return s;
}

describe("wac parser under mutation", () => {
  it("ends every mutated input in a document or a WacError", () => {
    const next = rng(Number(process.env.FUZZ_SEED ?? 0x3ac));
    const count = Number(process.env.FUZZ_COUNT ?? 2000);
    let documents = 0;
    for (let i = 0; i < count; i++) {
      const input = mutate(seeds[i % seeds.length], next);
      const started = performance.now();
      try {
        const doc = parseWac(input, { filename: "fuzz.wac" });
        documents++;
        const problems = spanProblems(doc, input);
        expect(problems, `mutation ${i}:\n${input}`).toEqual([]);
        const printed = printWac(doc);
        expect(withoutSpans(parseWac(printed)), `mutation ${i}:\n${input}\nprinted:\n${printed}`).toEqual(
          withoutSpans(doc),
        );
      } catch (e) {
        if (!(e instanceof WacError)) throw new Error(`mutation ${i} threw ${String(e)}:\n${input}`);
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.column).toBeGreaterThanOrEqual(1);
        expect(e.span.offset + e.span.length).toBeLessThanOrEqual(input.length + 1);
        expect(e.render()).toContain(e.message);
      }
      // Generous, for a loaded shared machine: the inputs are small, a slow one means a near-hang.
      expect(performance.now() - started, `mutation ${i} is slow`).toBeLessThan(2000);
    }
    // The mutations must leave some documents valid, or the span checks above test nothing.
    expect(documents).toBeGreaterThan(50);
  });
});
