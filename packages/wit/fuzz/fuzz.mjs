// Fuzzes the WIT front end with mutations of the golden corpus (`npm run fuzz -- wit [count] [seed]`).
//   fuzz.mjs [count=100000] [seed]            every input ends in a Resolve or a WitError in time
//   fuzz.mjs --oracle [count=2000] [seed]     also runs each input through wit-parser (jco) and
//                                             reports accept/reject disagreements
// It runs the built dist/ (`npm run fuzz` builds first).
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseWit, WitError } from "../dist/index.js";
import { corpus, fuzz, nextInput, pickFeatures, rng } from "./mutate.mjs";

const argv = process.argv.slice(2).filter((a) => a !== "wit");
const oracle = argv.includes("--oracle");
const args = argv.filter((a) => !a.startsWith("--"));
const count = Number(args[0] ?? (oracle ? 2000 : 100_000));
const seed = Number(args[1] ?? Date.now() % 1_000_000);
// wit-parser 0.259 panics on `/**/`, which poisons its instance; keep such texts out of oracle runs.
const texts = corpus(fileURLToPath(new URL("../test/golden/", import.meta.url))).filter(
  (t) => !oracle || !t.includes("/**/"),
);

function report(failures, out) {
  if (failures.length === 0) return;
  writeFileSync(out, JSON.stringify(failures.slice(0, 50), null, 2));
  console.log(`first failure:\n${failures[0].error}\ninputs written to ${out}`);
  process.exitCode = 1;
}

if (!oracle) {
  const t0 = performance.now();
  const r = fuzz({ parse: parseWit, isWitError: (e) => e instanceof WitError, texts, count, seed, limitMs: 1000 });
  console.log(
    `wit fuzz: ${count} inputs (seed ${seed}, corpus ${texts.length} files) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
      `${r.accepted} accepted, ${r.rejected} rejected with WitError, ${r.failures.length} failures; ` +
      `slowest ${r.slowest.toFixed(1)} ms`,
  );
  report(r.failures, "wit-fuzz-failures.json");
} else {
  const jcoDir = dirname(dirname(createRequire(import.meta.url).resolve("@bytecodealliance/jco-transpile/wasm-tools")));
  // A panic poisons wit-parser's instance: it is loaded afresh (a new module URL) after one.
  let generation = 0;
  const load = async () => {
    const url = `${pathToFileURL(join(jcoDir, "vendor/wasm-tools.js")).href}?g=${generation++}`;
    const m = await import(url);
    await m.$init;
    return m.tools;
  };
  let tools = await load();
  const rand = rng(seed);
  const failures = [];
  const panics = [];
  let bothAccept = 0;
  let bothReject = 0;
  for (let n = 0; n < count; n++) {
    const input = nextInput(texts, rand);
    const features = pickFeatures(input, rand);
    let ours = "accepted";
    try {
      parseWit(input, features.ours);
    } catch (e) {
      if (!(e instanceof WitError)) {
        failures.push({ n, input, error: `crash: ${e?.stack ?? e}` });
        continue;
      }
      ours = e.message;
    }
    let theirs = "accepted";
    try {
      tools.componentEmbed({
        dummy: true,
        witSource: input,
        features: features.jco,
      });
    } catch (e) {
      const m = String(e?.message ?? e);
      if (/wasm trap/.test(m)) {
        // wit-parser's own bug (e.g. 0.259 unwraps an error for a lone @deprecated): no verdict to compare.
        panics.push({ n, input, ours });
        tools = await load();
        continue;
      }
      if (!/contains no worlds|multiple worlds/.test(m)) theirs = m;
    }
    if ((ours === "accepted") !== (theirs === "accepted"))
      failures.push({ n, input, error: `ours: ${ours}\nwit-parser: ${theirs}\nfeatures: ${features.label}` });
    else if (ours === "accepted") bothAccept++;
    else bothReject++;
  }
  console.log(
    `wit oracle fuzz: ${count} inputs (seed ${seed}): ${bothAccept} accepted by both, ${bothReject} rejected by both, ` +
      `${failures.length} disagreements or crashes; wit-parser panicked on ${panics.length} (not compared)`,
  );
  if (panics.length > 0)
    console.log(`first input wit-parser panicked on (ours: ${panics[0].ours}):\n${panics[0].input}`);
  report(failures, "wit-fuzz-oracle-failures.json");
}
