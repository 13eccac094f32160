// Ctrl-C while a request waits on a registry that stopped answering, or during an upload: the CLI stops at once, reports INTERRUPTED and removes the upload session.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { ProvidedRegistries } from "../../../fixtures/registry/index.js";
import { type FaultProxy, startFaultProxy } from "../../oci/test/fault-proxy.js";
import { bigComponent } from "./support/big-component.js";
import { isolatedHome } from "./support/home.js";

const bin = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/prebuilt/${name}.wasm`, import.meta.url));
const registries: ProvidedRegistries = inject("registries");
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(registries.anonymous.url);
});
afterAll(() => proxy.close());

const home = () => isolatedHome(tmpdir());

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
  child.kill("SIGINT");
  const { code, signal } = await exited;
  return { code, signal, stdout, stderr };
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
  // Ended by the command itself (exit 130), not by the signal re-raised after the grace period.
});

it("stops an upload, deletes its session and says so", async () => {
  const { dir, env } = await home();
  const big = await bigComponent(fixture("c-case"), 8 << 20);
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
  const put = proxy.log.find((l) => l.startsWith("PUT ") && l.includes("/blobs/uploads/"))!;
  const session = new URL(put.slice(4), "http://x").pathname;
  expect(proxy.log.some((l) => l.startsWith("DELETE ") && l.includes(session))).toBe(true);
  expect((await fetch(`${registries.anonymous.url}${session}`)).status).toBe(404);
});
