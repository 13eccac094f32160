// Security rules: digests verified, no Authorization across hosts on redirect, no plain HTTP off loopback, no secrets leaked.
import { readdir, readFile } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  AuthClient,
  type OciError,
  publishWasm,
  pullWasm,
  RemoteRepository,
  sha256,
  staticCredentials,
} from "../src/index.js";
import { startFaultProxy } from "./fault-proxy.js";
import { clientFor, fakeComponent, localServers, repoName, tempDir } from "./helpers.js";

const registries = inject("registries");

const serve = localServers();

/**
 * Publishes `wasm`, pulls it through a proxy that corrupts the GETs whose URL `corrupt` picks (at
 * byte `atByte`), and expects a digest mismatch with nothing left in the output folder.
 */
async function expectCorruptPullRefused(
  label: string,
  wasm: Uint8Array,
  corrupt: (url: string) => boolean,
  atByte: number,
) {
  const registry = registries.anonymous;
  const name = repoName(label);
  await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), wasm, ["1.0.0"]);
  const proxy = await startFaultProxy(registry.url);
  try {
    proxy.decide = (req) =>
      req.url !== undefined && corrupt(req.url) && req.method === "GET" ? { kind: "corrupt", atByte } : undefined;
    await using dir = await tempDir(label);
    const err = (await pullWasm(
      new RemoteRepository(proxy.host, name, clientFor(registry)),
      "1.0.0",
      join(dir.path, "x.wasm"),
    ).catch((e: unknown) => e)) as OciError;
    expect(err.code).toBe("DIGEST_MISMATCH");
    expect(await readdir(dir.path)).toEqual([]);
  } finally {
    await proxy.close();
  }
}

describe("digest verification", () => {
  it("rejects a corrupted blob and leaves no file behind", async () => {
    // Config blobs are corrupted too: the pull must fail on the first verified read.
    await expectCorruptPullRefused("corrupt", fakeComponent(50_000), (url) => url.includes("/blobs/"), 1000);
  });

  it("rejects a layer whose bytes do not match and cleans up the partial file", async () => {
    const wasm = fakeComponent(50_000);
    await expectCorruptPullRefused("corrupt-layer", wasm, (url) => url.endsWith(sha256(wasm)), 40_000);
  });

  it("rejects a manifest that does not hash to the digest asked for", async () => {
    const good = Buffer.from('{"schemaVersion":2}');
    const digest = sha256(Buffer.from("something else"));
    const { host } = await serve("127.0.0.1", (_req, res) => {
      res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json" }).end(good);
    });
    const repo = new RemoteRepository(host, "a/b", new AuthClient());
    await expect(repo.fetchManifest(digest)).rejects.toMatchObject({ code: "DIGEST_MISMATCH" });
  });

  it("rejects a manifest whose Docker-Content-Digest disagrees with its bytes", async () => {
    const { host } = await serve("127.0.0.1", (_req, res) => {
      res
        .writeHead(200, {
          "content-type": "application/vnd.oci.image.manifest.v1+json",
          "docker-content-digest": sha256(Buffer.from("other")),
        })
        .end('{"schemaVersion":2}');
    });
    await expect(new RemoteRepository(host, "a/b", new AuthClient()).fetchManifest("1.0.0")).rejects.toMatchObject({
      code: "DIGEST_MISMATCH",
    });
  });

  it("refuses manifests over the size cap and unexpected media types", async () => {
    const { host } = await serve("127.0.0.1", (req, res) => {
      if (req.url?.endsWith("/big")) {
        res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json" }).end("x".repeat(5000));
      } else res.writeHead(200, { "content-type": "text/html" }).end("<html></html>");
    });
    const repo = new RemoteRepository(host, "a/b", new AuthClient(), { maxManifestBytes: 1000 });
    await expect(repo.fetchManifest("big")).rejects.toMatchObject({ code: "MANIFEST_TOO_LARGE" });
    await expect(repo.fetchManifest("html")).rejects.toMatchObject({ code: "UNEXPECTED_MEDIA_TYPE" });
  });
});

describe("size limits", () => {
  it("refuses to download a blob larger than the limit before any request", async () => {
    const repo = new RemoteRepository("127.0.0.1:9", "a/b", new AuthClient(), { maxBlobBytes: 1000 });
    await expect(
      repo.fetchBlobToFile(
        { mediaType: "application/wasm", digest: sha256(Buffer.from("x")), size: 5000 },
        "/nonexistent/x",
      ),
    ).rejects.toMatchObject({ code: "BLOB_TOO_LARGE" });
  });
});

describe("redirects", () => {
  it("follows a redirect to another host without the Authorization header", async () => {
    const blob = Buffer.from("blob bytes behind a redirect");
    const digest = sha256(blob);
    const seen: IncomingHttpHeaders[] = [];
    const storage = await serve("127.0.0.2", (req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "content-length": String(blob.length) }).end(blob);
    });
    const sameHostSeen: (string | undefined)[] = [];
    const registry = await serve("127.0.0.1", (req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="test"' }).end();
        return;
      }
      if (req.url?.startsWith("/same/")) {
        sameHostSeen.push(req.headers.authorization);
        res.writeHead(200, { "content-length": String(blob.length) }).end(blob);
        return;
      }
      if (req.url?.includes("/blobs/")) {
        res
          .writeHead(307, {
            location: req.url.includes("same-host") ? `/same/${digest}` : `${storage.url}/s3/${digest}?sig=x`,
          })
          .end();
        return;
      }
      res.writeHead(404).end();
    });
    const client = new AuthClient({
      credentials: staticCredentials({ [registry.host]: { username: "u", password: "secret-password" } }),
    });
    const repo = new RemoteRepository(registry.host, "a/b", client);
    const bytes = await repo.fetchBlob({ mediaType: "application/wasm", digest, size: blob.length });
    expect(Buffer.from(bytes)).toEqual(blob);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeUndefined();
    // The same on the bulk reader (a blob downloaded to a file on a connection of its own).
    await using dir = await tempDir("redirect-bulk");
    const bulkRepo = new RemoteRepository(registry.host, "a/b", client, { bulkMinBytes: 0 });
    await bulkRepo.fetchBlobToFile({ mediaType: "application/wasm", digest, size: blob.length }, join(dir.path, "b"));
    expect(await readFile(join(dir.path, "b"))).toEqual(blob);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.connection).toBe("close");
    expect(seen[1]!.authorization).toBeUndefined();
    // Sanity check that the header was there to be dropped: a same-host redirect keeps it.
    await client.send(`${registry.url}/v2/a/b/blobs/same-host`, { registry: registry.host, scopes: [] });
    expect(sameHostSeen[0]).toMatch(/^Basic /);
  });

  it("refuses a redirect to plain HTTP on a non-loopback host", async () => {
    const registry = await serve("127.0.0.1", (_req, res) => {
      res.writeHead(307, { location: "http://storage.example.com/blob" }).end();
    });
    const repo = new RemoteRepository(registry.host, "a/b", new AuthClient());
    await expect(repo.hasBlob(sha256(Buffer.from("x")))).rejects.toMatchObject({ code: "INSECURE_REFUSED" });
  });

  it("refuses a token realm over plain HTTP on a non-loopback host", async () => {
    const registry = await serve("127.0.0.1", (_req, res) => {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="http://auth.example.com/token",service="x"' }).end();
    });
    const repo = new RemoteRepository(registry.host, "a/b", new AuthClient());
    await expect(repo.listTags()).rejects.toMatchObject({ code: "INSECURE_REFUSED" });
  });

  it("uses https for registries off loopback", () => {
    const repo = new RemoteRepository("registry.example.com", "a/b", new AuthClient());
    expect((repo as unknown as { base: string }).base).toBe("https://registry.example.com");
  });
});
