// An OCI image layout folder (oci-layout, index.json, blobs/<alg>/<hex>) used as a Store, like a registry repository.
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import {
  type BlobSource,
  type Descriptor,
  type FetchedManifest,
  type ImageIndex,
  MANIFEST_MEDIA_TYPES,
  MEDIA_TYPES,
  parseJson,
  type Store,
  type TransferOptions,
} from "../content.js";
import { computeDigest, isDigest, splitDigest, verifyBytes } from "../digest.js";
import { OciError } from "../errors.js";
import { writeFileAtomic, writeVerifiedFile } from "../fs-atomic.js";
import { isValidTag } from "../reference.js";

export const REF_NAME = "org.opencontainers.image.ref.name";

/**
 * One repository as an OCI image layout on disk. Every blob written is verified against its
 * digest before it appears (atomic rename), and every blob read is verified again, so a corrupted
 * or truncated file is reported rather than used. Tags live in index.json as ref.name annotations
 * (the way skopeo's `oci:<dir>:<tag>` reads them).
 */
export class OciLayout implements Store {
  readonly root: string;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(root: string) {
    this.root = root;
  }

  blobPath(digest: string): string {
    const { algorithm, hex } = splitDigest(digest);
    return join(this.root, "blobs", algorithm, hex);
  }

  private ready: Promise<void> | undefined;

  /** Creates `oci-layout` and an empty `index.json` when missing (checked once per instance). */
  init(): Promise<void> {
    this.ready ??= this.create().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async create(): Promise<void> {
    // mkdir names the first folder it had to create: when that is the root or above, nothing is there yet.
    const created = await mkdir(join(this.root, "blobs", "sha256"), { recursive: true });
    const fresh = created !== undefined && !relative(created, this.root).startsWith("..");
    const ensure = async (name: string, write: () => Promise<void>) => {
      if (fresh) return write();
      try {
        await stat(join(this.root, name));
      } catch {
        await write();
      }
    };
    // Independent files, created side by side: a cold pull waits for this.
    await Promise.all([
      ensure("oci-layout", () =>
        writeFileAtomic(join(this.root, "oci-layout"), `${JSON.stringify({ imageLayoutVersion: "1.0.0" })}\n`),
      ),
      ensure("index.json", () => this.writeIndex({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] })),
    ]);
  }

  async readIndex(): Promise<ImageIndex> {
    let text: Buffer;
    try {
      text = await readFile(join(this.root, "index.json"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] };
      }
      throw err;
    }
    const index = parseJson<ImageIndex>(text, `${join(this.root, "index.json")}`);
    index.manifests ??= [];
    return index;
  }

  private async writeIndex(index: ImageIndex): Promise<void> {
    await writeFileAtomic(join(this.root, "index.json"), `${JSON.stringify(index, null, 2)}\n`);
  }

  /**
   * Serialises index.json updates: in this process with a promise chain, across processes (two
   * CLI runs sharing the cache) with an `index.json.lock` file created exclusively.
   */
  private async updateIndex(change: (index: ImageIndex) => void): Promise<void> {
    const run = this.lock.then(async () => {
      await this.init();
      const release = await acquireLock(join(this.root, "index.json.lock"));
      try {
        const index = await this.readIndex();
        change(index);
        await this.writeIndex(index);
      } finally {
        await release();
      }
    });
    this.lock = run.catch(() => {});
    await run;
  }

  async resolve(reference: string): Promise<Descriptor> {
    const index = await this.readIndex();
    if (isDigest(reference)) {
      const entry = index.manifests.find((m) => m.digest === reference);
      if (entry) return { mediaType: entry.mediaType, digest: entry.digest, size: entry.size };
      if (await this.hasBlob(reference)) {
        const bytes = await this.readVerified({ digest: reference });
        const mediaType = parseJson<{ mediaType?: string }>(bytes, `manifest ${reference}`).mediaType;
        if (mediaType && MANIFEST_MEDIA_TYPES.includes(mediaType))
          return { mediaType, digest: reference, size: bytes.byteLength };
      }
      throw new OciError("MANIFEST_UNKNOWN", `${reference} not found in ${this.root}`, { status: 404 });
    }
    if (!isValidTag(reference)) throw new OciError("INVALID_REFERENCE", `invalid tag ${JSON.stringify(reference)}`);
    // The last entry wins, as the newest tag assignment.
    const entry = [...index.manifests].reverse().find((m) => m.annotations?.[REF_NAME] === reference);
    if (!entry) throw new OciError("MANIFEST_UNKNOWN", `tag ${reference} not found in ${this.root}`, { status: 404 });
    return { mediaType: entry.mediaType, digest: entry.digest, size: entry.size };
  }

  async fetchManifest(reference: string): Promise<FetchedManifest> {
    const descriptor = await this.resolve(reference);
    const bytes = await this.readVerified(descriptor);
    return { descriptor: { ...descriptor, size: bytes.byteLength }, bytes };
  }

  private async readVerified(descriptor: Pick<Descriptor, "digest"> & { size?: number }): Promise<Uint8Array> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.blobPath(descriptor.digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new OciError("BLOB_UNKNOWN", `blob ${descriptor.digest} not found in ${this.root}`, { status: 404 });
      }
      throw err;
    }
    verifyBytes(bytes, descriptor.digest, descriptor.size);
    return bytes;
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Uint8Array> {
    const bytes = await this.readVerified(descriptor);
    options.onProgress?.({ digest: descriptor.digest, done: bytes.byteLength, total: descriptor.size });
    return bytes;
  }

  async fetchBlobToFile(
    descriptor: Descriptor,
    path: string | readonly string[],
    options: TransferOptions = {},
  ): Promise<void> {
    if (!(await this.hasBlob(descriptor.digest))) {
      throw new OciError("BLOB_UNKNOWN", `blob ${descriptor.digest} not found in ${this.root}`, { status: 404 });
    }
    await writeVerifiedFile(readBlobFile(this.blobPath(descriptor.digest)), descriptor, path, options.onProgress);
  }

  async hasBlob(digest: string): Promise<boolean> {
    try {
      return (await stat(this.blobPath(digest))).isFile();
    } catch {
      return false;
    }
  }

  async pushBlob(descriptor: Descriptor, source: BlobSource, options: TransferOptions = {}): Promise<void> {
    if (await this.hasBlob(descriptor.digest)) {
      options.onProgress?.({ digest: descriptor.digest, done: descriptor.size, total: descriptor.size });
      return;
    }
    await this.init();
    if (source instanceof Uint8Array) {
      // Bytes in memory are checked in place and written in one call.
      verifyBytes(source, descriptor.digest, descriptor.size);
      await writeFileAtomic(this.blobPath(descriptor.digest), source);
      options.onProgress?.({ digest: descriptor.digest, done: descriptor.size, total: descriptor.size });
      return;
    }
    await writeVerifiedFile(
      readBlobFile(source.path),
      descriptor,
      this.blobPath(descriptor.digest),
      options.onProgress,
    );
  }

  /**
   * Lets `write` put a blob in place (e.g. a remote download, verified on the way); used by the
   * cache, which has just checked that the blob is missing. Were it written meanwhile by another
   * pull, the verified bytes replace it atomically.
   */
  async writeBlob(descriptor: Descriptor, write: (path: string) => Promise<void>): Promise<void> {
    // The blob's folder is made when its file is opened, so the download need not wait for the
    // layout's other files.
    await Promise.all([this.init(), write(this.blobPath(descriptor.digest))]);
  }

  async pushManifest(bytes: Uint8Array, mediaType: string, tags: readonly string[] = []): Promise<Descriptor> {
    for (const tag of tags) {
      if (!isValidTag(tag)) throw new OciError("INVALID_REFERENCE", `invalid tag ${JSON.stringify(tag)}`);
    }
    const descriptor: Descriptor = { mediaType, digest: computeDigest(bytes), size: bytes.byteLength };
    await this.pushBlob(descriptor, bytes);
    await this.updateIndex((index) => {
      if (tags.length === 0) {
        if (!index.manifests.some((m) => m.digest === descriptor.digest)) index.manifests.push({ ...descriptor });
        return;
      }
      index.manifests = index.manifests.filter((m) => {
        const name = m.annotations?.[REF_NAME];
        // Re-tagging moves the tag; an untagged entry for the same manifest is replaced.
        return !(name !== undefined ? tags.includes(name) : m.digest === descriptor.digest);
      });
      for (const tag of tags) index.manifests.push({ ...descriptor, annotations: { [REF_NAME]: tag } });
    });
    return descriptor;
  }

  async listTags(): Promise<string[]> {
    const index = await this.readIndex();
    return [...new Set(index.manifests.map((m) => m.annotations?.[REF_NAME]).filter((t): t is string => !!t))];
  }

  async referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    const index = await this.readIndex();
    const out: Descriptor[] = [];
    const seen = new Set<string>();
    for (const entry of index.manifests) {
      if (seen.has(entry.digest)) continue;
      seen.add(entry.digest);
      let manifest: {
        subject?: Descriptor;
        artifactType?: string;
        config?: Descriptor;
        annotations?: Record<string, string>;
      };
      try {
        manifest = parseJson(await this.readVerified(entry), "manifest");
      } catch {
        continue;
      }
      if (manifest.subject?.digest !== digest) continue;
      const type = manifest.artifactType ?? manifest.config?.mediaType;
      if (artifactType && type !== artifactType) continue;
      const d: Descriptor = { mediaType: entry.mediaType, digest: entry.digest, size: entry.size };
      if (type) d.artifactType = type;
      if (manifest.annotations) d.annotations = manifest.annotations;
      out.push(d);
    }
    return out;
  }

  async deleteManifest(digest: string): Promise<void> {
    let found = false;
    await this.updateIndex((index) => {
      const before = index.manifests.length;
      index.manifests = index.manifests.filter((m) => m.digest !== digest);
      found = index.manifests.length !== before;
    });
    if (!found && !(await this.hasBlob(digest))) {
      throw new OciError("MANIFEST_UNKNOWN", `${digest} not found in ${this.root}`, { status: 404 });
    }
    await rm(this.blobPath(digest), { force: true });
  }
}

/** A file read in 1 MiB chunks (the default 64 KiB makes hashing and writing pay per chunk 16 times as often). */
function readBlobFile(path: string) {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

/** Takes a lock file (waiting up to 10 s); a lock older than 30 s is taken as left by a crashed process. */
async function acquireLock(path: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 10_000;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      const handle = await open(path, "wx");
      await handle.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 30_000) await rm(path, { force: true });
    else if (Date.now() > deadline) {
      throw new OciError("ABORTED", `${path} is held by another process; remove it if no wasm-compose is running`);
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}
