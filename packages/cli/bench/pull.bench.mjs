// Benchmark: `wasm-compose pull` of a 12 MB component from a local docker-registry, as a user runs it
// (a fresh process, an empty cache), against `skopeo copy` of the same image to an OCI layout: a peer
// CLI that also verifies every digest. Node's own start-up is printed beside it, since it is part of
// ours and not of skopeo's (a Go binary).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchComponent, startBenchRegistry } from "../../../scripts/lib/bench-registry.mjs";

const bin = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 11);
const work = mkdtempSync(join(tmpdir(), "wasm-compose-cli-pull-bench-"));

function timed(command, args, env) {
  const t = performance.now();
  const r = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...env } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${r.stderr}`);
  return ms;
}

const { host, stop } = await startBenchRegistry(work);
const ref = `${host}/bench/app:1.0.0`;
try {
  const file = benchComponent(work).path;
  const home = { XDG_CACHE_HOME: join(work, "cache"), XDG_CONFIG_HOME: join(work, "config") };
  timed(process.execPath, [bin, "publish", file, ref, "--quiet"], home);
  const skopeo = spawnSync("skopeo", ["--version"]).status === 0;

  const times = { ours: [], skopeo: [], node: [] };
  for (let i = 0; i < runs; i++) {
    rmSync(join(work, "cache"), { recursive: true, force: true });
    times.ours.push(timed(process.execPath, [bin, "pull", ref, "-o", join(work, `out-${i}.wasm`), "--quiet"], home));
    if (skopeo) {
      const args = ["copy", "-q", "--src-tls-verify=false", `docker://${ref}`, `oci:${join(work, `layout-${i}`)}:x`];
      times.skopeo.push(timed("skopeo", args));
    }
    times.node.push(timed(process.execPath, ["-e", "0"]));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const size = (statSync(file).size / 1e6).toFixed(1);
  const ours = median(times.ours);
  console.log(`wasm-compose pull, fresh process and cache, ${size} MB: ${ours.toFixed(0)} ms (median of ${runs})`);
  console.log(`  of which Node's own start (node -e 0): ${median(times.node).toFixed(0)} ms`);
  if (skopeo) {
    const peer = median(times.skopeo);
    console.log(`skopeo copy to an OCI layout: ${peer.toFixed(0)} ms; ratio ${(peer / ours).toFixed(2)}x`);
  } else {
    console.log("skopeo is not installed: no peer to compare with (npm test installs it)");
  }
  if (Buffer.compare(readFileSync(join(work, "out-0.wasm")), readFileSync(file)) !== 0) {
    throw new Error("the pulled file differs from the published one");
  }
} finally {
  stop();
  rmSync(work, { recursive: true, force: true });
}
