// `npm run demo`: the polyglot story end to end with nothing but npm. Rust, C and Go libraries
// (committed prebuilt components, or fresh builds) and a JS app (componentize-js, built here) are
// transpiled with jco and called from Node; the app's five imports are wired to the libraries.
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { ensureNpmDependencies, root, run, step } from "./lib/bootstrap.mjs";

await step("npm dependencies", () => ensureNpmDependencies());
await step("build (tsc -b)", () => run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b"]));

const { ensureFixtures, fixturePath } = await import("../fixtures/lib/fixtures.mjs");
const { transpileFixture } = await import("../fixtures/lib/transpile.mjs");

const libraries = [
  ["rust-arith", "arith", "example:math/arith"],
  ["rust-pattern", "pattern", "example:text/pattern"],
  ["c-stats", "stats", "example:math/stats"],
  ["c-case", "case", "example:text/case"],
  ["go-words", "words", "example:text/words"],
];

const appPath = await step("JS app component (componentize-js; cached after the first run)", async () => {
  const paths = await ensureFixtures(["js-app"], { log: (l) => console.log(`  ${l}`) });
  return paths["js-app"];
});

const transpiled = [];
const imports = {};
await step("libraries: transpile with jco and call from Node", async () => {
  for (const [fixture, name, iface] of libraries) {
    const path = fixturePath(fixture);
    const t = await transpileFixture(path, name);
    transpiled.push(t);
    imports[iface] = t.module[name];
    const size = (await readFile(path)).length;
    console.log(`  ${fixture.padEnd(13)} ${String(size).padStart(9)} B  ${relative(root, path)}`);
  }
  const {
    arith,
    stats,
    pattern,
    case: textCase,
    words,
  } = Object.fromEntries(libraries.map(([, name, iface]) => [name, imports[iface]]));
  console.log(`  rust  arith.add(2147483647, 1)      = ${arith.add(2147483647, 1)}`);
  console.log(`  rust  arith.fib(90)                 = ${arith.fib(90)}`);
  console.log(`  rust  pattern.match("*.wasm", "app.wasm") = ${pattern.match("*.wasm", "app.wasm")}`);
  const m = new pattern.Matcher("lib?.*");
  console.log(`  rust  new Matcher("lib?.*").test("lib1.rs") = ${m.test("lib1.rs")}`);
  m[Symbol.dispose ?? Symbol.for("dispose")]();
  console.log(
    `  c     stats.summarize([1, 2, 3, 10]) = ${JSON.stringify(stats.summarize(new Float64Array([1, 2, 3, 10])))}`,
  );
  console.log(`  c     case.upper("héllo wörld")     = ${textCase.upper("héllo wörld")}`);
  console.log(`  go    words.count("a b  c")          = ${words.count("a b  c")}`);
  console.log(`  go    words.reverse("one two three") = ${words.reverse("one two three")}`);
});

await step("app: the JS component's imports wired to the Rust, C and Go components", async () => {
  const app = await transpileFixture(appPath, "app", { instantiation: "async" });
  transpiled.push(app);
  const { WebAssembly: wasm } = globalThis;
  const instance = await app.module.instantiate(
    async (file) => wasm.compile(await readFile(join(app.dir, file))),
    imports,
  );
  const input = "compose lib.rs stats.c words.go into app.wasm with app.js";
  console.log(`  report.render(${JSON.stringify(input)}):`);
  for (const line of instance.report.render(input).split("\n")) console.log(`    ${line}`);
});

for (const t of transpiled) await t.dispose();
