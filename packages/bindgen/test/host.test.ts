// Host packages: a Node TypeScript program imports the Rust, C and Go fixture components as
// ordinary libraries, type-checks against our declarations, and gets the right answers.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { generateHostPackage, type HostPackage } from "@wasm-compose/bindgen";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures } from "../../../fixtures/lib/fixtures.mjs";
import { type Diagnostic, scratch, typecheck } from "./helpers.js";

const run = promisify(execFile);

let dir: string;
let dispose: () => Promise<void>;
const packages: Record<string, HostPackage> = {};
let diagnostics: Diagnostic[];

const PROGRAM = `
import { add, fib, mul } from "rust-arith";
import { Matcher, match } from "rust-pattern";
import { ComponentError, summarize, type Summary } from "c-stats";
import { lower, upper } from "c-case";
import { count, reverse } from "go-words";
import * as statsUnion from "c-stats-union";

const out: Record<string, unknown> = {};
out.add = add(2, 40);
out.wrap = add(2147483647, 1);
out.mul = mul(6, 7);
out.fib = fib(90).toString();
out.match = match("*.rs", "lib.rs");
const m = new Matcher("a?c");
out.test = [m.test("abc"), m.test("abd"), m.source()];
m[Symbol.dispose]();
const s: Summary = summarize(new Float64Array([1, 2, 6]));
out.summary = s;
try {
  summarize(new Float64Array([]));
} catch (e) {
  out.error = e instanceof ComponentError ? { payload: e.payload, message: e.message } : String(e);
}
out.union = [statsUnion.summarize(new Float64Array([4])), statsUnion.summarize(new Float64Array([]))];
out.case = [upper("Hello"), lower("WoRLD")];
out.words = [count("one two  three"), reverse("one two three")];
console.log(JSON.stringify(out));
`;

beforeAll(async () => {
  ({ dir, dispose } = await scratch("host"));
  const names = ["rust-arith", "rust-pattern", "c-stats", "c-case", "go-words"] as const;
  const paths = await ensureFixtures([...names]);
  const make = async (fixture: (typeof names)[number], name: string, results?: "union") => {
    const bytes = await readFile(paths[fixture]!);
    packages[name] = await generateHostPackage(bytes, { name, outDir: join(dir, "node_modules", name), results });
  };
  for (const name of names) await make(name, name);
  await make("c-stats", "c-stats-union", "union");
  await writeFile(join(dir, "main.ts"), PROGRAM);
  await writeFile(join(dir, "globals.d.ts"), "declare const console: { log(...args: unknown[]): void };\n");
  diagnostics = typecheck(dir, ["main.ts", "globals.d.ts"]);
  const js = await transform(PROGRAM, { loader: "ts", format: "esm" });
  await writeFile(join(dir, "main.mjs"), js.code);
}, 180_000);

afterAll(async () => {
  await dispose?.();
});

describe("host packages", () => {
  it("are npm packages: type module, exports, types, and preview2-shim only when WASI is imported", async () => {
    const pkg = JSON.parse(await readFile(join(dir, "node_modules/go-words/package.json"), "utf8"));
    expect(pkg).toMatchObject({
      name: "go-words",
      type: "module",
      types: "./index.d.ts",
      exports: { ".": { types: "./index.d.ts", default: "./index.js" } },
      dependencies: { "@bytecodealliance/preview2-shim": "0.25.0" },
    });
    expect(packages["go-words"].imports.some((i) => i.startsWith("@bytecodealliance/preview2-shim/"))).toBe(true);
    const rust = JSON.parse(await readFile(join(dir, "node_modules/rust-arith/package.json"), "utf8"));
    expect(rust.dependencies).toBeUndefined();
    expect(packages["rust-arith"].interfaces).toEqual(["example:math/arith@0.1.0"]);
  });

  it("type-check a program using all five", () => {
    expect(diagnostics).toEqual([]);
  });

  it("run it in Node with the right answers", async () => {
    const { stdout } = await run(process.execPath, [join(dir, "main.mjs")], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({
      add: 42,
      wrap: -2147483648,
      mul: 42,
      fib: "2880067194370816120",
      match: true,
      test: [true, false, "a?c"],
      summary: { count: 3, mean: 3, min: 1, max: 6 },
      error: { payload: "summarize: the list is empty", message: "summarize: the list is empty" },
      union: [
        { tag: "ok", val: { count: 1, mean: 4, min: 4, max: 4 } },
        { tag: "err", val: "summarize: the list is empty" },
      ],
      case: ["HELLO", "world"],
      words: [3, "three two one"],
    });
  });
});
