// For benchmarks: a docker-registry of their own on a free loopback port, and the 12 MB component they pull.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const fixtures = fileURLToPath(new URL("../../fixtures/build", import.meta.url));

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

/**
 * Starts docker-registry (anonymous, storage in `work`) and waits until it answers.
 * Returns its `host:port`, its process id and a `stop` function.
 */
export async function startBenchRegistry(work) {
  const port = await freePort();
  const config = join(work, "registry.yml");
  writeFileSync(
    config,
    JSON.stringify({
      version: "0.1",
      log: { level: "error", accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(work, "storage") } },
      http: { addr: `127.0.0.1:${port}` },
    }),
  );
  const child = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  const stop = () => child.kill("SIGTERM");
  const host = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://${host}/v2/`)).ok) return { host, pid: child.pid, stop };
    } catch {}
    if (i > 200) {
      stop();
      throw new Error("docker-registry did not start");
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The largest built fixture (the JS app, about 12 MB) if it is big enough, else 12 MB of
 * component-looking random bytes written to `work`: its name, path and bytes.
 */
export function benchComponent(work) {
  try {
    const files = readdirSync(fixtures)
      .filter((f) => f.endsWith(".wasm"))
      .map((f) => join(fixtures, f))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    if (files[0] && statSync(files[0]).size > 8e6) {
      return { name: files[0], path: files[0], bytes: new Uint8Array(readFileSync(files[0])) };
    }
  } catch {}
  const bytes = new Uint8Array(randomBytes(12e6));
  bytes.set([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
  const path = join(work, "component.wasm");
  writeFileSync(path, bytes);
  return { name: "12 MB of random bytes", path, bytes };
}
