// Benchmark: `wasm-compose pull` of a 12 MB component from a local docker-registry, as a user runs it
// (a fresh process, an empty cache), against `skopeo copy` of the same image to an OCI layout: a peer
// CLI that also verifies every digest. Node's own start-up is printed beside it, since it is part of
// ours and not of skopeo's (a Go binary).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const fixtures = fileURLToPath(new URL("../../../fixtures/build", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 11);
const work = mkdtempSync(join(tmpdir(), "wasm-compose-cli-pull-bench-"));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The largest built fixture (the JS app, about 12 MB) if there is one, else 12 MB of component-looking bytes. */
function component() {
  try {
    const files = readdirSync(fixtures)
      .filter((f) => f.endsWith(".wasm"))
      .map((f) => join(fixtures, f))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    if (files[0] && statSync(files[0]).size > 8e6) return files[0];
  } catch {}
  const bytes = new Uint8Array(randomBytes(12e6));
  bytes.set([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
  const file = join(work, "component.wasm");
  writeFileSync(file, bytes);
  return file;
}

function timed(command, args, env) {
  const t = performance.now();
  const r = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...env } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${r.stderr}`);
  return ms;
}

const port = await freePort();
const config = join(work, "config.yml");
writeFileSync(
  config,
  JSON.stringify({
    version: "0.1",
    log: { level: "error", accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(work, "storage") } },
    http: { addr: `127.0.0.1:${port}` },
  }),
);
const registry = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
const ref = `127.0.0.1:${port}/bench/app:1.0.0`;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).ok) break;
    } catch {}
    if (i > 200) throw new Error("docker-registry did not start");
    await new Promise((r) => setTimeout(r, 25));
  }
  const file = component();
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
  registry.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
