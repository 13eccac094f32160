// Verified, atomic file writes: bytes go to a temporary file beside the target and are renamed only once verified.
import { randomBytes } from "node:crypto";
import { writeSync } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { finished, Readable } from "node:stream";
import { BulkBody } from "./bulk.js";
import type { Descriptor, ProgressEvent } from "./content.js";
import { Verifier } from "./digest.js";

/** `.<name>.<12 hex>.partial`: a temporary file for `<name>`. */
const TEMP_NAME = /^\.(.+)\.[0-9a-f]{12}\.partial$/;

/**
 * A temporary path in the same folder as `path` (so the final rename is atomic). A temporary
 * file's own temporary file (a staging file, itself written atomically) is named for the same
 * target, not `..<name>.<hex>.partial.<hex>.partial`.
 */
export function tempPathFor(path: string): string {
  const name = basename(path);
  const target = TEMP_NAME.exec(name)?.[1] ?? name;
  return join(dirname(path), `.${target}.${randomBytes(6).toString("hex")}.partial`);
}

/**
 * Creates a file with `create`, making its folder first only when it is missing: each file system
 * call is a round trip through libuv's thread pool, and the folder usually exists.
 */
export async function inFolder<T>(path: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    await mkdir(dirname(path), { recursive: true });
    return create();
  }
}

/**
 * Blob bytes as they arrive: a bulk body (the fastest path), a Node stream (read through events), a
 * web stream, or chunks.
 */
export type ByteSource =
  | BulkBody
  | Readable
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/** Bytes gathered per write: one write per network chunk (16 to 64 KiB) costs several times more. */
const WRITE_BATCH = 1 << 20;

/**
 * Streams `source` into `path` (or into each of several paths, e.g. the cache and the caller's
 * file, in the same pass), hashing and counting on the way. The files appear only when size and
 * digest match; on any failure the temporary files are removed, the source is released and the
 * error rethrown. A source still on its way (a response awaited) is awaited while the files open.
 */
export async function writeVerifiedFile(
  source: ByteSource | Promise<ByteSource>,
  descriptor: Pick<Descriptor, "digest" | "size">,
  path: string | readonly string[],
  onProgress?: (event: ProgressEvent) => void,
): Promise<void> {
  const arriving = Promise.resolve(source);
  let files: VerifiedFiles;
  try {
    files = await VerifiedFiles.open(descriptor, path, onProgress);
  } catch (err) {
    arriving.then(releaseSource, () => {});
    throw err;
  }
  try {
    await files.append(await arriving);
    await files.commit();
  } catch (err) {
    arriving.then(releaseSource, () => {});
    await files.abort();
    throw err;
  }
}

/**
 * One blob on its way to one or more files: temporary files beside the targets, filled in order
 * and hashed on the way, renamed into place by {@link commit} only when size and digest match. A
 * transfer that breaks off can go on from {@link size} (bytes written and hashed so far) with
 * another {@link append}, or start over with {@link restart}.
 */
export class VerifiedFiles {
  private verifier: Verifier;
  private closed = false;

  private constructor(
    private readonly descriptor: Pick<Descriptor, "digest" | "size">,
    private readonly targets: readonly string[],
    private readonly temps: readonly string[],
    private readonly files: readonly FileHandle[],
    private readonly onProgress: ((event: ProgressEvent) => void) | undefined,
  ) {
    this.verifier = new Verifier(descriptor.digest, descriptor.size);
  }

  /** Opens a temporary file for each target (making missing folders); none is left if one fails. */
  static async open(
    descriptor: Pick<Descriptor, "digest" | "size">,
    path: string | readonly string[],
    onProgress?: (event: ProgressEvent) => void,
  ): Promise<VerifiedFiles> {
    const targets = typeof path === "string" ? [path] : [...path];
    const temps = targets.map(tempPathFor);
    const opened = await Promise.allSettled(temps.map((tmp) => inFolder(tmp, () => open(tmp, "wx"))));
    const failed = opened.find((o) => o.status === "rejected");
    if (failed) {
      for (const o of opened) if (o.status === "fulfilled") await o.value.close().catch(() => {});
      await Promise.all(temps.map((t) => rm(t, { force: true })));
      throw failed.reason;
    }
    const files = opened.map((o) => (o as PromiseFulfilledResult<FileHandle>).value);
    return new VerifiedFiles(descriptor, targets, temps, files, onProgress);
  }

  /** Bytes written (and hashed) so far. */
  get size(): number {
    return this.verifier.size;
  }

  /**
   * Writes all of `source` after what is there. When it fails (a connection lost), every byte it
   * gave before is written and counted in {@link size}, so a later append can go on from there.
   */
  async append(source: ByteSource): Promise<void> {
    const { digest, size: total } = this.descriptor;
    const verifier = this.verifier;
    const progress = () => this.onProgress?.({ digest, done: verifier.size, total });
    if (source instanceof BulkBody) {
      // Each slice is hashed and written before the read buffer is reused; meanwhile the socket
      // fills, and the next read takes all of it.
      await source.pipe((bytes) => {
        const position = verifier.size;
        verifier.update(bytes);
        for (const file of this.files) writeFully(file.fd, bytes, position);
        progress();
      });
      return;
    }
    const writer = new BatchWriter(this.files, verifier.size);
    try {
      await pump(source, (chunk) => {
        verifier.update(chunk);
        progress();
        return writer.push(chunk);
      });
    } finally {
      // What was hashed is written too, even when the source failed (a failed write wins).
      await writer.flush();
    }
  }

  /** Drops what was written: the next {@link append} starts at the first byte. */
  async restart(): Promise<void> {
    await Promise.all(this.files.map((f) => f.truncate(0)));
    this.verifier = new Verifier(this.descriptor.digest, this.descriptor.size);
  }

  /** Checks size and digest, then moves every file into place. */
  async commit(): Promise<void> {
    this.verifier.check();
    this.closed = true;
    await Promise.all(this.files.map((f) => f.close()));
    await Promise.all(this.targets.map((target, i) => rename(this.temps[i]!, target)));
  }

  /** Closes and removes the temporary files. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await Promise.all(this.files.map((f) => f.close().catch(() => {})));
    }
    await Promise.all(this.temps.map((t) => rm(t, { force: true })));
  }
}

/**
 * Writes chunks in batches, to every file at once. One batch is written while the next one fills;
 * the source has to wait only when a second batch is full before the first is written.
 */
class BatchWriter {
  private batch: Uint8Array[] = [];
  private size = 0;
  private writing: Promise<void> | undefined;

  /** `position` is where the next batch goes: explicit offsets keep the bytes in order whatever the timing. */
  constructor(
    private readonly files: readonly FileHandle[],
    private position = 0,
  ) {}

  /** Takes a chunk; a promise means "wait for it before the next chunk". */
  push(chunk: Uint8Array): Promise<void> | undefined {
    this.batch.push(chunk);
    this.size += chunk.byteLength;
    if (this.size < WRITE_BATCH) return undefined;
    const batch = this.take();
    if (!this.writing) {
      this.start(batch);
      return undefined;
    }
    return this.writing.then(() => this.start(batch));
  }

  /** Writes what is left and waits until everything is written. */
  async flush(): Promise<void> {
    await this.writing;
    const batch = this.take();
    if (batch.length) this.start(batch);
    await this.writing;
  }

  private take(): Uint8Array[] {
    const batch = this.batch;
    this.batch = [];
    this.size = 0;
    return batch;
  }

  private start(batch: Uint8Array[]): void {
    const expected = batch.reduce((n, c) => n + c.byteLength, 0);
    const position = this.position;
    this.position += expected;
    const writing = Promise.all(
      this.files.map(async (file) => {
        const { bytesWritten } = await file.writev(batch, position);
        if (bytesWritten !== expected) throw new Error(`short write: ${bytesWritten} of ${expected} bytes`);
      }),
    ).then(() => {
      // A failed write stays in `writing`, so the next push or the flush reports it.
      if (this.writing === writing) this.writing = undefined;
    });
    writing.catch(() => {});
    this.writing = writing;
  }
}

/** Feeds every chunk of `source` to `take`, waiting when `take` asks to; rejects on the first error. */
function pump(source: ByteSource, take: (chunk: Uint8Array) => Promise<void> | undefined): Promise<void> {
  if (source instanceof Readable) return pumpNode(source, take);
  if (source instanceof ReadableStream) return pumpWeb(source, take);
  return (async () => {
    for await (const chunk of source as AsyncIterable<Uint8Array>) await take(chunk);
  })();
}

/** Node streams are read through `data` events: no promise per chunk, pausing only for the disk. */
function pumpNode(source: Readable, take: (chunk: Uint8Array) => Promise<void> | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      reject(err);
    };
    source.on("data", (chunk: Buffer) => {
      if (failed) return;
      let wait: Promise<void> | undefined;
      try {
        wait = take(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      if (wait) {
        source.pause();
        wait.then(() => {
          if (!failed) source.resume();
        }, fail);
      }
    });
    finished(source, (err) => {
      if (err) fail(err);
      else if (!failed) resolve();
    });
  });
}

async function pumpWeb(
  source: ReadableStream<Uint8Array>,
  take: (chunk: Uint8Array) => Promise<void> | undefined,
): Promise<void> {
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await take(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
}

/** Writes all of `bytes` at `position` of the file. */
function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.byteLength; ) {
    done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
  }
}

/** Reads a file through and checks its size and digest (throws SIZE_MISMATCH or DIGEST_MISMATCH). */
export async function verifyFile(path: string, descriptor: Pick<Descriptor, "digest" | "size">): Promise<void> {
  const verifier = new Verifier(descriptor.digest, descriptor.size);
  const file = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) break;
      verifier.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  verifier.check();
}

/** Lets go of a source that was not read to the end (its connection is closed). */
export function releaseSource(source: ByteSource): void {
  if (source instanceof BulkBody) source.cancel();
  else if (source instanceof Readable) source.destroy();
  else if (source instanceof ReadableStream && !source.locked) source.cancel().catch(() => {});
}

/**
 * Writes bytes atomically (already verified by the caller, or not content-addressed). `mode` is
 * set as the temporary file is created (exclusively), so the content is never readable more widely.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string, mode?: number): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await inFolder(tmp, () => writeFile(tmp, bytes, { flag: "wx", ...(mode === undefined ? {} : { mode }) }));
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
