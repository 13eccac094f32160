// Differential fuzzing of WIT folders (several files per package, deps/ with sub-folders and single
// files) against wit-parser: each golden case with an `input/` folder is copied, one or two of its
// files are mutated, and `loadWit` must accept exactly when jco's componentEmbed({witPath}) does.
//   node packages/wit/fuzz/folders.mjs [count=2000] [seed]     (runs the built dist/)
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTools } from "../../component/fuzz/wit-oracle-core.mjs";
import { loadWit, WitError } from "../dist/index.js";
import { corpus, mutate, rng } from "./mutate.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const count = Number(args[0] ?? 2000);
const seed = Number(args[1] ?? Date.now() % 1_000_000);
const golden = fileURLToPath(new URL("../test/golden/", import.meta.url));
const texts = corpus(golden).filter((t) => !t.includes("/**/"));
const cases = readdirSync(golden)
  .filter((d) => statSync(join(golden, d)).isDirectory() && readdirSync(join(golden, d)).includes("input"))
  .map((d) => join(golden, d, "input"));

/** Every .wit file under `dir`. */
function witFiles(dir) {
  const out = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...witFiles(p));
    else if (n.endsWith(".wit")) out.push(p);
  }
  return out;
}

let tools = await loadTools();
const rand = rng(seed);
const work = mkdtempSync(join(tmpdir(), "wit-folders-"));
const failures = [];
let bothAccept = 0;
let bothReject = 0;
let panics = 0;
const t0 = performance.now();
try {
  for (let n = 0; n < count; n++) {
    const dir = join(work, String(n));
    cpSync(cases[Math.floor(rand() * cases.length)], dir, { recursive: true, dereference: true });
    const files = witFiles(dir);
    for (let k = rand() < 0.7 ? 1 : 2; k > 0; k--) {
      const f = files[Math.floor(rand() * files.length)];
      writeFileSync(f, mutate(readFileSync(f, "utf8"), rand, texts));
    }
    const allFeatures = rand() < 0.3;
    let ours = "accepted";
    try {
      await loadWit(dir, { allFeatures });
    } catch (e) {
      if (!(e instanceof WitError)) failures.push({ n, error: `crash: ${e?.stack ?? e}`, files: snapshot(dir) });
      ours = e.message;
    }
    let theirs = "accepted";
    try {
      tools.componentEmbed({
        dummy: true,
        witPath: dir,
        features: allFeatures ? { tag: "all" } : { tag: "list", val: [] },
      });
    } catch (e) {
      const m = String(e?.message ?? e);
      if (/wasm trap/.test(m)) {
        panics++;
        tools = await loadTools();
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (!/contains no worlds|multiple worlds|one must be explicitly chosen/.test(m)) theirs = m;
    }
    if ((ours === "accepted") !== (theirs === "accepted")) {
      failures.push({
        n,
        error: `ours: ${ours}\nwit-parser: ${theirs}\nallFeatures: ${allFeatures}`,
        files: snapshot(dir),
      });
    } else if (ours === "accepted") bothAccept++;
    else bothReject++;
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The folder's files by relative path, for the report. */
function snapshot(dir) {
  return Object.fromEntries(witFiles(dir).map((f) => [f.slice(dir.length + 1), readFileSync(f, "utf8")]));
}

console.log(
  `wit folder oracle fuzz: ${count} folders (seed ${seed}, ${cases.length} cases) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
    `${bothAccept} accepted by both, ${bothReject} rejected by both, ${failures.length} disagreements or crashes; ` +
    `wit-parser panicked on ${panics}`,
);
if (failures.length) {
  writeFileSync("wit-folders-failures.json", JSON.stringify(failures.slice(0, 30), null, 2));
  console.log(`first:\n${JSON.stringify(failures[0].files, null, 2)}\n${failures[0].error}`);
  process.exitCode = 1;
}
