// Benchmark: how fast the CLI answers `--version` and `--help`, against jco's CLI on the same call.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const ours = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const peer = `${root}node_modules/@bytecodealliance/jco/dist/jco.js`;
const runs = Number(process.env.BENCH_RUNS ?? 15);

function median(bin, args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

for (const args of [["--version"], ["--help"]]) {
  const a = median(ours, args);
  const b = median(peer, args);
  console.log(
    `cli start ${args.join(" ").padEnd(10)} wasm-compose ${a.toFixed(0)} ms  jco ${b.toFixed(0)} ms  ratio ${(b / a).toFixed(2)}x`,
  );
}
