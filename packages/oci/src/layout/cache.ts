// The content-addressed cache: one OCI layout per registry/repository; only verified content enters; offline mode.
import { copyFile, link, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { BlobSource, Descriptor, FetchedManifest, Store, TransferOptions } from "../content.js";
import { isDigest } from "../digest.js";
import { OciError } from "../errors.js";
import { inFolder, tempPathFor, verifyFile } from "../fs-atomic.js";
import { sortTags } from "../packages.js";
import { isValidRegistry, isValidRepository } from "../reference.js";
import { isNetworkError } from "../retry.js";
import { OciLayout } from "./oci-layout.js";

/**
 * A folder holding cached content, `<root>/<registry>/<repository>/` each an OCI image layout.
 * A repository's folder is one name, its `/` written as `+` (which no repository name holds): nested
 * folders would let repository `a/index.json` land on the index.json of repository `a`. (Caches
 * of the earlier nested shape are not read; a miss just fetches again, and `clean` removes them.)
 */
export class ContentCache {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  /** The layout caching one repository; `:` of a port becomes `_` so the folder name is portable. */
  layout(registry: string, repository: string): OciLayout {
    // Both come from references and registry data: checked here too, as they become path segments.
    if (!isValidRegistry(registry) || !isValidRepository(repository)) {
      throw new OciError(
        "INVALID_REFERENCE",
        `cannot cache ${JSON.stringify(`${registry}/${repository}`.slice(0, 300))}: not a registry and repository`,
      );
    }
    return new OciLayout(join(this.root, registry.replace(/[:[\]]/g, "_"), repository.replaceAll("/", "+")));
  }

  /** Every cached repository (its path shown as `<registry>/<repository>`) with its tags and size on disk. */
  async list(): Promise<{ path: string; tags: string[]; bytes: number }[]> {
    const out: { path: string; tags: string[]; bytes: number }[] = [];
    for (const registry of await folders(this.root)) {
      for (const name of await folders(join(this.root, registry))) {
        const layout = new OciLayout(join(this.root, registry, name));
        // Not a layout (the discovery folder, the earlier nested shape), or an empty one (left by a
        // failed pull of an earlier version): not listed.
        if (!(await exists(join(layout.root, "oci-layout"))) || (await isEmpty(layout))) continue;
        out.push({
          // As a reference names it: the port's `_` back to `:`, the repository's `+` back to `/`.
          path: `${registry.replace(/_(\d+)$/, ":$1")}/${name.replaceAll("+", "/")}`,
          tags: sortTags(await completeTags(layout)),
          bytes: await folderSize(layout.root),
        });
      }
    }
    return out;
  }

  /** Removes everything cached. */
  async clean(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** The names of the folders in `dir` (none when it is missing). */
async function folders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Whether a layout holds no manifest and no blob. */
async function isEmpty(layout: OciLayout): Promise<boolean> {
  if ((await layout.readIndex()).manifests.length > 0) return false;
  const blobs = await readdir(join(layout.root, "blobs", "sha256")).catch(() => []);
  return blobs.length === 0;
}

/**
 * The tags whose manifest and every blob it names are in the layout. A cache written by an
 * earlier version may tag a manifest whose layer never arrived (an interrupted pull): such a tag
 * is not content the cache can serve, so it is not listed.
 */
async function completeTags(layout: OciLayout): Promise<string[]> {
  const tags: string[] = [];
  for (const tag of await layout.listTags()) {
    try {
      const { bytes } = await layout.fetchManifest(tag);
      const present = await Promise.all(blobsOf(bytes).map((digest) => layout.hasBlob(digest)));
      if (present.every(Boolean)) tags.push(tag);
    } catch {
      // A manifest missing or damaged: nothing to serve under that tag either.
    }
  }
  return tags;
}

/** The digests a manifest needs in the same repository: an image's config and layers, an index's manifests. */
function blobsOf(bytes: Uint8Array): string[] {
  let parsed: { config?: { digest?: unknown }; layers?: { digest?: unknown }[]; manifests?: { digest?: unknown }[] };
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null) return [];
  const named = [parsed.config, ...(Array.isArray(parsed.layers) ? parsed.layers : [])];
  if (Array.isArray(parsed.manifests)) named.push(...parsed.manifests);
  return named.flatMap((d) => (typeof d?.digest === "string" && isDigest(d.digest) ? [d.digest] : []));
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await folderSize(p) : (await stat(p)).size;
  }
  return total;
}

function isCorrupt(err: unknown): boolean {
  return err instanceof OciError && (err.code === "DIGEST_MISMATCH" || err.code === "SIZE_MISMATCH");
}

function offline(what: string): OciError {
  return new OciError("OFFLINE", `${what} is not in the local cache and offline mode is on`);
}

/**
 * A remote store with a cache in front. Content fetched by digest is served from the cache when
 * present (a pull of a locked digest makes no request at all); fetched content is verified before
 * it is cached. Offline, tags resolve from the cache and nothing touches the network.
 */
export class CachedStore implements Store {
  /** Cache writes still going on: a fetched manifest is cached while its blobs are requested. */
  private pending: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;
  /**
   * Fetched manifests not cached yet: each enters the cache (and its tag the index) only once
   * every blob it names is there, so an interrupted pull leaves no tag the cache cannot serve.
   */
  private waiting: { bytes: Uint8Array; mediaType: string; tags: string[]; blobs: string[] }[] = [];

  constructor(
    readonly remote: Store,
    readonly cache: OciLayout,
    /** `link`: put downloaded files in place as hard links to the cache file (see `linkFromCache`). */
    readonly options: { offline?: boolean; link?: boolean; onFallback?: (message: string) => void } = {},
  ) {}

  /**
   * What the registry answers, or, when it cannot be reached (a network error or timeout, after
   * the retries), what the cache holds for the same question: pulling what was pulled before
   * keeps working with the registry down. The registry's error stands when the cache has nothing.
   */
  private async orCached<T>(what: string, remote: () => Promise<T>, cached: () => Promise<T | undefined>): Promise<T> {
    try {
      return await remote();
    } catch (err) {
      if (!isNetworkError(err)) throw err;
      const value = await cached().catch(() => undefined);
      if (value === undefined) throw err;
      this.options.onFallback?.(
        `the registry could not be reached (${(err as Error).message}); using the cached ${what}`,
      );
      return value;
    }
  }

  private get offline(): boolean {
    return this.options.offline === true;
  }

  async resolve(reference: string): Promise<Descriptor> {
    if (isDigest(reference) || this.offline) {
      try {
        return await this.cache.resolve(reference);
      } catch (err) {
        if (this.offline) throw offline(reference);
        if (!(err instanceof OciError)) throw err;
      }
    }
    return this.orCached(
      `manifest ${reference}`,
      () => this.remote.resolve(reference),
      () => this.cache.resolve(reference),
    );
  }

  async fetchManifest(reference: string): Promise<FetchedManifest> {
    if (isDigest(reference) || this.offline) {
      try {
        return await this.cache.fetchManifest(reference);
      } catch (err) {
        if (isDigest(reference)) await this.evictIfCorrupt(err, reference);
        if (this.offline) throw isCorrupt(err) ? err : offline(`manifest ${reference}`);
        if (!(err instanceof OciError)) throw err;
      }
    }
    // The manifest is cached (and the cache folder made, only now: a failed pull leaves no empty
    // repository behind) once its blobs are, while the caller goes on to them (`settle` waits).
    let fromCache = false;
    const fetched = await this.orCached(
      `manifest ${reference}`,
      () => this.remote.fetchManifest(reference),
      async () => {
        const cached = await this.cache.fetchManifest(reference);
        fromCache = true;
        return cached;
      },
    );
    if (fromCache) return fetched;
    this.waiting.push({
      bytes: fetched.bytes,
      mediaType: fetched.descriptor.mediaType,
      tags: isDigest(reference) ? [] : [reference],
      blobs: blobsOf(fetched.bytes),
    });
    this.inBackground(this.cacheCompleteManifests());
    return fetched;
  }

  /** Caches the waiting manifests whose blobs are all in the cache now. */
  private async cacheCompleteManifests(): Promise<void> {
    for (const entry of [...this.waiting]) {
      const present = await Promise.all(entry.blobs.map((digest) => this.cache.hasBlob(digest)));
      const at = this.waiting.indexOf(entry);
      if (!present.every(Boolean) || at < 0) continue;
      this.waiting.splice(at, 1);
      await this.cache.pushManifest(entry.bytes, entry.mediaType, entry.tags);
    }
  }

  async settle(): Promise<void> {
    while (this.pending.length) {
      const pending = this.pending;
      this.pending = [];
      await Promise.all(pending);
    }
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
  }

  private inBackground(work: Promise<unknown>): void {
    this.pending.push(
      work.then(
        () => {},
        (error: unknown) => {
          this.failure ??= { error };
        },
      ),
    );
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Uint8Array> {
    const bytes = await this.fetchBlobCached(descriptor, options);
    if (this.waiting.length) this.inBackground(this.cacheCompleteManifests());
    return bytes;
  }

  private async fetchBlobCached(descriptor: Descriptor, options: TransferOptions): Promise<Uint8Array> {
    if (await this.cache.hasBlob(descriptor.digest)) {
      try {
        return await this.cache.fetchBlob(descriptor, options);
      } catch (err) {
        await this.evictIfCorrupt(err, descriptor.digest);
        if (this.offline || !isCorrupt(err)) throw err;
      }
    }
    if (this.offline) throw offline(`blob ${descriptor.digest}`);
    const bytes = await this.remote.fetchBlob(descriptor, options);
    await this.cache.pushBlob(descriptor, bytes);
    return bytes;
  }

  async fetchBlobToFile(
    descriptor: Descriptor,
    path: string | readonly string[],
    options: TransferOptions = {},
  ): Promise<void> {
    await this.fetchBlobToFileCached(descriptor, path, options);
    if (this.waiting.length) this.inBackground(this.cacheCompleteManifests());
  }

  private async fetchBlobToFileCached(
    descriptor: Descriptor,
    path: string | readonly string[],
    options: TransferOptions,
  ): Promise<void> {
    const targets = typeof path === "string" ? [path] : path;
    if (await this.cache.hasBlob(descriptor.digest)) {
      try {
        if (!this.options.link) return await this.cache.fetchBlobToFile(descriptor, path, options);
        // Linked, then the link is read and verified before it goes in place: the bytes checked are the file's.
        const blobPath = this.cache.blobPath(descriptor.digest);
        await Promise.all(targets.map((target) => linkOrCopy(blobPath, target, (tmp) => verifyFile(tmp, descriptor))));
        options.onProgress?.({ digest: descriptor.digest, done: descriptor.size, total: descriptor.size });
        return;
      } catch (err) {
        await this.evictIfCorrupt(err, descriptor.digest);
        if (this.offline || !isCorrupt(err)) throw err;
      }
    }
    if (this.offline) throw offline(`blob ${descriptor.digest}`);
    if (!this.options.link) {
      // One download fills the cache and the caller's files (each verified, each atomic).
      await this.cache.writeBlob(descriptor, (blobPath) =>
        this.remote.fetchBlobToFile(descriptor, [blobPath, ...targets], options),
      );
      return;
    }
    // The download fills the cache (verified, atomic); the caller's files are hard links to that
    // file, so the bytes are written once and stored once. Where a link cannot be made (another
    // file system) they are copies. Reading the cache verifies it again, so a linked file edited
    // in place cannot pass itself off as the blob later.
    await this.cache.writeBlob(descriptor, (to) => this.remote.fetchBlobToFile(descriptor, to, options));
    const blobPath = this.cache.blobPath(descriptor.digest);
    await Promise.all(targets.map((target) => linkOrCopy(blobPath, target)));
  }

  /** A cached file that fails verification (disk damage, someone editing it) is removed, to be fetched again. */
  private async evictIfCorrupt(err: unknown, digest: string): Promise<void> {
    if (isCorrupt(err)) await rm(this.cache.blobPath(digest), { force: true });
  }

  async hasBlob(digest: string): Promise<boolean> {
    if (await this.cache.hasBlob(digest)) return true;
    if (this.offline) return false;
    return this.remote.hasBlob(digest);
  }

  private online(what: string): void {
    if (this.offline) throw new OciError("OFFLINE", `${what} needs the network and offline mode is on`);
  }

  async pushBlob(descriptor: Descriptor, source: BlobSource, options?: TransferOptions): Promise<void> {
    this.online("pushing");
    await this.remote.pushBlob(descriptor, source, options);
  }

  async pushManifest(bytes: Uint8Array, mediaType: string, tags?: readonly string[]): Promise<Descriptor> {
    this.online("pushing");
    return this.remote.pushManifest(bytes, mediaType, tags);
  }

  async listTags(): Promise<string[]> {
    if (this.offline) return this.cache.listTags();
    return this.orCached(
      "tags",
      () => this.remote.listTags(),
      async () => {
        const tags = await this.cache.listTags();
        return tags.length > 0 ? tags : undefined;
      },
    );
  }

  async referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    if (this.offline) return this.cache.referrers(digest, artifactType);
    return this.remote.referrers(digest, artifactType);
  }

  async deleteManifest(digest: string): Promise<void> {
    this.online("deleting");
    await this.remote.deleteManifest(digest);
  }
}

/**
 * Puts `target` in place as a hard link to `source` (a copy where linking fails), atomically;
 * `check` may look at the new file before it goes in place.
 */
export async function linkOrCopy(
  source: string,
  target: string,
  check?: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    try {
      await inFolder(tmp, () => link(source, tmp));
    } catch {
      await copyFile(source, tmp);
    }
    await check?.(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
