// Cold pull of a 12 MB component from a local docker-registry vs curl on the same blob (throughput ratio),
// and a warm pull of a locked digest, which must make zero HTTP requests.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuthClient, OciClient, publishWasm, RemoteRepository } from "../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "wasm-compose-oci-bench-"));

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

/** The largest built fixture if it is big enough, else 12 MB of component-looking bytes. */
function component() {
  const dir = join(here, "../../../fixtures/build");
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".wasm"))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    if (files[0] && statSync(files[0]).size > 8e6)
      return { name: files[0], bytes: new Uint8Array(readFileSync(files[0])) };
  } catch {}
  const bytes = new Uint8Array(randomBytes(12e6));
  bytes.set([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
  return { name: "12 MB of random bytes", bytes };
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
const host = `127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.ok) break;
    } catch {}
    if (i > 200) throw new Error("docker-registry did not start");
    await new Promise((r) => setTimeout(r, 25));
  }
  const { name, bytes } = component();
  const source = join(work, "component.wasm");
  writeFileSync(source, bytes);
  const artifact = await publishWasm(
    new RemoteRepository(host, "bench/component", new AuthClient()),
    { path: source },
    ["1.0.0"],
  );
  console.log(`${name}: ${(bytes.length / 1e6).toFixed(1)} MB`);

  const time = async (fn) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const runs = 7;
  let ours = Infinity;
  let direct = Infinity;
  let curl = Infinity;
  const blobUrl = `http://${host}/v2/bench/component/blobs/${artifact.layerDescriptor.digest}`;
  for (let i = 0; i < runs; i++) {
    const cache = join(work, `cache-${i}`);
    const client = new OciClient({ cacheDir: cache });
    ours = Math.min(
      ours,
      await time(() => client.pullWasm(`${host}/bench/component:1.0.0`, join(work, `out-${i}.wasm`))),
    );
    const uncached = new OciClient({ cacheDir: false });
    direct = Math.min(
      direct,
      await time(() => uncached.pullWasm(`${host}/bench/component:1.0.0`, join(work, `direct-${i}.wasm`))),
    );
    curl = Math.min(curl, await time(() => execFileSync("curl", ["-sf", "-o", join(work, `curl-${i}.bin`), blobUrl])));
    rmSync(cache, { recursive: true, force: true });
  }
  const mbps = (ms) => (bytes.length / 1e6 / (ms / 1000)).toFixed(0);
  console.log(
    `cold pull without cache (best of ${runs}): ours ${direct.toFixed(1)} ms (${mbps(direct)} MB/s), ` +
      `curl ${curl.toFixed(1)} ms, ratio ${(curl / direct).toFixed(2)}x`,
  );
  console.log(
    `cold pull (best of ${runs}): ours ${ours.toFixed(1)} ms (${mbps(ours)} MB/s, manifest + config + layer, verified), ` +
      `curl ${curl.toFixed(1)} ms (${mbps(curl)} MB/s, layer only), ratio ${(curl / ours).toFixed(2)}x (goal >= 0.9x)`,
  );

  let requests = 0;
  const counting = (...args) => {
    requests++;
    return fetch(...args);
  };
  const cache = join(work, "warm");
  await new OciClient({ cacheDir: cache }).pullWasm(`${host}/bench/component:1.0.0`, join(work, "warm-0.wasm"));
  const locked = `${host}/bench/component@${artifact.manifestDescriptor.digest}`;
  const warm = await time(() =>
    new OciClient({ cacheDir: cache, fetch: counting }).pullWasm(locked, join(work, "warm-1.wasm")),
  );
  console.log(`warm pull of a locked digest: ${warm.toFixed(1)} ms, ${requests} HTTP requests (goal 0)`);
  if (requests !== 0) process.exitCode = 1;
} finally {
  registry.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
