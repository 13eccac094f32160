// `npm run demo`: the polyglot story with nothing but npm. Libraries written in Rust, C and Go
// (committed prebuilt components) are published to the embedded default store (a local OCI image
// layout), pulled back by package name and version requirement, plugged into a JS app built here
// with componentize-js, and the one composed component is run from Node as an ordinary package.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { buildAll } from "./build.mjs";
import { ensureNpmDependencies, root, step } from "./lib/bootstrap.mjs";

await step("npm dependencies", () => ensureNpmDependencies());
await step("build (tsc -b, bundles)", () => buildAll());

const work = join(root, ".cache", "demo");
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
// The demo's own store and cache, so it leaves the user's ~/.local/share/wasm-compose alone.
process.env.WASM_COMPOSE_LOCAL_REGISTRY = join(work, "registry");
process.env.XDG_CACHE_HOME = join(work, "cache");

const { main } = await import("../packages/cli/bundle/index.js");
const { ensureFixtures, fixturePath } = await import("../fixtures/lib/fixtures.mjs");
const rel = (p) => relative(root, p);

/** Runs a wasm-compose command in this process, shows it as a user would type it, and fails loudly. */
async function wasmCompose(...args) {
  console.log(`  $ wasm-compose ${args.map((a) => (a.startsWith(root) ? rel(a) : a)).join(" ")}`);
  let stdout = "";
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => process.stderr.write(s) });
  for (const line of stdout.trimEnd().split("\n")) console.log(`    ${line}`);
  if (code !== 0) throw new Error(`wasm-compose ${args[0]} failed with exit code ${code}`);
  return stdout;
}

const libraries = [
  ["rust-arith", "demo:arith", "Rust"],
  ["rust-pattern", "demo:pattern", "Rust"],
  ["c-stats", "demo:stats", "C"],
  ["c-case", "demo:case", "C"],
  ["go-words", "demo:words", "Go"],
];

await step("publish the Rust, C and Go libraries to the local store", async () => {
  for (const [fixture, pkg] of libraries) await wasmCompose("publish", fixturePath(fixture), `${pkg}@0.1.0`);
});

const pulled = await step("pull them back by name and version requirement", async () => {
  const files = [];
  for (const [, pkg] of libraries) {
    const file = join(work, `${pkg.split(":")[1]}.wasm`);
    await wasmCompose("pull", `${pkg}@^0.1`, "-o", file);
    files.push(file);
  }
  return files;
});

const app = await step("the JS app (componentize-js; cached after the first run)", async () => {
  const paths = await ensureFixtures(["js-app"], { log: (l) => console.log(`  ${l}`) });
  return paths["js-app"];
});

const composed = join(work, "app.wasm");
await step("plug the libraries into the app: one component", async () => {
  await wasmCompose("plug", app, ...pulled.flatMap((f) => ["--plug", f]), "-o", composed);
  const wit = await wasmCompose("inspect", composed, "--wit");
  if (/import example:/.test(wit)) throw new Error("the composed app still imports a library");
});

await step("run it from Node as a package", async () => {
  await wasmCompose("bindings", composed, "--host", "--name", "demo-app", "-o", join(work, "node_modules", "demo-app"));
  const program = join(work, "main.mjs");
  await writeFile(program, 'import { report } from "demo-app";\nexport const render = (s) => report.render(s);\n');
  const { render } = await import(pathToFileURL(program).href);
  const input = "compose lib.rs stats.c words.go into app.wasm with app.js";
  console.log(`  report.render(${JSON.stringify(input)}):`);
  for (const line of render(input).split("\n")) console.log(`    ${line}`);
  const size = (await readFile(composed)).length;
  console.log(`  ${rel(composed)}: ${size} bytes, Rust + C + Go + JS in one component`);
});
