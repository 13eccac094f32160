// `npm run fuzz -- <package> [iterations] [seed]`: builds, then runs a package's mutation fuzzer
// (`packages/<package>/fuzz/fuzz.mjs`). Without a package: lists the fuzzers there are.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ensureNpmDependencies, root, run } from "./lib/bootstrap.mjs";

const targets = readdirSync(join(root, "packages")).filter((p) =>
  existsSync(join(root, "packages", p, "fuzz", "fuzz.mjs")),
);
const [target, ...rest] = process.argv.slice(2);
if (!target || !targets.includes(target)) {
  console.error(`usage: npm run fuzz -- <${targets.join("|")}> [iterations] [seed]`);
  process.exit(2);
}
ensureNpmDependencies();
run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", join(root, "packages", target)]);
run(process.execPath, [join(root, "packages", target, "fuzz", "fuzz.mjs"), ...rest]);
