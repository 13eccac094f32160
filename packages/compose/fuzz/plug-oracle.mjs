// Plug oracle fuzz (see plug-oracle-core.mjs): `npm run fuzz -- plug-oracle [count=2000] [seed]`.
// It runs the built dist/ of wit, component and compose.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as component from "@wasm-compose/component";
import * as wit from "@wasm-compose/wit";
import { corpus } from "../../wit/fuzz/mutate.mjs";
import * as compose from "../dist/index.js";
import { plugOracle } from "./plug-oracle-core.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--") && a !== "plug-oracle");
const count = Number(args[0] ?? 2000);
const seed = Number(args[1] ?? Date.now() % 1_000_000);
const texts = corpus(fileURLToPath(new URL("../../wit/test/golden/", import.meta.url))).filter(
  (t) => !t.includes("/**/"),
);
const t0 = performance.now();
const r = await plugOracle({ wit, component, compose, texts, count, seed });
console.log(
  `plug oracle fuzz: ${count} inputs (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
    `${r.plugged} plugged, ${r.skipped} skipped (jco would not build both sides), ${r.unused} with nothing to plug ` +
    `(the consumer needs none of it), ${r.failures.length} failures`,
);
if (r.failures.length) {
  writeFileSync("plug-oracle-failures.json", JSON.stringify(r.failures.slice(0, 50), null, 2));
  console.log(`first:\n${r.failures[0].input}\n${r.failures[0].error}\ninputs written to plug-oracle-failures.json`);
  process.exitCode = 1;
}
