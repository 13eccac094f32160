// The bulk reader: blob bodies on a connection of their own, read in large slices; node:http takes what it leaves.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer, type Server as NetServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BULK, type BulkBody, type BulkRequestInit, bulkFetch, takeBulkBody } from "../src/bulk.js";
import { AuthClient, RemoteRepository, sha256 } from "../src/index.js";
import { isNetworkError } from "../src/retry.js";
import { createNodeFetch, takeNodeBody } from "../src/transport.js";
import { selfSignedCert, tempDir } from "./helpers.js";

const servers: (Server | NetServer)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    if ("closeAllConnections" in s) s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen<S extends Server | NetServer>(server: S): Promise<{ server: S; host: string; url: string }> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return { server, host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}` };
}

/** An HTTP server that counts requests and remembers their headers. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: IncomingHttpHeaders[] = [];
  const { url, host } = await listen(
    createServer((req, res) => {
      requests.push(req.headers);
      handler(req, res);
    }),
  );
  return { url, host, requests };
}

/** A TCP server that answers every connection with `reply` (raw bytes, for malformed responses). */
async function serveRaw(reply: (socket: import("node:net").Socket) => void) {
  return listen(createNetServer((socket) => socket.once("data", () => reply(socket))));
}

const bulkInit: BulkRequestInit = { [BULK]: true };

/** All bytes of a bulk body, and the size of each slice it came in. */
async function drain(body: BulkBody): Promise<{ bytes: Buffer; slices: number[] }> {
  const parts: Buffer[] = [];
  const slices: number[] = [];
  await body.pipe((bytes) => {
    parts.push(Buffer.from(bytes));
    slices.push(bytes.byteLength);
    // A consumer busy with the first slice (as one hashing and writing is) lets data pile up.
    if (slices.length === 1) {
      const until = performance.now() + 30;
      while (performance.now() < until);
    }
  });
  return { bytes: Buffer.concat(parts), slices };
}

describe("bulk reader", () => {
  it("reads a body on its own connection in slices larger than node:http's 64 KiB", async () => {
    const blob = randomBytes(3 << 20);
    const server = await serve((_req, res) => res.writeHead(200, { "content-length": String(blob.length) }).end(blob));
    const res = await createNodeFetch()(`${server.url}/blob`, bulkInit);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(blob.length));
    const body = takeBulkBody(res);
    expect(body).toBeDefined();
    expect(takeBulkBody(res)).toBeUndefined();
    const { bytes, slices } = await drain(body!);
    expect(bytes.equals(blob)).toBe(true);
    expect(Math.max(...slices)).toBeGreaterThan(64 * 1024);
    expect(server.requests[0]!["user-agent"]).toBe("wasm-compose");
    expect(server.requests[0]!.connection).toBe("close");
  });

  it("serves the same body as a web stream to a reader that does not take it", async () => {
    const blob = randomBytes(300_000);
    const server = await serve((_req, res) => res.writeHead(200, { "content-length": String(blob.length) }).end(blob));
    const res = await createNodeFetch()(server.url, bulkInit);
    expect(Buffer.from(await res.arrayBuffer()).equals(blob)).toBe(true);
    expect(takeBulkBody(res)).toBeUndefined();
  });

  it("reads a body without Content-Length to the end of the connection", async () => {
    const { url } = await serveRaw((socket) => socket.end("HTTP/1.1 200 OK\r\ncontent-type: x/y\r\n\r\nuntil the end"));
    const res = await createNodeFetch()(url, bulkInit);
    expect(res.headers.get("content-type")).toBe("x/y");
    expect((await drain(takeBulkBody(res)!)).bytes.toString()).toBe("until the end");
  });

  it("returns error and redirect bodies whole, and empty statuses without a body", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/gone") res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[]}');
      else if (req.url === "/moved") res.writeHead(307, { location: "/elsewhere" }).end();
      else res.writeHead(204).end();
    });
    const fetch = createNodeFetch();
    const gone = await fetch(`${server.url}/gone`, bulkInit);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('{"errors":[]}');
    const moved = await fetch(`${server.url}/moved`, bulkInit);
    expect([moved.status, moved.headers.get("location")]).toEqual([307, "/elsewhere"]);
    const empty = await fetch(`${server.url}/empty`, bulkInit);
    expect([empty.status, empty.body]).toEqual([204, null]);
    expect(takeBulkBody(gone) ?? takeBulkBody(empty)).toBeUndefined();
  });

  it("refuses a header value with a line break before connecting (it would write headers of its own)", async () => {
    const { url, requests } = await serve((_req, res) => res.end("x"));
    for (const value of ["a\r\nx-injected: 1", "a\nb"]) {
      await expect(bulkFetch(new URL(url), {}, { "x-value": value })).rejects.toMatchObject({ code: "HTTP_ERROR" });
    }
    expect(requests).toEqual([]);
  });

  it("leaves a chunked response to node:http, which sends the request again", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write("chunked ");
      res.end("body");
    });
    const res = await createNodeFetch()(server.url, bulkInit);
    expect(takeBulkBody(res)).toBeUndefined();
    const node = takeNodeBody(res);
    let text = "";
    for await (const chunk of node!) text += (chunk as Buffer).toString();
    expect(text).toBe("chunked body");
    expect(server.requests).toHaveLength(2);
  });

  it("fails like fetch on a body cut short, extra bytes and a malformed head", async () => {
    const fetch = createNodeFetch();
    const short = await serveRaw((socket) => socket.end("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this"));
    const cut = await takeBulkBody(await fetch(short.url, bulkInit))!
      .pipe(() => {})
      .catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(TypeError);
    expect(isNetworkError(cut)).toBe(true);

    const long = await serveRaw((socket) => socket.end("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nmore than three"));
    const extra = await takeBulkBody(await fetch(long.url, bulkInit))!
      .pipe(() => {})
      .catch((e: unknown) => e);
    expect((extra as Error & { cause: Error }).cause.message).toMatch(/more body bytes than Content-Length/);

    const bad = await serveRaw((socket) => socket.end("HTTP/1.1 200 OK\r\n bad folded: header\r\n\r\n"));
    const malformed = await fetch(bad.url, bulkInit).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(TypeError);
    expect((malformed as Error & { cause: Error }).cause.message).toBe("malformed header line");

    const refused = await fetch("http://127.0.0.1:9/", bulkInit).catch((e: unknown) => e);
    expect(isNetworkError(refused)).toBe(true);
  });

  it("stops when the sink throws or the request is aborted, closing the connection", async () => {
    const blob = randomBytes(2 << 20);
    const server = await serve((_req, res) => res.writeHead(200, { "content-length": String(blob.length) }).end(blob));
    const fetch = createNodeFetch();
    const thrown = new Error("sink says no");
    const res = await fetch(server.url, bulkInit);
    await expect(
      takeBulkBody(res)!.pipe(() => {
        throw thrown;
      }),
    ).rejects.toBe(thrown);

    const controller = new AbortController();
    const aborted = await fetch(server.url, { ...bulkInit, signal: controller.signal });
    const piping = takeBulkBody(aborted)!.pipe(() => controller.abort());
    await expect(piping).rejects.toMatchObject({ name: "AbortError" });
    await expect(fetch(server.url, { ...bulkInit, signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  it("speaks TLS with SNI to a server with its own certificate", async () => {
    await using dir = await tempDir("bulk-tls");
    const { key, cert: pem } = await selfSignedCert(dir.path);
    const blob = randomBytes(500_000);
    let servername: string | undefined;
    const { server } = await listen(
      createHttpsServer({ key, cert: pem }, (req, res) => {
        servername = (req.socket as import("node:tls").TLSSocket).servername || undefined;
        res.writeHead(200, { "content-length": String(blob.length) }).end(blob);
      }),
    );
    const { port } = server.address() as AddressInfo;
    const url = new URL(`https://localhost:${port}/blob`);
    const res = await bulkFetch(url, {}, {}, { ca: pem });
    expect((await drain(takeBulkBody(res!)!)).bytes.equals(blob)).toBe(true);
    expect(servername).toBe("localhost");
    // Without the certificate as a CA the connection is refused.
    await expect(bulkFetch(url, {}, {})).rejects.toBeInstanceOf(TypeError);
  });

  it("downloads blobs to files through a repository, one connection per blob", async () => {
    await using dir = await tempDir("bulk-repo");
    const blob = randomBytes(1 << 20);
    const digest = sha256(blob);
    const server = await serve((req, res) => {
      if (req.url?.endsWith(digest)) res.writeHead(200, { "content-length": String(blob.length) }).end(blob);
      else res.writeHead(404).end();
    });
    const repo = new RemoteRepository(server.host, "a/b", new AuthClient());
    const progress: number[] = [];
    const out = join(dir.path, "blob");
    await repo.fetchBlobToFile({ mediaType: "application/wasm", digest, size: blob.length }, out, {
      onProgress: (e) => progress.push(e.done),
    });
    expect((await readFile(out)).equals(blob)).toBe(true);
    expect(progress.at(-1)).toBe(blob.length);
    expect(server.requests[0]!.connection).toBe("close");
  });
});

describe("bulk reader on awkward input", () => {
  it("reads a response split at any point of its head and body", async () => {
    const body = Buffer.from("0123456789".repeat(30));
    const response = Buffer.concat([
      Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nx-split: yes\r\n\r\n`),
      body,
    ]);
    let split = 0;
    // Each connection gets the response in two writes, a little apart, cut at the next offset.
    const { url } = await serveRaw((socket) => {
      const at = split++;
      socket.setNoDelay(true);
      socket.write(response.subarray(0, at));
      setTimeout(() => socket.end(response.subarray(at)), 2);
    });
    const fetch = createNodeFetch();
    for (let at = 0; at <= response.length; at += at < 90 ? 1 : 37) {
      split = at;
      const res = await fetch(url, bulkInit);
      expect(res.headers.get("x-split")).toBe("yes");
      const parts: Buffer[] = [];
      await takeBulkBody(res)!.pipe((bytes) => {
        parts.push(Buffer.from(bytes));
      });
      expect(Buffer.concat(parts).equals(body), `split at ${at}`).toBe(true);
    }
  });

  it("answers malformed responses with a network error or a response, never a hang or a crash", async () => {
    const replies = [
      "",
      "\r\n\r\n",
      "HTTP/1.1\r\n\r\n",
      "HTTP/2 200\r\n\r\n",
      "HTTP/1.1 2000 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nabcdef",
      "HTTP/1.1 200 OK\r\ncontent-length: 1e3\r\n\r\n",
      "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
      "HTTP/1.1 200 OK\r\nx: \u0000\r\ncontent-length: 0\r\n\r\n",
      `HTTP/1.1 200 OK\r\nx-big: ${"a".repeat(70_000)}\r\n\r\n`,
      "HTTP/1.1 404 Not Found\r\ncontent-length: 10\r\n\r\nshort",
      "HTTP/1.1 101 Switching Protocols\r\n\r\n",
      "HTTP/1.1 200 B\u0001d\r\ncontent-length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
    ];
    let next = "";
    const { url } = await serveRaw((socket) => socket.end(next, "latin1"));
    const fetch = createNodeFetch();
    for (const reply of replies) {
      next = reply;
      const outcome = await (async () => {
        const res = await fetch(url, bulkInit);
        const bulk = takeBulkBody(res);
        if (bulk) await bulk.pipe(() => {});
        else await res.arrayBuffer();
        return "response";
      })().catch((err: unknown) => err);
      if (outcome !== "response") expect(isNetworkError(outcome), JSON.stringify(reply.slice(0, 60))).toBe(true);
      // A head over 64 KiB is refused even when it arrives whole.
      if (reply.includes("x-big"))
        expect((outcome as Error & { cause: Error }).cause.message).toBe("response head too large");
    }
  });
});
