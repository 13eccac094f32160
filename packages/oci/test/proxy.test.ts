// Proxies: chosen from the environment as curl does (loopback never proxied), and spoken to for real.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, connect, type Socket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BULK } from "../src/bulk.js";
import { AuthClient, OciError, RemoteRepository, sha256 } from "../src/index.js";
import { environmentProxy } from "../src/proxy.js";
import { createNodeFetch } from "../src/transport.js";
import { selfSignedCert, tempDir } from "./helpers.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return (server.address() as AddressInfo).port;
}

/**
 * A forward proxy: CONNECT tunnels (for https targets) and absolute-form requests (for http ones),
 * logging each with its Proxy-Authorization header.
 */
async function startProxy() {
  const log: { method: string; target: string; auth: string | undefined }[] = [];
  const server = createServer((req, res) => {
    log.push({ method: req.method!, target: req.url!, auth: req.headers["proxy-authorization"] });
    const target = new URL(req.url!);
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = request(target, { method: req.method, headers }, (up: IncomingMessage) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    log.push({ method: "CONNECT", target: req.url!, auth: req.headers["proxy-authorization"] });
    const [host, port] = req.url!.split(":");
    const upstream = connect(Number(port), host === "localhost" ? "127.0.0.1" : host!, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  const port = await listen(server);
  return { url: new URL(`http://127.0.0.1:${port}`), log };
}

/** Runs `fn` with the given proxy variables set (and every other one unset), then restores them. */
async function withEnv(vars: Record<string, string>, fn: () => unknown): Promise<void> {
  const names = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
  ];
  const saved = new Map(names.map((n) => [n, process.env[n]]));
  for (const n of names) delete process.env[n];
  Object.assign(process.env, vars);
  try {
    await fn();
  } finally {
    for (const [n, v] of saved) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  }
}

describe("proxy from the environment", () => {
  const choose = (url: string) => environmentProxy(new URL(url))?.href;

  it("takes HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY for both, and honours NO_PROXY", async () => {
    await withEnv({ HTTPS_PROXY: "http://secure-proxy:3128", http_proxy: "plain-proxy:8080" }, () => {
      expect(choose("https://ghcr.io/v2/")).toBe("http://secure-proxy:3128/");
      expect(choose("http://registry.internal:5000/v2/")).toBe("http://plain-proxy:8080/");
    });
    await withEnv({ ALL_PROXY: "http://all:1", NO_PROXY: "ghcr.io, .corp.example, mirror:8443" }, () => {
      expect(choose("https://docker.io/v2/")).toBe("http://all:1/");
      expect(choose("https://ghcr.io/v2/")).toBeUndefined();
      expect(choose("https://registry.corp.example/v2/")).toBeUndefined();
      expect(choose("https://mirror:8443/v2/")).toBeUndefined();
      expect(choose("https://mirror/v2/")).toBe("http://all:1/");
    });
    await withEnv({ HTTPS_PROXY: "http://p:1", NO_PROXY: "*" }, () => {
      expect(choose("https://ghcr.io/v2/")).toBeUndefined();
    });
  });

  it("never proxies loopback hosts, and refuses a proxy that is not a URL", async () => {
    await withEnv({ ALL_PROXY: "http://p:1" }, () => {
      for (const url of [
        "http://127.0.0.1:5000/v2/",
        "http://localhost:5000/",
        "http://[::1]:5000/",
        "http://a.localhost/",
      ]) {
        expect(choose(url), url).toBeUndefined();
      }
    });
    await withEnv({ HTTPS_PROXY: "http://[bad" }, () => {
      expect(() => choose("https://ghcr.io/")).toThrow(OciError);
    });
  });
});

describe("requests through a proxy", () => {
  it("sends http requests in absolute form, bulk blob downloads included, with the proxy's credentials", async () => {
    const proxy = await startProxy();
    const blob = randomBytes(600_000);
    const digest = sha256(blob);
    const port = await listen(
      createServer((req, res) => {
        if (req.url?.endsWith(digest)) res.writeHead(200, { "content-length": String(blob.length) }).end(blob);
        else res.writeHead(200, { "content-type": "text/plain" }).end("hello");
      }),
    );
    const withCredentials = new URL(proxy.url);
    withCredentials.username = "user";
    withCredentials.password = "pw";
    const fetch = createNodeFetch({ proxy: () => withCredentials });
    expect(await (await fetch(`http://127.0.0.1:${port}/hello`)).text()).toBe("hello");
    const bulk = await fetch(`http://127.0.0.1:${port}/v2/a/b/blobs/${digest}`, { [BULK]: true } as RequestInit);
    expect(Buffer.from(await bulk.arrayBuffer()).equals(blob)).toBe(true);
    expect(proxy.log.map((l) => l.target)).toEqual([
      `http://127.0.0.1:${port}/hello`,
      `http://127.0.0.1:${port}/v2/a/b/blobs/${digest}`,
    ]);
    expect(proxy.log[0]!.auth).toBe(`Basic ${Buffer.from("user:pw").toString("base64")}`);

    // A repository's client takes the proxy too; a blob goes to a file through it, verified.
    await using dir = await tempDir("proxy");
    const repo = new RemoteRepository(`127.0.0.1:${port}`, "a/b", new AuthClient({ proxy: () => proxy.url }));
    await repo.fetchBlobToFile({ mediaType: "application/wasm", digest, size: blob.length }, join(dir.path, "b"));
    expect((await readFile(join(dir.path, "b"))).equals(blob)).toBe(true);
    expect(proxy.log).toHaveLength(3);
  });

  it("tunnels https with CONNECT, TLS still checked end to end", async () => {
    await using dir = await tempDir("proxy-tls");
    const tls = await selfSignedCert(dir.path);
    const port = await listen(createHttpsServer(tls, (_req, res) => res.end("secret")));
    const proxy = await startProxy();
    const fetch = createNodeFetch({ proxy: () => proxy.url });
    // The tunnel opens; the target's self-signed certificate is then refused, as without a proxy.
    const err = await fetch(`https://localhost:${port}/v2/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(String((err as Error & { cause: Error }).cause)).toMatch(/self[- ]signed|certificate/i);
    expect(proxy.log).toEqual([{ method: "CONNECT", target: `localhost:${port}`, auth: undefined }]);
  });
});
