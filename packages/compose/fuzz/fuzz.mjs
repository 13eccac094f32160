// Mutation fuzzing of the WAC front end and composition (`npm run fuzz -- compose [count] [seed]`).
// Mutated `input.wac` files of the golden corpus are composed with the test packages
// (test/wac-deps and each case's deps/); only WacError may escape, each input must end within a
// time bound, and every composition that succeeds must be a component jco reads and validates (print and componentWit).
// It runs the built dist/ of wit and compose; test/wac-fuzz.test.ts runs a short version.
import { writeFileSync } from "node:fs";
import * as wit from "@wasm-compose/wit";
import * as compose from "../dist/index.js";
import { wacFuzz } from "./wac-fuzz-core.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--") && a !== "compose");
const count = Number(args[0] ?? 20_000);
const seed = Number(args[1] ?? Date.now() % 1_000_000);
const t0 = performance.now();
const { cases, composed, rejected, slowest, failures } = await wacFuzz({ wit, compose, count, seed });
console.log(
  `compose fuzz: ${count} inputs (seed ${seed}, ${cases} WAC cases) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
    `${composed} composed (each validated by jco), ${rejected} rejected with WacError, ${failures.length} failures; ` +
    `slowest ${slowest.toFixed(1)} ms`,
);
if (failures.length) {
  writeFileSync("compose-fuzz-failures.json", JSON.stringify(failures.slice(0, 50), null, 2));
  console.log(
    `first (${failures[0].case}):\n${failures[0].input}\n${failures[0].error}\ninputs written to compose-fuzz-failures.json`,
  );
  process.exitCode = 1;
}
