// A hostile registry: credentials never reach a host the registry did not name, registry data never
// escapes the cache, sizes bound what is read, secrets stay out of messages. Each test pins one
// rule against the real registry (through a forwarding front where a registry must misbehave).
// (The CLI's side, user info in a registry URL, is in packages/cli/test/cli-options.test.ts.)
import { readdir, readFile, writeFile } from "node:fs/promises";
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type ServerResponse,
} from "node:http";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  AuthClient,
  emptyRegistryConfig,
  type ImageManifest,
  inspectWasm,
  OciClient,
  OciError,
  publishWasm,
  RemoteRepository,
  staticCredentials,
} from "../src/index.js";
import { clientFor, fakeComponent, localServers, repoName, tempDir } from "./helpers.js";

const registries = inject("registries");

const serve = localServers();

/** What a host that must never see a secret saw: the Authorization headers and request bodies. */
interface Witness {
  url: string;
  host: string;
  seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
}

/** A server that records every request and answers with `answer` (default 401 Basic). */
async function witness(
  address: string,
  answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) =>
    res.writeHead(401, { "www-authenticate": 'Basic realm="other"' }).end(),
): Promise<Witness> {
  const seen: Witness["seen"] = [];
  const at = await serve(address, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      answer(req, res);
    });
  });
  return { ...at, seen };
}

/**
 * A front for the real registry: forwards every request, lets `edit` change the response headers,
 * and lets `intercept` answer a request itself (returning true).
 */
async function front(
  upstreamUrl: string,
  hooks: {
    intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
    edit?: (req: IncomingMessage, headers: OutgoingHttpHeaders, status: number) => void;
  },
): Promise<{ url: string; host: string }> {
  const upstream = new URL(upstreamUrl);
  return serve("127.0.0.1", (req, res) => {
    if (hooks.intercept?.(req, res)) return;
    const up = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (upRes) => {
        const headers: OutgoingHttpHeaders = { ...upRes.headers };
        hooks.edit?.(req, headers, upRes.statusCode ?? 502);
        res.writeHead(upRes.statusCode ?? 502, headers);
        upRes.pipe(res);
      },
    );
    up.on("error", () => res.socket?.destroy());
    req.pipe(up);
  });
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

describe("credentials and hosts the registry points to", () => {
  it("does not send the registry's Basic credentials to another host named by a tags/list Link header", async () => {
    const registry = registries.basic;
    const user = registry.users[0]!;
    const name = repoName("link-leak");
    await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), fakeComponent(), ["1.0.0"]);
    const other = await witness("127.0.0.2");
    const fwd = await front(registry.url, {
      edit: (req, headers, status) => {
        if (req.method === "GET" && req.url?.includes("/tags/list") && status === 200) {
          headers.link = `<${other.url}/v2/${name}/tags/list?last=1.0.0>; rel="next"`;
        }
      },
    });
    const client = new AuthClient({
      credentials: staticCredentials({ [fwd.host]: { username: user.username, password: user.password } }),
    });
    await new RemoteRepository(fwd.host, name, client).listTags().catch(() => undefined);
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.map((r) => r.headers.authorization)).not.toContain(basic(user.username, user.password));
  });

  it("does not send the registry's Basic credentials to an upload Location on another host", async () => {
    const registry = registries.basic;
    const user = registry.users[0]!;
    const other = await witness("127.0.0.2");
    const fwd = await front(registry.url, {
      edit: (req, headers, status) => {
        if (req.method === "POST" && req.url?.includes("/blobs/uploads/") && status === 202) {
          headers.location = `${other.url}/upload/session?_state=x`;
        }
      },
    });
    const client = new AuthClient({
      credentials: staticCredentials({ [fwd.host]: { username: user.username, password: user.password } }),
      retry: { attempts: 1 },
    });
    const repo = new RemoteRepository(fwd.host, repoName("location-leak"), client);
    await publishWasm(repo, fakeComponent(), ["1.0.0"]).catch(() => undefined);
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.map((r) => r.headers.authorization)).not.toContain(basic(user.username, user.password));
  });

  it("does not fetch a token with the registry's credentials from a realm that a redirect target names", async () => {
    const registry = registries.anonymous;
    const name = repoName("realm-leak");
    await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), fakeComponent(), ["1.0.0"]);
    const realm = await witness("127.0.0.3", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"token":"t"}');
    });
    // Storage on another host that the registry redirects blobs to, answering with its own challenge.
    const storage = await serve("127.0.0.2", (_req, res) => {
      res.writeHead(401, { "www-authenticate": `Bearer realm="${realm.url}/token",service="storage"` }).end();
    });
    const fwd = await front(registry.url, {
      intercept: (req, res) => {
        if (req.method !== "GET" || !req.url?.includes("/blobs/")) return false;
        res.writeHead(307, { location: `${storage.url}/s3${req.url}` }).end();
        return true;
      },
    });
    const secret = "registry-password-not-for-storage";
    const client = new AuthClient({
      credentials: staticCredentials({ [fwd.host]: { username: "tester", password: secret } }),
      retry: { attempts: 1 },
    });
    await inspectWasm(new RemoteRepository(fwd.host, name, client), "1.0.0").catch(() => undefined);
    expect(realm.seen.map((r) => r.headers.authorization)).not.toContain(basic("tester", secret));
  });

  it("does not resend the identity token in a POST body to another host when the token realm redirects", async () => {
    const registry = registries.token;
    const other = await witness("127.0.0.2");
    const realm = await serve("127.0.0.1", (req, res) => {
      req.resume();
      res.writeHead(307, { location: `${other.url}/collect` }).end();
    });
    const fwd = await front(registry.url, {
      edit: (_req, headers) => {
        const challenge = headers["www-authenticate"];
        if (typeof challenge === "string") {
          headers["www-authenticate"] = challenge.replace(/realm="[^"]*"/, `realm="${realm.url}/token"`);
        }
      },
    });
    const token = "identity-token-do-not-forward";
    const client = new AuthClient({
      credentials: staticCredentials({ [fwd.host]: { identityToken: token } }),
      retry: { attempts: 1 },
    });
    await new RemoteRepository(fwd.host, repoName("refresh-leak"), client).listTags().catch(() => undefined);
    expect(other.seen.map((r) => `${r.url} ${r.body}`).join("\n")).not.toContain(token);
  });
});

describe("paths built from registry data", () => {
  it("keeps the cache inside its folder when registry.json names a registry with '..' in it", async () => {
    const registry = registries.anonymous;
    // A prefix of this test's own, so the shared registry's other repositories are not touched.
    const prefix = `${repoName("discovery")}/`;
    await publishWasm(new RemoteRepository(registry.host, `${prefix}secns/pkg`, clientFor(registry)), fakeComponent(), [
      "1.0.0",
    ]);
    const discovery = await serve("127.0.0.1", (req, res) => {
      if (req.url !== "/.well-known/wasm-pkg/registry.json") return void res.writeHead(404).end();
      // The URL path normalises `/../../../v2/...` to `/v2/...`: requests still reach the registry.
      const meta = { oci: { registry: `${registry.host}/../../..`, namespacePrefix: prefix } };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(meta));
    });
    await using dir = await tempDir("discovery-escape");
    const cacheDir = join(dir.path, "a", "b", "cache");
    const client = new OciClient({ cacheDir, credentials: staticCredentials({}) });
    await (async () => {
      const config = { ...emptyRegistryConfig(), defaultRegistry: discovery.host };
      const ref = await client.resolvePackage({ namespace: "secns", name: "pkg" }, config);
      await client.pullWasm(ref!, join(dir.path, "out.wasm"));
    })().catch(() => undefined);
    // Nothing may appear beside the cache folder's parents: only `b` (holding the cache) is in `a`.
    expect(await readdir(join(dir.path, "a")).catch(() => [])).not.toContain("oci-test");
  });

  it("keeps one repository's cache out of another's layout files (a repository named <repo>/index.json)", async () => {
    const registry = registries.anonymous;
    const name = repoName("nested");
    const inner = `${name}/index.json`;
    for (const repository of [name, inner]) {
      await publishWasm(new RemoteRepository(registry.host, repository, clientFor(registry)), fakeComponent(), [
        "1.0.0",
      ]);
    }
    await using dir = await tempDir("nested-cache");
    const client = new OciClient({ cacheDir: join(dir.path, "cache"), credentials: staticCredentials({}) });
    await client.pullWasm(`${registry.host}/${name}:1.0.0`, join(dir.path, "outer.wasm"));
    // The second repository's layout folder would be the first one's index.json.
    await expect(
      client.pullWasm(`${registry.host}/${inner}:1.0.0`, join(dir.path, "inner.wasm")),
    ).resolves.toBeDefined();
  });

  // Holds today; pinned because no other test feeds a crafted digest to the cache's paths.
  it.each(["sha256:../../../../../../../tmp/sec-review-escape", `md5:${"0".repeat(32)}`, `sha256:${"A".repeat(64)}`])(
    "refuses a layer digest %s before any path is built from it",
    async (digest) => {
      const registry = registries.anonymous;
      const name = repoName("bad-digest");
      const artifact = await publishWasm(
        new RemoteRepository(registry.host, name, clientFor(registry)),
        fakeComponent(),
        ["1.0.0"],
      );
      const manifest = JSON.parse(Buffer.from(artifact.manifestBytes).toString("utf8")) as ImageManifest;
      const edited = Buffer.from(JSON.stringify({ ...manifest, layers: [{ ...manifest.layers[0]!, digest }] }));
      const fwd = await front(registry.url, {
        intercept: (req, res) => {
          if (req.url !== `/v2/${name}/manifests/1.0.0`) return false;
          res.writeHead(200, { "content-type": manifest.mediaType!, "content-length": edited.length }).end(edited);
          return true;
        },
      });
      await using dir = await tempDir("bad-digest");
      const client = new OciClient({ cacheDir: join(dir.path, "cache"), credentials: staticCredentials({}) });
      await expect(client.pullWasm(`${fwd.host}/${name}:1.0.0`, join(dir.path, "out.wasm"))).rejects.toBeInstanceOf(
        OciError,
      );
      expect((await readdir(dir.path)).filter((f) => f !== "cache")).toEqual([]);
      // The layer's own download (the config check above may fail first) refuses the digest as such.
      const layer = { ...manifest.layers[0]!, digest };
      await expect(
        client.store(`${fwd.host}/${name}`).fetchBlobToFile(layer, join(dir.path, "l")),
      ).rejects.toMatchObject({ code: "INVALID_REFERENCE" });
      expect((await readdir(dir.path)).filter((f) => f !== "cache")).toEqual([]);
    },
  );
});

describe("content read back from the cache", () => {
  // Holds today; pinned because the existing cache tests tamper with blobs, not with manifests.
  it("refuses a cached manifest edited on disk: a pull by digest fetches it again", async () => {
    const registry = registries.anonymous;
    const name = repoName("tampered-manifest");
    const wasm = fakeComponent();
    await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), wasm, ["1.0.0"]);
    await using dir = await tempDir("tampered-manifest");
    const cacheDir = join(dir.path, "cache");
    const client = new OciClient({ cacheDir, credentials: staticCredentials({}) });
    const first = await client.pullWasm(`${registry.host}/${name}:1.0.0`, join(dir.path, "a.wasm"));
    const digest = first.manifestDescriptor.digest;
    const layout = client.cache!.layout(registry.host, name);
    // Other bytes under the same digest: what someone editing the cache would leave.
    const forged = Buffer.from(JSON.stringify({ ...first.manifest, annotations: {} }));
    await writeFile(layout.blobPath(digest), forged);
    const offline = new OciClient({ cacheDir, offline: true, credentials: staticCredentials({}) });
    await expect(offline.pullWasm(`${registry.host}/${name}@${digest}`, join(dir.path, "b.wasm"))).rejects.toThrow();
    // Online, the damaged manifest is dropped and fetched again.
    const again = await client.pullWasm(`${registry.host}/${name}@${digest}`, join(dir.path, "c.wasm"));
    expect(again.manifestDescriptor.digest).toBe(digest);
    expect(new Uint8Array(await readFile(join(dir.path, "c.wasm")))).toEqual(wasm);
    expect(await readdir(dir.path)).not.toContain("b.wasm");
  });
});

describe("sizes", () => {
  it("bounds a config read whose descriptor has no size, when the registry sends no Content-Length", async () => {
    const registry = registries.anonymous;
    const name = repoName("sizeless-config");
    const artifact = await publishWasm(
      new RemoteRepository(registry.host, name, clientFor(registry)),
      fakeComponent(),
      ["1.0.0"],
    );
    // The manifest by tag loses its config size (not content-addressed: no digest header is sent).
    const manifest = JSON.parse(Buffer.from(artifact.manifestBytes).toString("utf8")) as ImageManifest;
    const { size: _dropped, ...config } = manifest.config;
    const edited = Buffer.from(JSON.stringify({ ...manifest, config }));
    let sent = 0;
    const total = 16 * 1024 * 1024;
    const fwd = await front(registry.url, {
      intercept: (req, res) => {
        if (req.url === `/v2/${name}/manifests/1.0.0`) {
          res.writeHead(200, { "content-type": manifest.mediaType!, "content-length": edited.length }).end(edited);
          return true;
        }
        if (req.url !== `/v2/${name}/blobs/${artifact.configDescriptor.digest}`) return false;
        // A chunked body (no Content-Length) that goes on and on, as long as the client reads.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (sent < total && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        pump();
        return true;
      },
    });
    const repo = new RemoteRepository(fwd.host, name, new AuthClient({ retry: { attempts: 1 } }), {
      maxManifestBytes: 256 * 1024,
      blobAttempts: 1,
    });
    await inspectWasm(repo, "1.0.0").catch(() => undefined);
    // Reading stops at the in-memory cap (256 KiB here), give or take what the sockets buffer.
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });
});

describe("secrets in messages", () => {
  it("keeps the identity token out of the error when the token service echoes it", async () => {
    const registry = registries.token;
    const token = "identity-token-echoed-by-the-server";
    const realm = await serve("127.0.0.1", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        res
          .writeHead(400, { "content-type": "text/plain" })
          .end(`invalid_grant: refresh_token ${form.get("refresh_token")} is not known`);
      });
    });
    const fwd = await front(registry.url, {
      edit: (_req, headers) => {
        const challenge = headers["www-authenticate"];
        if (typeof challenge === "string") {
          headers["www-authenticate"] = challenge.replace(/realm="[^"]*"/, `realm="${realm.url}/token"`);
        }
      },
    });
    const client = new AuthClient({
      credentials: staticCredentials({ [fwd.host]: { identityToken: token } }),
      retry: { attempts: 1 },
    });
    const err = (await new RemoteRepository(fwd.host, repoName("echo"), client)
      .listTags()
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).not.toContain(token);
  });
});
