// Verified, atomic file writes: bytes go to a temporary file beside the target and are renamed only once verified.
import { randomBytes } from "node:crypto";
import { constants, createWriteStream } from "node:fs";
import { copyFile, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Descriptor, ProgressEvent } from "./content.js";
import { Verifier } from "./digest.js";

/** A temporary path in the same folder as `path` (so the final rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
}

/**
 * Streams `source` into `path`, hashing and counting on the way. The file appears only when size
 * and digest match; on any failure the temporary file is removed and the error rethrown.
 */
export async function writeVerifiedFile(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>,
  descriptor: Pick<Descriptor, "digest" | "size">,
  path: string,
  onProgress?: (event: ProgressEvent) => void,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const verifier = new Verifier(descriptor.digest, descriptor.size);
  const file = await open(tmp, "wx");
  let closed = false;
  // A web stream is read with its reader directly: measurably faster than adapting it to a Node stream.
  const reader = source instanceof ReadableStream ? source.getReader() : undefined;
  try {
    // Chunks from fetch are small; writing them in batches saves most of the per-write cost.
    let batch: Uint8Array[] = [];
    let batched = 0;
    const flush = async () => {
      if (batch.length) await file.writev(batch);
      batch = [];
      batched = 0;
    };
    const write = async (chunk: Uint8Array) => {
      verifier.update(chunk);
      onProgress?.({ digest: descriptor.digest, done: verifier.size, total: descriptor.size });
      batch.push(chunk);
      batched += chunk.byteLength;
      if (batched >= 1 << 20) await flush();
    };
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await write(value);
      }
    } else {
      for await (const chunk of source as AsyncIterable<Uint8Array>) await write(chunk);
    }
    await flush();
    verifier.check();
    await file.close();
    closed = true;
    await rename(tmp, path);
  } catch (err) {
    await reader?.cancel().catch(() => {});
    if (!closed) await file.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Copies a file atomically (reflink or kernel copy where available); for content verified just before. */
export async function copyFileAtomic(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const tmp = tempPathFor(to);
  try {
    await copyFile(from, tmp, constants.COPYFILE_FICLONE);
    await rename(tmp, to);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Writes bytes atomically (already verified by the caller, or not content-addressed). */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await pipeline(
      Readable.from([typeof bytes === "string" ? Buffer.from(bytes) : bytes]),
      createWriteStream(tmp, { flags: "wx" }),
    );
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
