// Pulls through a fault-injecting proxy: every pull succeeds with verified bytes or fails clearly; nothing corrupt is cached.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AuthClient,
  CachedStore,
  ContentCache,
  formatReference,
  MEDIA_TYPES,
  OciClient,
  type OciError,
  publishWasm,
  pullWasm,
  RemoteRepository,
  sha256,
} from "../src/index.js";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";
import { clientFor, fakeComponent, repoName, tempDir } from "./helpers.js";

const registries = inject("registries");
const registry = registries.anonymous;
let proxy: FaultProxy;
const name = repoName("faults");
const wasm = fakeComponent(400_000);
const layerDigest = sha256(wasm);

beforeAll(async () => {
  await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), wasm, ["1.0.0"]);
  proxy = await startFaultProxy(registry.url);
});
afterAll(() => proxy.close());

function quickClient(delays: number[] = []): AuthClient {
  return new AuthClient({
    retry: {
      attempts: 4,
      baseDelayMs: 1,
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
  });
}

const isLayerGet = (url: string | undefined, method: string | undefined) =>
  method === "GET" && !!url?.endsWith(layerDigest);

// The layer (400 kB) takes the bulk reader by default; node:http reads it when the threshold is above its size.
const readers = [
  { reader: "the bulk reader", bulkMinBytes: undefined },
  { reader: "node:http", bulkMinBytes: Number.POSITIVE_INFINITY },
];

describe.each(readers)("dropped connections, read by $reader", ({ bulkMinBytes }) => {
  const repository = () =>
    new RemoteRepository(proxy.host, name, quickClient(), bulkMinBytes === undefined ? {} : { bulkMinBytes });

  it("resumes a blob download whose connection drops mid-stream with Range requests", async () => {
    await using dir = await tempDir("drop");
    const ranges: (string | undefined)[] = [];
    proxy.decide = (req) => {
      if (!isLayerGet(req.url, req.method)) return undefined;
      ranges.push(req.headers.range);
      return ranges.length <= 2 ? { kind: "drop", afterBytes: 100_000 } : undefined;
    };
    const out = join(dir.path, "out.wasm");
    await pullWasm(repository(), "1.0.0", out);
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBeUndefined();
    // Each attempt goes on from the bytes the one before wrote (at most what the proxy let through).
    const starts = ranges.slice(1).map((r) => Number(/^bytes=(\d+)-$/.exec(r ?? "")?.[1]));
    expect(starts[0]).toBeGreaterThan(0);
    expect(starts[0]).toBeLessThanOrEqual(100_000);
    expect(starts[1]).toBeGreaterThan(starts[0]!);
    expect(starts[1]).toBeLessThanOrEqual(starts[0]! + 100_000);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
  });

  it("starts over when the registry ignores the Range header", async () => {
    await using dir = await tempDir("no-range");
    const ranges: (string | undefined)[] = [];
    proxy.decide = (req) => {
      if (!isLayerGet(req.url, req.method)) return undefined;
      ranges.push(req.headers.range);
      // Upstream never sees the Range header: it answers 200 with the whole blob.
      delete req.headers.range;
      return ranges.length === 1 ? { kind: "drop", afterBytes: 150_000 } : undefined;
    };
    const out = join(dir.path, "out.wasm");
    await pullWasm(repository(), "1.0.0", out);
    expect(ranges).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
  });

  it("fails clearly when the connection keeps dropping, leaving nothing", async () => {
    await using dir = await tempDir("drop-always");
    let requests = 0;
    proxy.decide = (req) => {
      if (!isLayerGet(req.url, req.method)) return undefined;
      requests++;
      return { kind: "drop", afterBytes: 1000 };
    };
    const err = (await pullWasm(repository(), "1.0.0", join(dir.path, "o.wasm")).catch((e: unknown) => e)) as OciError;
    expect(err.code).toBe("NETWORK_ERROR");
    // Every attempt brought bytes, so none counted as fruitless: the cap on all attempts (4 x 3) ended it.
    expect(requests).toBe(12);
    expect(await readdir(dir.path)).toEqual([]);
  });
});

describe("fault injection", () => {
  it("retries 500s and gives up with the status after the last attempt", async () => {
    await using dir = await tempDir("500");
    let failures = 0;
    proxy.decide = (_req) => (failures++ < 2 ? { kind: "status", status: 500 } : undefined);
    await pullWasm(new RemoteRepository(proxy.host, name, quickClient()), "1.0.0", join(dir.path, "o.wasm"));
    proxy.decide = () => ({ kind: "status", status: 503, body: "<html>down</html>" });
    const err = (await new RemoteRepository(proxy.host, name, quickClient())
      .listTags()
      .catch((e: unknown) => e)) as OciError;
    expect(err.status).toBe(503);
    expect(err.message).toContain("non-JSON body");
  });

  it("honours Retry-After on 429", async () => {
    const delays: number[] = [];
    let n = 0;
    proxy.decide = () => (n++ === 0 ? { kind: "status", status: 429, retryAfter: "2" } : undefined);
    await new RemoteRepository(proxy.host, name, quickClient(delays)).resolve("1.0.0");
    expect(delays).toEqual([2000]);
  });

  it("survives slow responses", async () => {
    await using dir = await tempDir("slow");
    proxy.decide = (req) => (isLayerGet(req.url, req.method) ? { kind: "slow", delayMs: 5 } : undefined);
    const out = join(dir.path, "o.wasm");
    await pullWasm(new RemoteRepository(proxy.host, name, quickClient()), "1.0.0", out);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
  });

  it("caches nothing corrupt, then serves a warm pull by digest with zero requests", async () => {
    await using dir = await tempDir("cache");
    const cache = new ContentCache(join(dir.path, "cache"));
    const store = () =>
      new CachedStore(new RemoteRepository(proxy.host, name, quickClient()), cache.layout(proxy.host, name));
    proxy.decide = (req) => (isLayerGet(req.url, req.method) ? { kind: "corrupt", atByte: 5 } : undefined);
    await expect(pullWasm(store(), "1.0.0", join(dir.path, "a.wasm"))).rejects.toMatchObject({
      code: "DIGEST_MISMATCH",
    });
    expect(await cache.layout(proxy.host, name).hasBlob(layerDigest)).toBe(false);

    proxy.decide = () => undefined;
    const first = await pullWasm(store(), "1.0.0", join(dir.path, "b.wasm"));
    const before = proxy.log.length;
    const out = join(dir.path, "c.wasm");
    await pullWasm(store(), first.manifestDescriptor.digest, out);
    expect(proxy.log.length).toBe(before);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);

    // A cached file damaged on disk is noticed, dropped and fetched again.
    const layout = cache.layout(proxy.host, name);
    await writeFile(layout.blobPath(layerDigest), Buffer.from("damaged"));
    await pullWasm(store(), first.manifestDescriptor.digest, join(dir.path, "repaired.wasm"));
    expect(new Uint8Array(await readFile(join(dir.path, "repaired.wasm")))).toEqual(wasm);
    expect(new Uint8Array(await readFile(layout.blobPath(layerDigest)))).toEqual(wasm);
    const repairedAt = proxy.log.length;
    expect(repairedAt).toBeGreaterThan(before);

    // Offline, the tag resolves from the cache and nothing touches the network.
    const offline = new OciClient({ cacheDir: cache.root, offline: true });
    await offline.pullWasm(
      formatReference({ registry: proxy.host, repository: name, tag: "1.0.0" }),
      join(dir.path, "d.wasm"),
    );
    expect(proxy.log.length).toBe(repairedAt);
    await expect(
      offline.pullWasm(
        formatReference({ registry: proxy.host, repository: name, tag: "2.0.0" }),
        join(dir.path, "e.wasm"),
      ),
    ).rejects.toMatchObject({ code: "OFFLINE" });
  });
});

describe("upload faults", () => {
  it("resynchronises a chunked upload after a 416", async () => {
    const target = repoName("resync");
    let patches = 0;
    proxy.decide = (req) => (req.method === "PATCH" && ++patches === 2 ? { kind: "status", status: 416 } : undefined);
    const repo = new RemoteRepository(proxy.host, target, quickClient(), { chunkSize: 100_000 });
    const artifact = await publishWasm(repo, wasm, ["1.0.0"]);
    proxy.decide = () => undefined;
    expect(patches).toBeGreaterThan(4);
    await using dir = await tempDir("resync");
    const out = join(dir.path, "o.wasm");
    const pulled = await pullWasm(new RemoteRepository(registry.host, target, quickClient()), "1.0.0", out);
    expect(pulled.layer.digest).toBe(artifact.layerDescriptor.digest);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
  });

  it("cancels the upload session (DELETE) when the upload fails", async () => {
    const target = repoName("abort");
    proxy.decide = (req) =>
      req.method === "PUT" && req.url?.includes("/blobs/uploads/") ? { kind: "status", status: 500 } : undefined;
    const start = proxy.log.length;
    const repo = new RemoteRepository(proxy.host, target, quickClient());
    const err = (await publishWasm(repo, fakeComponent(), ["1.0.0"]).catch((e: unknown) => e)) as OciError;
    proxy.decide = () => undefined;
    expect(err.status).toBe(500);
    expect(proxy.log.slice(start).some((l) => l.startsWith("DELETE ") && l.includes("/blobs/uploads/"))).toBe(true);
  });
});

describe("tag pagination", () => {
  it("follows Link headers across pages", async () => {
    const target = repoName("pages");
    const repo = new RemoteRepository(registry.host, target, quickClient());
    const artifact = await publishWasm(repo, fakeComponent(), ["0.1.0"]);
    const tags = Array.from({ length: 11 }, (_, i) => `1.${i}.0`);
    await repo.pushManifest(artifact.manifestBytes, artifact.manifestDescriptor.mediaType, tags);
    proxy.decide = (req) => (req.url?.includes("/tags/list") ? { kind: "paginate", pageSize: 3 } : undefined);
    const start = proxy.log.length;
    const listed = await new RemoteRepository(proxy.host, target, quickClient()).listTags();
    proxy.decide = () => undefined;
    expect(listed.sort()).toEqual(["0.1.0", ...tags].sort());
    expect(proxy.log.slice(start).filter((l) => l.includes("/tags/list"))).toHaveLength(4);
  });
});

describe("referrers API", () => {
  it("reads the referrers API where the registry has one, filter applied or not", async () => {
    const target = repoName("referrers-api");
    const repo = new RemoteRepository(registry.host, target, quickClient());
    const subject = await publishWasm(repo, fakeComponent(), ["1.0.0"]);
    const empty = Buffer.from("{}");
    await repo.pushBlob({ mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 }, empty);
    const pushed = [];
    for (const artifactType of ["application/vnd.example.sig", "application/vnd.example.sbom"]) {
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          artifactType,
          config: { mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 },
          layers: [{ mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 }],
          subject: subject.manifestDescriptor,
        }),
      );
      pushed.push(await repo.pushManifest(bytes, MEDIA_TYPES.ociManifest));
    }
    proxy.decide = (req) => (req.url?.includes("/referrers/") ? { kind: "referrers-api" } : undefined);
    const start = proxy.log.length;
    const viaApi = new RemoteRepository(proxy.host, target, quickClient());
    const all = await viaApi.referrers(subject.manifestDescriptor.digest);
    const sigs = await viaApi.referrers(subject.manifestDescriptor.digest, "application/vnd.example.sig");
    const log = proxy.log.slice(start);
    proxy.decide = () => undefined;
    expect(all.map((d) => d.digest).sort()).toEqual(pushed.map((d) => d.digest).sort());
    expect(sigs.map((d) => d.digest)).toEqual([pushed[0]!.digest]);
    // The API answered: no fallback tag was read.
    expect(log.every((l) => l.includes("/referrers/"))).toBe(true);
  });
});
