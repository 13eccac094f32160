// The default HTTP transport: node:http/https with keep-alive, answering web Responses; a body can also be read as the Node stream underneath.
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ClientRequest as NodeRequest,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { finished, pipeline, Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { BULK, type BulkRequestInit, bulkFetch } from "./bulk.js";
import { environmentProxy, ProxyAgents, type ProxyChooser } from "./proxy.js";

/** Sent when the caller sets no User-Agent (fetch sends one too; some registry front ends want one). */
const USER_AGENT = "wasm-compose";

/** A request that sends no byte for this long fails as a network error (undici's fetch waits as long). */
const IDLE_TIMEOUT_MS = 300_000;

/** How long a small body being drained may take before its connection is closed instead. */
const DRAIN_TIMEOUT_MS = 1000;

/** Bodies up to this size are read to the end when cancelled, so their connection can serve the next request. */
const DRAIN_LIMIT = 128 * 1024;

/** Responses whose body has not been touched yet, with the Node stream that carries it. */
const nodeBodies = new WeakMap<Response, IncomingMessage>();

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Picks a proxy per request; default: the environment's (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY). */
  proxy?: ProxyChooser;
}

/**
 * A `fetch` over node:http/https with its own keep-alive connections, through the proxy the
 * environment names if any; a GET marked {@link BULK}
 * goes through the bulk reader instead (see bulk.ts). A body read through
 * {@link takeNodeBody} skips fetch's web-stream layer, which took about a third of the CPU time of
 * a 12 MB blob download from a local registry. Requests are never redirected (the caller follows
 * redirects by hand), bodies are not decompressed (no Accept-Encoding is sent), and URLs with
 * credentials are refused, as fetch does. Failures look like fetch's: a `TypeError` whose `cause`
 * is the socket error.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  let http: HttpAgent | undefined;
  let https: HttpsAgent | undefined;
  const chooseProxy = options.proxy ?? environmentProxy;
  const proxied = new ProxyAgents();
  const send = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
    }
    if (url.username || url.password) return Promise.reject(new Error("a URL with credentials is refused"));
    const secure = url.protocol === "https:";
    let proxy: URL | undefined;
    try {
      proxy = chooseProxy(url);
    } catch (err) {
      return Promise.reject(err);
    }
    // Through a proxy, node:http speaks to it (the bulk reader connects directly only).
    if (proxy !== undefined) return proxied.for(proxy, secure).then((agent) => request(url, init, agent, secure));
    const agent = secure
      ? (https ??= new HttpsAgent({ keepAlive: true, scheduling: "lifo" }))
      : (http ??= new HttpAgent({ keepAlive: true, scheduling: "lifo" }));
    if (
      (init as BulkRequestInit)[BULK] === true &&
      (init.method ?? "GET").toUpperCase() === "GET" &&
      init.body == null
    ) {
      // A blob on its way to a file: its own connection and reader; node:http takes what that reader leaves.
      return Promise.resolve()
        .then(() => bulkFetch(url, init, headerRecord(init.headers)))
        .then((res) => res ?? request(url, init, agent, secure));
    }
    return request(url, init, agent, secure);
  };
  return send as typeof fetch;
}

/**
 * The Node stream of a response's body, when the response came from {@link createNodeFetch} and
 * its web body was not touched; the caller then owns it (and must read or destroy it).
 */
export function takeNodeBody(res: Response): Readable | undefined {
  const body = nodeBodies.get(res);
  if (!body || res.bodyUsed || res.body?.locked) return undefined;
  nodeBodies.delete(res);
  return body;
}

function request(url: URL, init: RequestInit, agent: HttpAgent, secure: boolean): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const method = (init.method ?? "GET").toUpperCase();
    let req: NodeRequest;
    try {
      const options = {
        method,
        headers: headerRecord(init.headers),
        agent,
        ...(init.signal ? { signal: init.signal } : {}),
      };
      req = secure ? httpsRequest(url, options) : httpRequest(url, options);
    } catch (err) {
      reject(new TypeError("fetch failed", { cause: err }));
      return;
    }
    req.setTimeout(IDLE_TIMEOUT_MS, () =>
      req.destroy(Object.assign(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`), { code: "ETIMEDOUT" })),
    );
    req.on("error", (err) => reject(fetchError(err, "fetch failed")));
    req.once("response", (msg) => {
      let res: Response;
      try {
        res = toResponse(msg, method);
      } catch (err) {
        msg.destroy();
        reject(new TypeError("fetch failed", { cause: err }));
        return;
      }
      // Without a body the message is over: answer once its connection is free for the next request.
      if (res.body === null) void drain(msg).then(() => resolve(res));
      else resolve(res);
    });
    writeBody(req, init.body);
  });
}

function writeBody(req: NodeRequest, body: RequestInit["body"]): void {
  if (body === undefined || body === null) {
    req.end();
  } else if (typeof body === "string" || body instanceof Uint8Array) {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    if (!req.hasHeader("content-length")) req.setHeader("content-length", bytes.byteLength);
    req.end(bytes);
  } else if (body instanceof ArrayBuffer) {
    writeBody(req, new Uint8Array(body));
  } else if (body instanceof ReadableStream) {
    pipeline(Readable.fromWeb(body as NodeReadableStream), req, (err) => {
      if (err) req.destroy(err);
    });
  } else {
    req.destroy(new Error("unsupported request body type"));
  }
}

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  out["user-agent"] ??= USER_AGENT;
  return out;
}

/** The response with its headers; the body is a web stream that only starts reading when read. */
function toResponse(msg: IncomingMessage, method: string): Response {
  const status = msg.statusCode ?? 0;
  const headers = new Headers();
  const raw = msg.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header value fetch would refuse is dropped, as fetch would.
    }
  }
  // Errors surface through the body's reader; without a reader they must not crash the process.
  msg.on("error", () => {});
  const init = { status, statusText: msg.statusMessage ?? "", headers };
  if (method === "HEAD" || status === 204 || status === 205 || status === 304) return new Response(null, init);
  const res = new Response(webBody(msg), init);
  nodeBodies.set(res, msg);
  return res;
}

function webBody(msg: IncomingMessage): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  // highWaterMark 0: nothing is read until someone reads, so takeNodeBody can still hand the stream over.
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= msg[Symbol.asyncIterator]();
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        } catch (err) {
          controller.error(fetchError(err, "terminated"));
        }
      },
      async cancel() {
        if (chunks) await chunks.return?.();
        else await discard(msg);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Drops a body: small ones are read to the end so the connection serves the next request (an auth
 * round trip, a retry), large ones close it.
 */
function discard(msg: IncomingMessage): Promise<void> {
  const length = Number(msg.headers["content-length"] ?? Number.NaN);
  if (length > DRAIN_LIMIT) {
    msg.destroy();
    return Promise.resolve();
  }
  return drain(msg);
}

/**
 * Reads a message to its end; one that turns out larger than the drain limit or stalls is closed
 * instead. Resolves once the connection is released.
 */
function drain(msg: IncomingMessage): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => msg.destroy(), DRAIN_TIMEOUT_MS).unref();
    let size = 0;
    msg.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > DRAIN_LIMIT) msg.destroy();
    });
    // Node releases the connection from its own `end` handler, registered before this one.
    finished(msg, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Socket errors as fetch reports them (a TypeError with the cause); aborts stay AbortErrors. */
function fetchError(err: unknown, message: string): unknown {
  if (err instanceof Error && err.name === "AbortError") return err;
  return new TypeError(message, { cause: err });
}
