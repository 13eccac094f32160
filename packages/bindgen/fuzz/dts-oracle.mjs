// Declaration fuzz: for mutated WIT (the wit golden corpus) that resolves, guest bindings are
// generated for each world of the main package and type-checked by tsc (strict, ES2022 only, as
// test/guest-types.test.ts does). Generation may only fail with a BindgenError; the declarations
// must compile without a diagnostic.
//   npm run fuzz -- dts-oracle [count=300] [seed] [--host]     (runs the built dist/ of wit and bindgen)
// With --host, the host packages of jco's dummy components of those worlds (jco's glue left out) instead.
// jco's transpiler cannot run again in a process where it panicked, so with --host the inputs run in
// child processes: after a panic, a new one goes on from the next input.
import { execFileSync } from "node:child_process";
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
const startArg = process.argv.find((a) => a.startsWith("--start="));
const run = (start) => dtsOracle({ wit, bindgen, texts, count, seed, host, start });

if (startArg !== undefined) {
  // A child: its result as one JSON line for the parent.
  console.log(`RESULT ${JSON.stringify(await run(Number(startArg.slice(8))))}`);
} else {
  let total = { checked: 0, refused: 0, skippedHandles: 0, failures: [] };
  const panics = [];
  if (!host) total = await run(0);
  for (let start = 0; host && start < count; ) {
    const self = fileURLToPath(import.meta.url);
    const out = execFileSync(process.execPath, [self, String(count), String(seed), "--host", `--start=${start}`], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    const r = JSON.parse(
      out
        .split("\n")
        .find((l) => l.startsWith("RESULT "))
        .slice(7),
    );
    for (const k of ["checked", "refused", "skippedHandles"]) total[k] += r[k];
    total.failures.push(...r.failures);
    if (r.jcoStopped === null) break;
    panics.push(r.jcoStopped);
    start = r.jcoStopped.n + 1;
  }
  const { checked, refused, failures, skippedHandles } = total;
  console.log(
    `dts oracle fuzz: ${count} resolved inputs (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
      `${checked} worlds' ${host ? "host package" : "guest"} declarations type-checked` +
      `${host ? ` (${skippedHandles} left out for a named handle type, on which jco panics; ${panics.length} jco panics, each stepped past in a new process)` : ""}, ${refused} refused with BindgenError, ${failures.length} failures`,
  );
  for (const p of panics.slice(0, 3)) console.log(`jco panicked at input ${p.n} (world ${p.world}): ${p.error}`);
  if (failures.length) {
    writeFileSync("dts-oracle-failures.json", JSON.stringify(failures.slice(0, 50), null, 2));
    console.log(`first:\n${failures[0].input}\n${failures[0].error}\ninputs written to dts-oracle-failures.json`);
    process.exitCode = 1;
  }
}
