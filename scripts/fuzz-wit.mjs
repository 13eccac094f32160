// Fuzzes the WIT front end: mutates the golden corpus and checks that every input ends in a
// Resolve or a WitError within a time bound. Usage: node scripts/fuzz-wit.mjs [count] [seed]
// (needs `npx tsc -b` first; it runs the built packages/wit/dist).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseWit, WitError } from "../packages/wit/dist/index.js";
import { corpus, fuzz } from "../packages/wit/test/fuzz/mutate.mjs";

const args = process.argv.slice(2).filter((a) => a !== "wit");
const count = Number(args[0] ?? 100_000);
const seed = Number(args[1] ?? Date.now() % 1_000_000);
const texts = corpus(fileURLToPath(new URL("../packages/wit/test/golden/", import.meta.url)));
const t0 = performance.now();
const r = fuzz({ parse: parseWit, isWitError: (e) => e instanceof WitError, texts, count, seed, limitMs: 1000 });
const secs = ((performance.now() - t0) / 1000).toFixed(1);
console.log(
  `wit fuzz: ${count} inputs (seed ${seed}, corpus ${texts.length} files) in ${secs} s: ` +
    `${r.accepted} accepted, ${r.rejected} rejected with WitError, ${r.failures.length} failures; ` +
    `slowest ${r.slowest.toFixed(1)} ms`,
);
if (r.failures.length > 0) {
  const out = "wit-fuzz-failures.json";
  writeFileSync(out, JSON.stringify(r.failures.slice(0, 50), null, 2));
  console.log(`first failure:\n${r.failures[0].error}\ninputs written to ${out}`);
  process.exitCode = 1;
}
