// Responses as the client reads them: any fetch's Response, or our transport's NodeResponse.
//
// Node's fetch classes (Headers, Response, Request) live in undici, which Node loads on their first
// use: about 30 ms, a sixth of a whole `wasm-compose pull`. Web streams cost another 3.5 ms. Our own
// transport therefore answers with NodeResponse: the same reading surface, plain headers, and a
// body that becomes a web stream only if somebody asks for `body`.

/** The headers of an {@link HttpResponse}: names are case-insensitive. */
export interface HttpHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
  forEach(callback: (value: string, name: string) => void): void;
}

/** The part of fetch's Response the client reads; a Response from any fetch is one. */
export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: HttpHeaders;
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** A fetch-like function; the global `fetch` is one. */
export type HttpFetch = (input: string | URL, init?: RequestInit) => Promise<HttpResponse>;

/** Where the body bytes of a {@link NodeResponse} come from. */
export interface BodySource {
  /** The bytes in order; each chunk is the caller's to keep. `return()` drops the rest. */
  chunks(): AsyncIterator<Uint8Array>;
  /** Drops the body; never rejects. */
  discard(): Promise<void>;
  /** The body as a web stream. */
  stream(): ReadableStream<Uint8Array>;
}

/** Response headers as fetch keeps them: lower-case names, repeated headers joined with ", ". */
export class HeaderList implements HttpHeaders {
  private readonly map = new Map<string, string>();

  /** Adds a header; a value fetch would refuse (NUL, CR or LF in it) is dropped, as fetch drops it. */
  append(name: string, value: string): void {
    if (/[\0\r\n]/.test(value)) return;
    const key = name.toLowerCase();
    const trimmed = value.trim();
    const before = this.map.get(key);
    this.map.set(key, before === undefined ? trimmed : `${before}, ${trimmed}`);
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  /** In name order, as fetch's Headers iterates. */
  forEach(callback: (value: string, name: string) => void): void {
    const sorted = [...this.map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, value] of sorted) callback(value, name);
  }
}

/** The answer of our transport: fetch's reading surface without fetch's machinery. */
export class NodeResponse implements HttpResponse {
  readonly ok: boolean;
  private readonly source: BodySource | null;
  private used = false;
  private web: ReadableStream<Uint8Array> | null | undefined;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: HeaderList,
    source: BodySource | null,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.source = source;
  }

  /** The body as a web stream, made on first access (a body already read or taken is gone: null). */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.web === undefined) {
      this.web = this.source === null || this.used ? null : this.source.stream();
      this.used = this.web !== null;
    }
    return this.web;
  }

  get bodyUsed(): boolean {
    return this.web ? this.web.locked : this.used && this.source !== null;
  }

  /**
   * Hands the body's source to a reader that knows its kind (the fast paths of transport.ts and
   * bulk.ts); undefined when the body is of another kind or was read already.
   */
  takeSource<T extends BodySource>(kind: abstract new (...args: never[]) => T): T | undefined {
    if (this.used || !(this.source instanceof kind)) return undefined;
    this.used = true;
    return this.source;
  }

  /** The body chunk by chunk (see {@link bodyChunks}). */
  chunks(): AsyncIterator<Uint8Array> | null {
    if (this.web) return readerChunks(this.web);
    if (this.source === null) return null;
    if (this.used) throw new TypeError("Body is unusable: Body has already been read");
    this.used = true;
    return this.source.chunks();
  }

  /** Drops the body (see {@link discardBody}). */
  discard(): Promise<void> {
    if (this.web) return this.web.cancel().catch(() => {});
    if (this.source === null || this.used) return Promise.resolve();
    this.used = true;
    return this.source.discard();
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  private async bytes(): Promise<Uint8Array> {
    const it = this.chunks();
    if (it === null) return new Uint8Array();
    const parts: Uint8Array[] = [];
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      parts.push(next.value);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

/** A body held in memory. */
export class BytesSource implements BodySource {
  constructor(private readonly bytes: Uint8Array) {}

  async *chunks(): AsyncGenerator<Uint8Array> {
    yield this.bytes;
  }

  async discard(): Promise<void> {}

  stream(): ReadableStream<Uint8Array> {
    const bytes = this.bytes;
    return new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.byteLength > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
}

/**
 * Any response's body chunk by chunk, or null when it has none. Ending early with `return()`
 * cancels the rest.
 */
export function bodyChunks(res: HttpResponse): AsyncIterator<Uint8Array> | null {
  if (res instanceof NodeResponse) return res.chunks();
  return res.body ? readerChunks(res.body) : null;
}

/** Drops any response's body without reading it (a connection is freed or closed); never rejects. */
export function discardBody(res: HttpResponse): Promise<void> {
  if (res instanceof NodeResponse) return res.discard();
  return res.body ? res.body.cancel().catch(() => {}) : Promise.resolve();
}

/** A web stream's chunks as an iterator; `return()` cancels the stream. */
export function readerChunks(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    next: async () => {
      const { done, value } = await reader.read();
      return done ? { done: true, value: undefined } : { done: false, value };
    },
    return: async () => {
      await reader.cancel().catch(() => {});
      return { done: true, value: undefined };
    },
  };
}
