// `npm run bench`: builds, then runs every benchmark (`packages/*/bench/*.bench.mjs`) one after another.
// Each benchmark runs our code and a peer on the same input and prints the ratio.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { buildAll } from "./build.mjs";
import { ensureNpmDependencies, root, run, step } from "./lib/bootstrap.mjs";

const filter = process.argv.slice(2);
ensureNpmDependencies();
await buildAll();
for (const pkg of readdirSync(join(root, "packages"))) {
  let files = [];
  try {
    files = readdirSync(join(root, "packages", pkg, "bench")).filter((f) => f.endsWith(".bench.mjs"));
  } catch {
    continue;
  }
  for (const f of files) {
    const name = `${pkg}/${f.replace(/\.bench\.mjs$/, "")}`;
    if (filter.length && !filter.some((x) => name.includes(x))) continue;
    await step(`bench ${name}`, () => run(process.execPath, ["--expose-gc", join(root, "packages", pkg, "bench", f)]));
  }
}
