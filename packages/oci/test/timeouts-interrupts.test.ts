// A registry that stops answering times out; an aborted pull or publish stops at once, removes its upload session and caches no tag without its layer.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AuthClient,
  CachedStore,
  ContentCache,
  OciClient,
  type OciError,
  openEnvironment,
  publishWasm,
  pullWasm,
  RemoteRepository,
  sha256,
  withAbortSignal,
} from "../src/index.js";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";
import { clientFor, fakeComponent, repoName, tempDir } from "./helpers.js";

const registry = inject("registries").anonymous;
let proxy: FaultProxy;
const name = repoName("timeouts");
const wasm = fakeComponent(400_000);
const layerDigest = sha256(wasm);

beforeAll(async () => {
  await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), wasm, ["1.0.0"]);
  proxy = await startFaultProxy(registry.url);
});
afterAll(() => proxy.close());

const isLayerGet = (url: string | undefined, method: string | undefined) =>
  method === "GET" && !!url?.endsWith(layerDigest);

function client(timeoutMs: number): AuthClient {
  return new AuthClient({ timeoutMs, retry: { attempts: 2, baseDelayMs: 1 } });
}

describe("timeouts", () => {
  it("fails with TIMEOUT, naming the host, when a registry accepts and never answers", async () => {
    proxy.decide = (req) => (req.url?.includes("/manifests/") ? { kind: "stall" } : undefined);
    const err = (await new RemoteRepository(proxy.host, name, client(300))
      .fetchManifest("1.0.0")
      .catch((e: unknown) => e)) as OciError;
    expect(err.code).toBe("TIMEOUT");
    expect(err.message).toContain(proxy.host);
    expect(err.message).toMatch(/waiting for the response to GET \/v2\/.*\/manifests\/1\.0\.0/);
    // Two attempts, each ended by the 300 ms timeout (the test would run into its own time limit otherwise).
    expect(proxy.log.filter((l) => l.includes("/manifests/1.0.0")).length).toBeGreaterThanOrEqual(2);
  });

  describe.each([
    { reader: "the bulk reader", bulkMinBytes: undefined },
    { reader: "node:http", bulkMinBytes: Number.POSITIVE_INFINITY },
  ])("a body that stops mid-way, read by $reader", ({ bulkMinBytes }) => {
    it("times out with what was waiting", async () => {
      await using dir = await tempDir("stall");
      // Every attempt gets the head and no byte of the body (attempts that bring bytes go on with Range requests).
      proxy.decide = (req) => (isLayerGet(req.url, req.method) ? { kind: "stall", afterBytes: 0 } : undefined);
      const repo = new RemoteRepository(proxy.host, name, client(300), {
        blobAttempts: 2,
        ...(bulkMinBytes === undefined ? {} : { bulkMinBytes }),
      });
      const err = (await pullWasm(repo, "1.0.0", join(dir.path, "out.wasm")).catch((e: unknown) => e)) as OciError;
      expect(err.code).toBe("TIMEOUT");
      expect(err.message).toContain(proxy.host);
      expect(err.message).toContain("waiting for more of the response body of GET");
      expect(await readdir(dir.path)).toEqual([]);
    });

    it("does not time out a slow transfer that keeps moving", async () => {
      await using dir = await tempDir("slow");
      // About seven chunks 150 ms apart: the whole takes three times the timeout, no gap reaches it.
      proxy.decide = (req) => (isLayerGet(req.url, req.method) ? { kind: "slow", delayMs: 150 } : undefined);
      const repo = new RemoteRepository(proxy.host, name, client(400), {
        blobAttempts: 1,
        ...(bulkMinBytes === undefined ? {} : { bulkMinBytes }),
      });
      const started = Date.now();
      const pulled = await pullWasm(repo, "1.0.0", join(dir.path, "out.wasm"));
      expect(pulled.layer.digest).toBe(layerDigest);
      expect(Date.now() - started).toBeGreaterThan(400);
    });
  });

  it("takes the timeout from WASM_COMPOSE_TIMEOUT_MS, and refuses a value that is not a number", async () => {
    const env = await openEnvironment({ env: { WASM_COMPOSE_TIMEOUT_MS: "250" }, wkgConfig: false });
    expect(env.client.options.timeoutMs).toBe(250);
    await expect(openEnvironment({ env: { WASM_COMPOSE_TIMEOUT_MS: "soon" }, wkgConfig: false })).rejects.toMatchObject(
      { code: "INVALID_CONFIG" },
    );
  });
});

describe("aborts", () => {
  it("stops a pull waiting on a registry that does not answer, at once", async () => {
    await using dir = await tempDir("abort-pull");
    proxy.decide = (req) => (req.url?.includes("/manifests/") ? { kind: "stall" } : undefined);
    const controller = new AbortController();
    const repo = new RemoteRepository(proxy.host, name, new AuthClient());
    setTimeout(() => controller.abort(), 200);
    // pullWasm takes no signal for its manifest request: the scope stops it. (Without it the stalled
    // request would end in TIMEOUT, not AbortError.)
    const err = await withAbortSignal(controller.signal, () =>
      pullWasm(repo, "1.0.0", join(dir.path, "out.wasm"), { signal: controller.signal }),
    ).catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
  });

  it("stops a tag listing when the client's signal fires", async () => {
    proxy.decide = (req) => (req.url?.includes("/tags/list") ? { kind: "stall" } : undefined);
    const controller = new AbortController();
    const oci = new OciClient({ cacheDir: false, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(oci.store(`${proxy.host}/${name}:1.0.0`).listTags()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("stops an upload at once and deletes its session", async () => {
    const target = repoName("abort-upload");
    const big = fakeComponent(4 << 20);
    proxy.log.length = 0;
    proxy.decide = (req) =>
      req.method === "PUT" || req.method === "PATCH" ? { kind: "slow-upload", delayMs: 50 } : undefined;
    const controller = new AbortController();
    const repo = new RemoteRepository(proxy.host, target, new AuthClient());
    const publishing = publishWasm(repo, big, ["1.0.0"], {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.done > 0 && !controller.signal.aborted) setTimeout(() => controller.abort(), 300);
      },
    });
    await expect(publishing).rejects.toMatchObject({ name: "AbortError" });
    const put = proxy.log.find((l) => l.startsWith("PUT ") && l.includes("/blobs/uploads/"));
    expect(put).toBeDefined();
    const session = new URL(put!.slice(4), "http://x").pathname;
    const deleted = proxy.log.find((l) => l.startsWith("DELETE ") && l.includes(session));
    expect(deleted).toBeDefined();
    // The registry no longer knows the session.
    const status = await fetch(`${registry.url}${session}`);
    expect(status.status).toBe(404);
  });
});

describe("an interrupted pull and the cache", () => {
  it("caches no tag whose layer is missing: cache ls and offline pulls see nothing", async () => {
    await using dir = await tempDir("abort-cache");
    const cacheDir = join(dir.path, "cache");
    proxy.decide = (req) => (isLayerGet(req.url, req.method) ? { kind: "stall", afterBytes: 50_000 } : undefined);
    const controller = new AbortController();
    const online = new OciClient({ cacheDir, signal: controller.signal });
    setTimeout(() => controller.abort(), 400);
    await expect(online.pullWasm(`${proxy.host}/${name}:1.0.0`, join(dir.path, "a.wasm"))).rejects.toMatchObject({
      name: "AbortError",
    });
    const entries = await new ContentCache(cacheDir).list();
    expect(entries.flatMap((e) => e.tags)).toEqual([]);
    const offline = new OciClient({ cacheDir, offline: true });
    await expect(offline.pullWasm(`${proxy.host}/${name}:1.0.0`, join(dir.path, "b.wasm"))).rejects.toMatchObject({
      code: "OFFLINE",
      message: expect.stringContaining("manifest 1.0.0"),
    });

    // Once the layer is there, the tag is too.
    proxy.decide = () => undefined;
    await new OciClient({ cacheDir }).pullWasm(`${proxy.host}/${name}:1.0.0`, join(dir.path, "c.wasm"));
    expect((await new ContentCache(cacheDir).list()).flatMap((e) => e.tags)).toEqual(["1.0.0"]);
    await offline.pullWasm(`${proxy.host}/${name}:1.0.0`, join(dir.path, "d.wasm"));
  });

  it("lists no tag an earlier version cached without its layer", async () => {
    await using dir = await tempDir("dangling");
    const cache = new ContentCache(join(dir.path, "cache"));
    const layout = cache.layout(registry.host, name);
    const remote = new RemoteRepository(registry.host, name, new AuthClient());
    const { bytes, descriptor } = await remote.fetchManifest("1.0.0");
    await layout.pushManifest(bytes, descriptor.mediaType, ["1.0.0"]);
    expect(await layout.listTags()).toEqual(["1.0.0"]);
    expect((await cache.list()).flatMap((e) => e.tags)).toEqual([]);
    // Through the store, the layer comes and the tag counts again.
    const store = new CachedStore(remote, layout);
    await pullWasm(store, "1.0.0", join(dir.path, "out.wasm"));
    expect((await cache.list()).flatMap((e) => e.tags)).toEqual(["1.0.0"]);
  });
});
