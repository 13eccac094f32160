// Ctrl-C while a request waits on a registry that stopped answering, or during an upload: the CLI stops at once, reports INTERRUPTED and removes the upload session.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { ProvidedRegistries } from "../../../fixtures/registry/index.js";
import { type FaultProxy, startFaultProxy } from "../../oci/test/fault-proxy.js";

const bin = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/prebuilt/${name}.wasm`, import.meta.url));
const registries: ProvidedRegistries = inject("registries");
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(registries.anonymous.url);
});
afterAll(() => proxy.close());

async function home() {
  const dir = await mkdtemp(join(tmpdir(), "wasm-compose-interrupt-"));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CACHE_HOME: join(dir, "cache"),
    XDG_CONFIG_HOME: join(dir, "config"),
    XDG_DATA_HOME: join(dir, "data"),
    DOCKER_CONFIG: join(dir, "docker"),
  };
  return { dir, env };
}

/** Runs the CLI, sends SIGINT once `ready` holds (checked every 20 ms), and reports how it ended. */
async function interrupt(args: string[], ready: () => boolean) {
  const { dir, env } = await home();
  return interruptIn(dir, env, args, ready);
}

async function interruptIn(dir: string, env: NodeJS.ProcessEnv, args: string[], ready: () => boolean) {
  const child = spawn(process.execPath, [bin, ...args], { env, cwd: dir });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c));
  child.stderr.on("data", (c: Buffer) => (stderr += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  for (let i = 0; i < 500 && !ready(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(ready()).toBe(true);
  const sent = Date.now();
  child.kill("SIGINT");
  const { code, signal } = await exited;
  return { code, signal, stdout, stderr, ms: Date.now() - sent };
}

it("stops a pull waiting on a registry that does not answer, and prints the JSON error", async () => {
  const repo = `cli-interrupt/stalled-${process.pid}`;
  proxy.log.length = 0;
  proxy.decide = (req) => (req.url?.includes("/manifests/") ? { kind: "stall" } : undefined);
  const r = await interrupt(["--json", "pull", `${proxy.host}/${repo}:1.0.0`, "-o", "out.wasm"], () =>
    proxy.log.some((l) => l.includes("/manifests/")),
  );
  expect(r.signal).toBe(null);
  expect(r.code).toBe(130);
  expect(JSON.parse(r.stdout)).toEqual({ error: { code: "INTERRUPTED", message: "interrupted by SIGINT" } });
  // At once, not after the five-second grace.
  expect(r.ms).toBeLessThan(3000);
});

it("stops an upload, deletes its session and says so", async () => {
  const { dir, env } = await home();
  const payload = randomBytes(8 << 20);
  const name = Buffer.from("padding");
  const size = Buffer.from(leb128(name.length + 1 + payload.length));
  const big = Buffer.concat([
    await readFile(fixture("c-case")),
    Buffer.from([0]),
    size,
    Buffer.from([name.length]),
    name,
    payload,
  ]);
  await writeFile(join(dir, "big.wasm"), big);
  proxy.log.length = 0;
  proxy.decide = (req) =>
    req.method === "PUT" || req.method === "PATCH" ? { kind: "slow-upload", delayMs: 50 } : undefined;
  const target = `${proxy.host}/cli-interrupt/bigup-${process.pid}:1.0.0`;
  const uploading = () => proxy.log.some((l) => l.startsWith("PUT ") && l.includes("/blobs/uploads/"));
  // Give the upload a moment to be under way.
  let since: number | undefined;
  const r = await interruptIn(dir, env, ["publish", "big.wasm", target], () => {
    if (!uploading()) return false;
    since ??= Date.now();
    return Date.now() - since > 300;
  });
  expect(r.code).toBe(130);
  expect(r.stderr).toBe("error[INTERRUPTED]: interrupted by SIGINT\n");
  expect(r.ms).toBeLessThan(4000);
  const put = proxy.log.find((l) => l.startsWith("PUT ") && l.includes("/blobs/uploads/"))!;
  const session = new URL(put.slice(4), "http://x").pathname;
  expect(proxy.log.some((l) => l.startsWith("DELETE ") && l.includes(session))).toBe(true);
  expect((await fetch(`${registries.anonymous.url}${session}`)).status).toBe(404);
});

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
