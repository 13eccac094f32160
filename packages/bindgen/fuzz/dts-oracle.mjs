// Declaration fuzz: for mutated WIT (the wit golden corpus) that resolves, guest bindings are
// generated for each world of the main package and type-checked by tsc (strict, ES2022 only, as
// test/guest-types.test.ts does). Generation may only fail with a BindgenError; the declarations
// must compile without a diagnostic.
//   npm run fuzz -- dts-oracle [count=300] [seed] [--host]     (runs the built dist/ of wit and bindgen)
// With --host, the host packages of jco's dummy components of those worlds (jco's glue left out) instead.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as wit from "@wasm-compose/wit";
import { corpus } from "../../wit/fuzz/mutate.mjs";
import * as bindgen from "../dist/index.js";
import { dtsOracle } from "./dts-oracle-core.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--") && a !== "dts-oracle");
const count = Number(args[0] ?? 300);
const seed = Number(args[1] ?? Date.now() % 1_000_000);
const texts = corpus(fileURLToPath(new URL("../../wit/test/golden/", import.meta.url)));
const t0 = performance.now();
const host = process.argv.includes("--host");
const { checked, refused, failures, jcoStopped, skippedHandles } = await dtsOracle({
  wit,
  bindgen,
  texts,
  count,
  seed,
  host,
});
console.log(
  `dts oracle fuzz: ${count} resolved inputs (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
    `${checked} worlds' ${host ? "host package" : "guest"} declarations type-checked` +
    `${host ? ` (${skippedHandles} left out for a named handle type, on which jco panics)` : ""}, ${refused} refused with BindgenError, ${failures.length} failures`,
);
if (jcoStopped) {
  console.log(`stopped at input ${jcoStopped.n} (world ${jcoStopped.world}): ${jcoStopped.error}\n${jcoStopped.input}`);
}
if (failures.length) {
  writeFileSync("dts-oracle-failures.json", JSON.stringify(failures.slice(0, 50), null, 2));
  console.log(`first:\n${failures[0].input}\n${failures[0].error}\ninputs written to dts-oracle-failures.json`);
  process.exitCode = 1;
}
