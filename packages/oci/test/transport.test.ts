// The default transport (node:http with keep-alive): connections reused, bodies drained or dropped, failures shaped like fetch's.
import { readdir, readFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuthClient, RemoteRepository, sha256 } from "../src/index.js";
import { isNetworkError } from "../src/retry.js";
import { createNodeFetch, takeNodeBody } from "../src/transport.js";
import { tempDir } from "./helpers.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A loopback server that counts its connections and remembers request headers. */
async function serve(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  servers.push(server);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, connections: () => connections };
}

describe("node transport", () => {
  it("reuses one connection for requests one after another, cancelled small bodies included", async () => {
    const server = await serve((req, res) => {
      const body = "x".repeat(1000);
      res.writeHead(req.url === "/missing" ? 404 : 200, { "content-length": String(body.length) }).end(body);
    });
    const fetch = createNodeFetch();
    expect(await (await fetch(`${server.url}/a`)).text()).toBe("x".repeat(1000));
    await (await fetch(`${server.url}/missing`)).body?.cancel();
    const head = await fetch(`${server.url}/b`, { method: "HEAD" });
    expect(head.body).toBeNull();
    expect(await (await fetch(`${server.url}/c`)).text()).toHaveLength(1000);
    expect(server.connections()).toBe(1);
  });

  it("sends a User-Agent and the caller's headers and body", async () => {
    const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = await serve((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(201).end();
      });
    });
    const fetch = createNodeFetch();
    const res = await fetch(server.url, { method: "PUT", headers: { "content-type": "a/b" }, body: "hello" });
    expect(res.status).toBe(201);
    expect(seen[0]!.headers["user-agent"]).toBe("wasm-compose");
    expect(seen[0]!.headers["content-type"]).toBe("a/b");
    expect(seen[0]!.headers["content-length"]).toBe("5");
    expect(seen[0]!.body).toBe("hello");
  });

  it("hands the body over as a Node stream only while the web body is untouched", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end("body"));
    const fetch = createNodeFetch();
    const res = await fetch(server.url);
    const node = takeNodeBody(res);
    expect(node).toBeDefined();
    expect(takeNodeBody(res)).toBeUndefined();
    let text = "";
    for await (const chunk of node!) text += (chunk as Buffer).toString();
    expect(text).toBe("body");
    const read = await fetch(server.url);
    await read.text();
    expect(takeNodeBody(read)).toBeUndefined();
  });

  it("answers responses that read like fetch's: headers, text, JSON, bytes, a web body, used once", async () => {
    const server = await serve((req, res) => {
      const body = JSON.stringify({ path: req.url, é: "ü" });
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.setHeader("WWW-Authenticate", ['Bearer realm="a"', 'Basic realm="b"']);
      res.writeHead(req.url === "/gone" ? 410 : 200, "Custom Reason").end(body);
    });
    const fetch = createNodeFetch();
    const res = await fetch(`${server.url}/json`);
    const viaFetch = await globalThis.fetch(`${server.url}/json`);
    expect([res.status, res.ok, res.statusText]).toEqual([200, true, "Custom Reason"]);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("CONTENT-TYPE")).toBe(viaFetch.headers.get("content-type"));
    // Repeated headers are joined as fetch joins them; names iterate in fetch's order.
    expect(res.headers.get("www-authenticate")).toBe(viaFetch.headers.get("www-authenticate"));
    const names = (h: { forEach(cb: (v: string, n: string) => void): void }) => {
      const out: string[] = [];
      h.forEach((_v, n) => {
        out.push(n);
      });
      return out;
    };
    expect(names(res.headers)).toEqual(names(viaFetch.headers));
    expect(res.headers.has("x-missing")).toBe(false);
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual(await viaFetch.json());
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toBeInstanceOf(TypeError);

    const gone = await fetch(`${server.url}/gone`);
    expect([gone.status, gone.ok]).toEqual([410, false]);
    expect(new TextDecoder().decode(await gone.arrayBuffer())).toBe('{"path":"/gone","é":"ü"}');

    // The web body is made on demand and reads the same bytes.
    const streamed = await fetch(`${server.url}/s`);
    let text = "";
    for await (const chunk of streamed.body!) text += Buffer.from(chunk).toString();
    expect(JSON.parse(text)).toEqual({ path: "/s", é: "ü" });
    expect(takeNodeBody(streamed)).toBeUndefined();
  });

  it("fails like fetch: a TypeError network error for a refused connection and for a body cut short", async () => {
    const fetch = createNodeFetch();
    const refused = await fetch("http://127.0.0.1:9/").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(isNetworkError(refused)).toBe(true);
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const cut = await (await fetch(server.url)).text().catch((e: unknown) => e);
    expect(isNetworkError(cut)).toBe(true);
  });
});

describe("blob downloads", () => {
  it("write one download to several files, each verified and atomic", async () => {
    const blob = Buffer.alloc(3_000_000, 7);
    const server = await serve((_req, res) => res.writeHead(200, { "content-length": String(blob.length) }).end(blob));
    await using dir = await tempDir("tee");
    const repo = new RemoteRepository(server.host, "a/b", new AuthClient());
    const descriptor = { mediaType: "application/wasm", digest: sha256(blob), size: blob.length };
    const paths = [join(dir.path, "cache", "blob"), join(dir.path, "out.wasm")];
    await repo.fetchBlobToFile(descriptor, paths);
    for (const p of paths) expect(Buffer.compare(await readFile(p), blob)).toBe(0);
    expect((await readdir(dir.path)).sort()).toEqual(["cache", "out.wasm"]);
    expect(await readdir(join(dir.path, "cache"))).toEqual(["blob"]);
  });

  it("leave none of the files when the bytes do not match", async () => {
    const blob = Buffer.alloc(3_000_000, 7);
    const server = await serve((_req, res) => res.writeHead(200, { "content-length": String(blob.length) }).end(blob));
    await using dir = await tempDir("tee-bad");
    const repo = new RemoteRepository(server.host, "a/b", new AuthClient());
    const descriptor = { mediaType: "application/wasm", digest: sha256(Buffer.from("other")), size: blob.length };
    await expect(repo.fetchBlobToFile(descriptor, [join(dir.path, "a"), join(dir.path, "b")])).rejects.toMatchObject({
      code: "DIGEST_MISMATCH",
    });
    expect(await readdir(dir.path)).toEqual([]);
  });

  it("stop at once when cancelled, without trying again", async () => {
    let requests = 0;
    const server = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { "content-length": "10000000" });
      res.write(Buffer.alloc(100_000));
    });
    await using dir = await tempDir("abort");
    const repo = new RemoteRepository(server.host, "a/b", new AuthClient());
    const stop = new AbortController();
    const descriptor = { mediaType: "application/wasm", digest: sha256(Buffer.from("x")), size: 10_000_000 };
    const pending = repo.fetchBlobToFile(descriptor, join(dir.path, "x"), { signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(requests).toBe(1);
    expect(await readdir(dir.path)).toEqual([]);
  });

  it.each([
    [
      "another range than asked for",
      (res: ServerResponse, size: number) =>
        res.writeHead(206, { "content-range": `bytes 0-${size - 1}/${size}`, "content-length": String(size) }),
    ],
    [
      "416",
      (res: ServerResponse, size: number) =>
        res.writeHead(416, { "content-range": `bytes */${size}`, "content-length": "0" }),
    ],
  ])("resume, and start over when a Range request gets %s", async (_what, answerRange) => {
    const blob = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7) % 251));
    const ranges: (string | undefined)[] = [];
    const server = await serve((req, res) => {
      ranges.push(req.headers.range);
      if (ranges.length === 1) {
        // The first answer breaks off a third of the way.
        res.writeHead(200, { "content-length": String(blob.length) });
        res.write(blob.subarray(0, 1_000_000), () => res.socket?.destroy());
      } else if (req.headers.range) {
        answerRange(res, blob.length);
        res.end(res.statusCode === 206 ? blob : undefined);
      } else {
        res.writeHead(200, { "content-length": String(blob.length) }).end(blob);
      }
    });
    await using dir = await tempDir("resume");
    const repo = new RemoteRepository(server.host, "a/b", new AuthClient());
    const descriptor = { mediaType: "application/wasm", digest: sha256(blob), size: blob.length };
    await repo.fetchBlobToFile(descriptor, join(dir.path, "out.wasm"));
    expect(Buffer.compare(await readFile(join(dir.path, "out.wasm")), blob)).toBe(0);
    expect(ranges).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/), undefined]);
    expect(await readdir(dir.path)).toEqual(["out.wasm"]);
  });

  it("keep what arrived when the connection breaks after the last byte, without asking again", async () => {
    const blob = Buffer.from(Array.from({ length: 2_000_000 }, (_, i) => (i * 13) % 251));
    let requests = 0;
    const server = await serve((_req, res) => {
      requests++;
      // Chunked, and cut before the closing chunk: every byte is there, the response is not over.
      res.writeHead(200, { "transfer-encoding": "chunked" });
      res.write(blob, () => res.socket?.destroy());
    });
    await using dir = await tempDir("whole-then-cut");
    // node:http reads it (the bulk reader hands chunked bodies over to it with a second request).
    const repo = new RemoteRepository(server.host, "a/b", new AuthClient(), { bulkMinBytes: Number.POSITIVE_INFINITY });
    const descriptor = { mediaType: "application/wasm", digest: sha256(blob), size: blob.length };
    await repo.fetchBlobToFile(descriptor, join(dir.path, "out.wasm"));
    expect(Buffer.compare(await readFile(join(dir.path, "out.wasm")), blob)).toBe(0);
    expect(requests).toBe(1);
  });
});
