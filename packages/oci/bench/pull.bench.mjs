// Cold pull of a 12 MB component from a local docker-registry vs curl on the same blob (throughput ratios for the
// layer alone and for the whole pull), and a warm pull of a locked digest, which must make zero HTTP requests.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { benchComponent, startBenchRegistry } from "../../../scripts/lib/bench-registry.mjs";
import { AuthClient, OciClient, publishWasm, RemoteRepository } from "../dist/index.js";

const work = mkdtempSync(join(tmpdir(), "wasm-compose-oci-bench-"));

const { host, stop } = await startBenchRegistry(work);
try {
  const { name, path: source, bytes } = benchComponent(work);
  const artifact = await publishWasm(
    new RemoteRepository(host, "bench/component", new AuthClient()),
    { path: source },
    ["1.0.0"],
  );
  console.log(`${name}: ${(bytes.length / 1e6).toFixed(1)} MB`);

  // Every side does the same work from a fresh start each time: a new client (so a new connection,
  // as curl makes), a new cache folder, a new output file. Sides take turns in a rotating order,
  // so machine load spreads over all of them; best and median of `runs` are reported.
  const runs = Number(process.env.RUNS ?? 15);
  const layer = artifact.layerDescriptor;
  const blobUrl = `http://${host}/v2/bench/component/blobs/${layer.digest}`;
  const ref = `${host}/bench/component:1.0.0`;
  let n = 0;
  const out = () => join(work, `out-${n++}`);
  const timed = async (fn) => {
    globalThis.gc?.();
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const curlWall = [];
  const curlThenVerify = [];
  const sides = {
    // curl's own transfer time (connect to last byte written), so its process start is not counted
    // against it: our side is timed inside an already running process too.
    curl: async () => {
      let total = 0;
      const file = out();
      const wall = await timed(() => {
        total = Number(execFileSync("curl", ["-sf", "-o", file, "-w", "%{time_total}", blobUrl]).toString());
      });
      curlWall.push(wall);
      // A peer that verifies too, as a script would: curl's transfer, then sha256 of the file it wrote.
      const hashed = await timed(() => createHash("sha256").update(readFileSync(file)).digest("hex"));
      curlThenVerify.push(total * 1000 + hashed);
      return total * 1000;
    },
    // curl making the requests of a whole pull one after another on one connection (manifest by
    // tag, config, layer; the digests given to it): the sum of its three time_totals.
    curlPull: () => {
      const manifestUrl = `http://${host}/v2/bench/component/manifests/1.0.0`;
      const configUrl = `http://${host}/v2/bench/component/blobs/${artifact.manifest.config.digest}`;
      const accept = "Accept: application/vnd.oci.image.manifest.v1+json";
      const args = ["-sf", "-H", accept, "-w", "%{time_total}\n"];
      for (const url of [manifestUrl, configUrl, blobUrl]) args.push("-o", out(), url);
      const totals = execFileSync("curl", args).toString().trim().split("\n").map(Number);
      return Promise.resolve(totals.reduce((a, b) => a + b, 0) * 1000);
    },
    // The same request as curl's, to a file, with sha256 and size verified while it streams.
    layer: () =>
      timed(() => new RemoteRepository(host, "bench/component", new AuthClient()).fetchBlobToFile(layer, out())),
    // A whole pull as `wasm-compose pull` does it: manifest, config and layer, all verified, the cache filled.
    pull: async () => {
      const cache = out();
      const ms = await timed(() => new OciClient({ cacheDir: cache }).pullWasm(ref, out()));
      rmSync(cache, { recursive: true, force: true });
      return ms;
    },
    pullNoCache: () => timed(() => new OciClient({ cacheDir: false }).pullWasm(ref, out())),
  };
  const times = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  const names = Object.keys(sides);
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      times[name].push(await sides[name]());
    }
    for (const f of readdirSync(work))
      if (f.startsWith("out-")) rmSync(join(work, f), { recursive: true, force: true });
  }
  const best = (xs) => Math.min(...xs);
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const mbps = (ms) => `${(bytes.length / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
  const curl = best(times.curl);
  const wall = best(curlWall);
  const line = (label, xs) =>
    `${label}: ${best(xs).toFixed(1)} ms (${mbps(best(xs))}), median ${median(xs).toFixed(1)} ms; ` +
    `ratio ${(curl / best(xs)).toFixed(2)}x (median ${(median(times.curl) / median(xs)).toFixed(2)}x; ` +
    `${(wall / best(xs)).toFixed(2)}x against curl's wall time)`;
  console.log(`load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores; best and median of ${runs}`);
  console.log(
    `curl, layer to a file: ${curl.toFixed(1)} ms (${mbps(curl)}), median ${median(times.curl).toFixed(1)} ms ` +
      `(curl's time_total; wall time with its process start: ${wall.toFixed(1)} ms)`,
  );
  console.log(line("ours, layer only, to a file, sha256 + size verified", times.layer));
  const verifying = best(curlThenVerify);
  console.log(
    `  against curl then sha256 of its file (${verifying.toFixed(1)} ms, median ${median(curlThenVerify).toFixed(1)} ms): ` +
      `${(verifying / best(times.layer)).toFixed(2)}x (median ${(median(curlThenVerify) / median(times.layer)).toFixed(2)}x)`,
  );
  const curlPull = best(times.curlPull);
  const pullLine = (label, xs) =>
    `${line(label, xs)}; against curl making the same requests (${curlPull.toFixed(1)} ms): ` +
    `${(curlPull / best(xs)).toFixed(2)}x (median ${(median(times.curlPull) / median(xs)).toFixed(2)}x)`;
  console.log(pullLine("ours, whole pull (manifest + config + layer, verified, cache filled)", times.pull));
  console.log(pullLine("ours, whole pull without the cache", times.pullNoCache));
  const ratio = curl / best(times.layer);
  const medianRatio = median(times.curl) / median(times.layer);
  console.log(
    `goal: blob download >= 0.9x curl's throughput on the same blob (time_total; best ${ratio.toFixed(2)}x, ` +
      `median ${medianRatio.toFixed(2)}x of ${runs}): ${ratio >= 0.9 ? "met" : "not met"}`,
  );

  let requests = 0;
  const counting = (...args) => {
    requests++;
    return fetch(...args);
  };
  const cache = join(work, "warm");
  await new OciClient({ cacheDir: cache }).pullWasm(`${host}/bench/component:1.0.0`, join(work, "warm-0.wasm"));
  const locked = `${host}/bench/component@${artifact.manifestDescriptor.digest}`;
  const warm = await timed(() =>
    new OciClient({ cacheDir: cache, fetch: counting }).pullWasm(locked, join(work, "warm-1.wasm")),
  );
  console.log(`warm pull of a locked digest: ${warm.toFixed(1)} ms, ${requests} HTTP requests (goal 0)`);
  if (requests !== 0) process.exitCode = 1;
} finally {
  stop();
  rmSync(work, { recursive: true, force: true });
}
