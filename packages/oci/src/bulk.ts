// Bulk downloads (a blob on its way to a file) over a connection of their own, read into one reused buffer.
//
// node:http hands a body over in 64 KiB chunks, a fresh buffer and a round of stream events each;
// for a 12 MB blob from a local registry that overhead, plus hashing on the same thread, made a
// download take twice as long as curl's. Here the socket reads into one 1 MiB buffer (net/tls
// `onread`), so when the consumer is busy hashing, the next read takes everything that arrived
// meanwhile, and the consumer works on each view synchronously before the buffer is reused.
// Only plain responses take this path: a 200 (or a 206 for a Range) with a Content-Length or read to the connection's
// end, and small error bodies; anything else (chunked, 1xx, huge error bodies) is sent again
// through node:http.
import { isIP, connect as netConnect, type Socket } from "node:net";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";
import { DEFAULT_TIMEOUT_MS, OciError, timeoutError } from "./errors.js";
import { type BodySource, BytesSource, HeaderList, type HttpResponse, NodeResponse, readerChunks } from "./http.js";

/** Marks a GET whose body is bulk data (see {@link takeBulkBody}); other transports ignore it. */
export const BULK = Symbol.for("wasm-compose.bulk-body");

/** A RequestInit that may carry the {@link BULK} mark. */
export type BulkRequestInit = RequestInit & { [BULK]?: boolean };

const READ_BUFFER_BYTES = 1 << 20;
/** A response head larger than this is refused. */
const HEAD_LIMIT = 64 * 1024;
/** Bodies of other statuses (errors, redirects) up to this size are read into memory. */
const SMALL_BODY_LIMIT = 1 << 20;

/** Takes one slice of a body (valid only during the call); returning false pauses reading. */
export type BulkSink = (bytes: Uint8Array) => unknown;

/**
 * The bulk body of a response from {@link bulkFetch}, while its web body is untouched; the caller
 * then owns it and must `pipe` or `cancel` it.
 */
export function takeBulkBody(res: HttpResponse): BulkBody | undefined {
  return res instanceof NodeResponse ? res.takeSource(BulkBody) : undefined;
}

/** A response's parsed head. */
interface Head {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** Body length, or -1 when the body runs to the end of the connection. */
  length: number;
  chunked: boolean;
}

/**
 * Sends a GET on a new connection and answers like fetch. Resolves `undefined` when the response
 * is one this reader leaves to node:http (the connection is closed; the caller sends the request
 * again). Network failures are fetch-like TypeErrors whose `cause` is the socket error.
 */
export function bulkFetch(
  url: URL,
  init: RequestInit,
  headers: Record<string, string>,
  tlsOptions: ConnectionOptions = {},
  /** Limit on waiting for the connection, then for each read (see `NodeFetchOptions.timeoutMs`); 0: none. */
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<HttpResponse | undefined> {
  for (const [name, value] of Object.entries(headers)) {
    // The head is written as raw text: a line break would end a header early and start others (or
    // a request) of the value's making. Neither is named in the message: a value may be a secret.
    if (/[\r\n\0]/.test(name) || /[\r\n\0]/.test(value)) {
      return Promise.reject(new OciError("HTTP_ERROR", "refusing a request header that holds a line break"));
    }
  }
  const body = new BulkBody(url, headers, init.signal ?? undefined, tlsOptions, timeoutMs);
  return body.response();
}

/**
 * One bulk response body on its own connection. `pipe` feeds the bytes to a synchronous sink as
 * they arrive; each view is only valid during the call.
 */
export class BulkBody implements BodySource {
  /** Body bytes not consumed yet: -1 until the end of the connection. */
  private remaining = -1;
  private phase: "head" | "body" | "done" = "head";
  private headParts: Buffer[] = [];
  private headSize = 0;
  /** Body bytes that came with the head, kept until a sink is attached. */
  private early: Uint8Array | undefined;
  private sink: BulkSink | undefined;
  private onHead: ((head: Head) => void) | undefined;
  private settle: { resolve: () => void; reject: (err: unknown) => void } | undefined;
  private failure: unknown;
  /** The connection ended (a body read to the end) before a sink was attached. */
  private eof = false;
  private readonly socket: Socket;
  private readonly signal: AbortSignal | undefined;
  private readonly abort = () => this.fail(this.signal?.reason ?? abortError(), false);

  constructor(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    tlsOptions: ConnectionOptions,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.signal = signal;
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    const secure = url.protocol === "https:";
    const port = Number(url.port) || (secure ? 443 : 80);
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
      callback: (n: number, buf: Uint8Array): boolean => this.read(buf.subarray(0, n)),
    };
    this.socket = secure
      ? // tls.connect takes `onread` as net.connect does (its typings leave it out).
        tlsConnect({
          ...tlsOptions,
          host,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          ALPNProtocols: ["http/1.1"],
          onread,
        } as ConnectionOptions)
      : netConnect({ host, port, onread });
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
    for (const [name, value] of Object.entries(headers)) {
      if (name !== "host" && name !== "connection") lines.push(`${name}: ${value}`);
    }
    lines.push("connection: close", "", "");
    this.socket.write(lines.join("\r\n"), "latin1");
    // Idle from the start: the connection, the head and each read of the body restart it.
    if (timeoutMs > 0) {
      this.socket.setTimeout(timeoutMs, () => {
        const what = `GET ${url.pathname}`;
        const waiting = this.socket.connecting
          ? `connecting for ${what}`
          : this.phase === "head"
            ? `waiting for the response to ${what}`
            : `waiting for more of the response body of ${what}`;
        this.fail(timeoutError(url, waiting, timeoutMs));
      });
    }
    this.socket.on("error", (err) => this.fail(err));
    this.socket.on("end", () => this.ended());
    this.socket.on("close", () => this.ended());
    if (signal) {
      if (signal.aborted) queueMicrotask(this.abort);
      else signal.addEventListener("abort", this.abort, { once: true });
    }
  }

  /** The response once its head is in, or undefined for one node:http should read. */
  async response(): Promise<HttpResponse | undefined> {
    const head = await new Promise<Head>((resolve, reject) => {
      this.onHead = resolve;
      this.settle = { resolve: () => {}, reject };
    });
    this.settle = undefined;
    if (head.status < 200 || head.chunked || head.status > 599) {
      this.cancel();
      return undefined;
    }
    try {
      return await this.toResponse(head);
    } catch (err) {
      this.cancel();
      const settled =
        err instanceof TypeError || err instanceof OciError || (err instanceof Error && err.name === "AbortError");
      throw settled ? err : new TypeError("fetch failed", { cause: err });
    }
  }

  private async toResponse(head: Head): Promise<HttpResponse | undefined> {
    const headers = new HeaderList();
    for (const [name, value] of head.headers) headers.append(name, value);
    if (head.status === 204 || head.status === 205 || head.status === 304) {
      this.cancel();
      return new NodeResponse(head.status, head.statusText, headers, null);
    }
    if (head.status !== 200 && head.status !== 206) {
      // Error and redirect bodies are small: read them whole and let the connection go.
      if (head.length < 0 || head.length > SMALL_BODY_LIMIT) {
        this.cancel();
        return undefined;
      }
      const parts: Uint8Array[] = [];
      await this.pipe((bytes) => {
        parts.push(Uint8Array.from(bytes));
      });
      return new NodeResponse(head.status, head.statusText, headers, new BytesSource(Buffer.concat(parts)));
    }
    return new NodeResponse(head.status, head.statusText, headers, this);
  }

  /**
   * Feeds every body byte to `sink`, which must use or copy each view before it returns (returning
   * false pauses reading until {@link resume}). Rejects on a network error, a body cut short or an
   * exception from the sink; the connection is closed then.
   */
  pipe(sink: BulkSink): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      if (this.phase !== "body" || this.sink) return reject(new TypeError("the body was read or cancelled already"));
      this.settle = { resolve, reject };
      this.sink = sink;
      const early = this.early;
      this.early = undefined;
      if (early !== undefined && early.byteLength > 0 && this.deliver(early) === false) return;
      if (this.remaining === 0 || this.eof) return this.finish();
      this.resume();
    });
  }

  /** Reads on after a sink asked for a pause. */
  resume(): void {
    if (this.phase === "body" && !this.socket.destroyed) this.socket.resume();
  }

  /** Closes the connection without reading the rest. */
  cancel(): void {
    if (this.phase === "done") return;
    this.end()?.reject(abortError());
  }

  /** Takes what one read brought; false pauses the socket. */
  private read(bytes: Uint8Array): boolean {
    if (this.phase === "body") return this.deliver(bytes);
    if (this.phase === "done") return false;
    // The head: kept as copies (the read buffer is reused) until its blank line arrives.
    this.headParts.push(Buffer.from(bytes));
    this.headSize += bytes.byteLength;
    const all = this.headParts.length === 1 ? this.headParts[0]! : Buffer.concat(this.headParts);
    const end = all.indexOf("\r\n\r\n");
    if (end < 0 && this.headSize <= HEAD_LIMIT) return true;
    if (end < 0 || end > HEAD_LIMIT) {
      this.fail(protocolError("response head too large"));
      return false;
    }
    let head: Head;
    try {
      head = parseHead(all.toString("latin1", 0, end));
    } catch (err) {
      this.fail(err);
      return false;
    }
    this.headParts = [];
    this.phase = "body";
    this.remaining = head.length;
    this.early = all.subarray(end + 4);
    this.onHead?.(head);
    // Nothing more is read until a sink is attached.
    return false;
  }

  /** Hands bytes to the sink; returns false to pause the socket. */
  private deliver(bytes: Uint8Array): boolean {
    if (this.sink === undefined) {
      // Read before a sink came (the pause after the head is a request, not a promise): kept.
      this.early = this.early ? Buffer.concat([this.early, bytes]) : Uint8Array.from(bytes);
      return false;
    }
    if (this.remaining >= 0 && bytes.byteLength > this.remaining) {
      this.fail(protocolError("more body bytes than Content-Length announced"));
      return false;
    }
    if (this.remaining > 0) this.remaining -= bytes.byteLength;
    let more: unknown;
    try {
      more = this.sink(bytes);
    } catch (err) {
      this.fail(err, false);
      return false;
    }
    if (this.remaining === 0) {
      this.finish();
      return false;
    }
    return more !== false;
  }

  private finish(): void {
    if (this.phase === "done") return;
    this.end()?.resolve();
  }

  /** Closes the connection for good; returns whoever waits on the body, to be told how it ended. */
  private end(): { resolve: () => void; reject: (err: unknown) => void } | undefined {
    this.phase = "done";
    this.cleanup();
    this.socket.destroy();
    const settle = this.settle;
    this.settle = undefined;
    return settle;
  }

  /** The connection is over: the end of a body read to the end, or a body cut short. */
  private ended(): void {
    if (this.phase === "done") return;
    if (this.phase === "body" && this.remaining < 0) {
      if (this.sink) this.finish();
      else this.eof = true;
      return;
    }
    const cause = Object.assign(new Error("other side closed"), { code: "ECONNRESET" });
    this.fail(cause);
  }

  /** Ends everything with `err`; socket errors become fetch-like TypeErrors (aborts and timeouts stay as they are). */
  private fail(err: unknown, wrap = true): void {
    if (this.phase === "done") return;
    const error =
      wrap && !(err instanceof Error && err.name === "AbortError") && !(err instanceof OciError)
        ? new TypeError(this.phase === "head" ? "fetch failed" : "terminated", { cause: err })
        : err;
    this.failure ??= error;
    this.end()?.reject(this.failure);
  }

  private cleanup(): void {
    this.signal?.removeEventListener("abort", this.abort);
  }

  /** Drops the body: the connection is closed. */
  async discard(): Promise<void> {
    this.cancel();
  }

  /** The body chunk by chunk, for readers that do not take the bulk body (copies, paced by reads). */
  chunks(): AsyncIterator<Uint8Array> {
    return readerChunks(this.stream());
  }

  /** The body as a web stream, for readers that do not take the bulk body (copies, paced by reads). */
  stream(): ReadableStream<Uint8Array> {
    let started = false;
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (started) return this.resume();
          started = true;
          this.pipe((bytes) => {
            controller.enqueue(Uint8Array.from(bytes));
            return (controller.desiredSize ?? 0) > 0;
          }).then(
            () => controller.close(),
            (err) => controller.error(err),
          );
        },
        cancel: () => this.cancel(),
      },
      { highWaterMark: 0 },
    );
  }
}

/** Parses a status line and header lines; throws on anything malformed. */
function parseHead(text: string): Head {
  const lines = text.split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]!);
  if (!status) throw protocolError("malformed status line");
  const headers: [string, string][] = [];
  let length = -1;
  let chunked = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    // A folded line (leading space) or a name with spaces is refused, as node:http does.
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) throw protocolError("malformed header line");
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.push([name, value]);
    if (name === "content-length") {
      if (!/^\d+$/.test(value) || (length >= 0 && Number(value) !== length)) {
        throw protocolError("invalid Content-Length");
      }
      length = Number(value);
    } else if (name === "transfer-encoding") {
      chunked = true;
    }
  }
  return { status: Number(status[1]), statusText: status[2] ?? "", headers, length, chunked };
}

function protocolError(message: string): Error {
  return Object.assign(new Error(message), { code: "HPE_INVALID" });
}

function abortError(): Error {
  return new DOMException("This operation was aborted", "AbortError");
}
