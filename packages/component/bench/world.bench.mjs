// componentWorld vs jco's componentWit on the largest built componentize-js fixture (about 12 MB),
// in one process: first call and warm, with the ratio; and the heap growth of our decoding.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { componentWorld } from "@wasm-compose/component";

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, "../../../fixtures/build");
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith(".wasm"));
} catch {}
files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
if (files.length === 0) {
  console.log("no fixtures/build/*.wasm: run `npm run fixtures` first");
  process.exit(0);
}
const file = files[0];
const bytes = new Uint8Array(readFileSync(join(dir, file)));
console.log(`${file}: ${(bytes.length / 1e6).toFixed(1)} MB`);

const time = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const oursFirst = await time(() => componentWorld(bytes));
const heapAfter = process.memoryUsage().heapUsed;

const tools = await import("@bytecodealliance/jco-transpile/wasm-tools");
const jcoFirst = await time(() => tools.componentWit(bytes));

const runs = 20;
let ours = Infinity;
let jco = Infinity;
for (let i = 0; i < runs; i++) {
  ours = Math.min(ours, await time(() => componentWorld(bytes)));
  jco = Math.min(jco, await time(() => tools.componentWit(bytes)));
}
const r = (a, b) => (a / b).toFixed(1);
console.log(
  `first call: componentWorld ${oursFirst.toFixed(1)} ms, jco componentWit ${jcoFirst.toFixed(1)} ms, ratio ${r(jcoFirst, oursFirst)}x`,
);
console.log(
  `warm (best of ${runs}): componentWorld ${ours.toFixed(2)} ms, jco componentWit ${jco.toFixed(2)} ms, ratio ${r(jco, ours)}x`,
);
console.log(
  `heap growth of the first componentWorld: ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB for ${(bytes.length / 1024).toFixed(0)} KiB of input`,
);
