// `npm run fuzz -- <package> [iterations] [seed]`: builds, then runs a package's mutation fuzzer
// (`packages/<package>/fuzz/fuzz.mjs`); or `wit-oracle`: mutated WIT compared type for type with
// wit-parser through our binary encoding (`packages/component/fuzz/wit-oracle.mjs`); or
// `plug-oracle`: components jco builds from mutated WIT, plugged and checked by jco
// (`packages/compose/fuzz/plug-oracle.mjs`); or `dts-oracle`: guest declarations of mutated WIT
// type-checked by tsc (`packages/bindgen/fuzz/dts-oracle.mjs`).
// Without a target: lists the fuzzers there are.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { buildAll } from "./build.mjs";
import { ensureNpmDependencies, root, run } from "./lib/bootstrap.mjs";

/** Fuzzers that are not a package's own `fuzz.mjs`: the package to build and the script. */
const extra = {
  "wit-oracle": { pkg: "component", script: "wit-oracle.mjs" },
  "plug-oracle": { pkg: "compose", script: "plug-oracle.mjs" },
  "dts-oracle": { pkg: "bindgen", script: "dts-oracle.mjs" },
  "wit-folders": { pkg: "wit", script: "folders.mjs" },
};
const targets = [
  ...readdirSync(join(root, "packages")).filter((p) => existsSync(join(root, "packages", p, "fuzz", "fuzz.mjs"))),
  ...Object.keys(extra),
];
const [target, ...rest] = process.argv.slice(2);
if (!target || !targets.includes(target)) {
  console.error(`usage: npm run fuzz -- <${targets.join("|")}> [iterations] [seed]`);
  process.exit(2);
}
ensureNpmDependencies();
const { pkg, script } = extra[target] ?? { pkg: target, script: "fuzz.mjs" };
await buildAll();
run(process.execPath, [join(root, "packages", pkg, "fuzz", script), ...rest]);
