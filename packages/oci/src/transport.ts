// The default HTTP transport: node:http/https with keep-alive, answering NodeResponses; a body can also be read as the Node stream underneath.
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
import { DEFAULT_TIMEOUT_MS, OciError, timeoutError } from "./errors.js";
import { type BodySource, HeaderList, type HttpFetch, type HttpResponse, NodeResponse } from "./http.js";
import { environmentProxy, ProxyAgents, type ProxyChooser } from "./proxy.js";

/** Sent when the caller sets no User-Agent (fetch sends one too; some registry front ends want one). */
const USER_AGENT = "wasm-compose";

/** How long a small body being drained may take before its connection is closed instead. */
const DRAIN_TIMEOUT_MS = 1000;

/** Bodies up to this size are read to the end when cancelled, so their connection can serve the next request. */
const DRAIN_LIMIT = 128 * 1024;

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Picks a proxy per request; default: the environment's (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY). */
  proxy?: ProxyChooser;
  /**
   * Milliseconds a request may wait for its connection, then for each byte of progress either
   * way (sending the body, the response head, each part of the response body), default
   * {@link DEFAULT_TIMEOUT_MS}; 0 waits forever. The timer restarts with every chunk, so a slow
   * transfer that moves never times out. A request that waits longer fails with a TIMEOUT OciError.
   */
  timeoutMs?: number;
}

/**
 * A fetch over node:http/https with its own keep-alive connections, through the proxy the
 * environment names if any; a GET marked {@link BULK} goes through the bulk reader instead (see
 * bulk.ts). It answers {@link NodeResponse}s, so neither undici nor web streams are loaded unless a
 * caller reads `body`; a body taken with {@link takeNodeBody} is read as the Node stream underneath.
 * Requests are never redirected (the caller follows redirects by hand), bodies are not decompressed
 * (no Accept-Encoding is sent), and URLs with credentials are refused, as fetch does. Failures look
 * like fetch's: a `TypeError` whose `cause` is the socket error.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): HttpFetch {
  let http: HttpAgent | undefined;
  let https: HttpsAgent | undefined;
  const chooseProxy = options.proxy ?? environmentProxy;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const proxied = new ProxyAgents();
  return (input: string | URL, init: RequestInit = {}): Promise<HttpResponse> => {
    const url = new URL(input);
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
    if (proxy !== undefined)
      return proxied.for(proxy, secure).then((agent) => request(url, init, agent, secure, timeoutMs));
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
        .then(() => bulkFetch(url, init, headerRecord(init.headers), {}, timeoutMs))
        .then((res) => res ?? request(url, init, agent, secure, timeoutMs));
    }
    return request(url, init, agent, secure, timeoutMs);
  };
}

/**
 * The Node stream of a response's body, when the response came from {@link createNodeFetch} and
 * its web body was not touched; the caller then owns it (and must read or destroy it).
 */
export function takeNodeBody(res: HttpResponse): Readable | undefined {
  return res instanceof NodeResponse ? res.takeSource(MessageSource)?.msg : undefined;
}

function request(
  url: URL,
  init: RequestInit,
  agent: HttpAgent,
  secure: boolean,
  timeoutMs: number,
): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const method = (init.method ?? "GET").toUpperCase();
    const what = `${method} ${url.pathname}`;
    let message: IncomingMessage | undefined;
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
    if (timeoutMs > 0) {
      // Until the socket is connected (a proxy's agent may take a while to hand one over), one
      // timer; from then on the socket's idle timer, which every byte read or written restarts.
      const connecting = setTimeout(
        () => req.destroy(timeoutError(url, `connecting for ${what}`, timeoutMs)),
        timeoutMs,
      );
      const connected = () => clearTimeout(connecting);
      req.once("close", connected);
      req.once("socket", (socket) => {
        if (socket.connecting) socket.once("connect", connected);
        else connected();
      });
      req.setTimeout(timeoutMs, () => {
        const waiting = message
          ? `waiting for more of the response body of ${what}`
          : req.writableFinished
            ? `waiting for the response to ${what}`
            : `sending the body of ${what}`;
        const err = timeoutError(url, waiting, timeoutMs);
        // A body being read fails with the timeout itself, not with the aborted request.
        message?.destroy(err);
        req.destroy(err);
      });
    }
    req.on("error", (err) => reject(fetchError(err, "fetch failed")));
    req.once("response", (msg) => {
      message = msg;
      const status = msg.statusCode ?? 0;
      const headers = new HeaderList();
      const raw = msg.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      // Errors surface through the body's reader; without a reader they must not crash the process.
      msg.on("error", () => {});
      const bodyless = method === "HEAD" || status === 204 || status === 205 || status === 304;
      const res = new NodeResponse(status, msg.statusMessage ?? "", headers, bodyless ? null : new MessageSource(msg));
      // Without a body the message is over: answer once its connection is free for the next request.
      if (bodyless) void drain(msg).then(() => resolve(res));
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

/** Request headers as a record with lower-case names (repeated names joined, as fetch does). */
function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  };
  if (Array.isArray(headers)) {
    for (const [name, value] of headers) add(name!, value!);
  } else if (headers && typeof (headers as Headers).forEach === "function") {
    (headers as Headers).forEach((value, name) => {
      add(name, value);
    });
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  out["user-agent"] ??= USER_AGENT;
  return out;
}

/** A response body as node:http delivers it. */
class MessageSource implements BodySource {
  constructor(readonly msg: IncomingMessage) {}

  chunks(): AsyncIterator<Uint8Array> {
    const it = this.msg[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    return {
      next: async () => {
        try {
          return await it.next();
        } catch (err) {
          throw fetchError(err, "terminated");
        }
      },
      return: async () => {
        await it.return?.();
        return { done: true, value: undefined };
      },
    };
  }

  discard(): Promise<void> {
    return discard(this.msg);
  }

  stream(): ReadableStream<Uint8Array> {
    const msg = this.msg;
    let chunks: AsyncIterator<Uint8Array> | undefined;
    // highWaterMark 0: nothing is read until someone reads.
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          chunks ??= this.chunks();
          try {
            const next = await chunks.next();
            if (next.done) controller.close();
            else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
          } catch (err) {
            controller.error(err);
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

/** Socket errors as fetch reports them (a TypeError with the cause); aborts and timeouts stay as they are. */
function fetchError(err: unknown, message: string): unknown {
  if ((err instanceof Error && err.name === "AbortError") || err instanceof OciError) return err;
  return new TypeError(message, { cause: err });
}
