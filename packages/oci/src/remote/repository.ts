// A repository on a remote registry: manifests, blobs (streamed and verified), uploads, tags, referrers, deletes.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { AuthClient } from "../auth/client.js";
import { type Action, repositoryScope } from "../auth/scope.js";
import { takeBulkBody } from "../bulk.js";
import {
  type BlobSource,
  type Descriptor,
  descriptorSize,
  type FetchedManifest,
  type ImageIndex,
  MEDIA_TYPES,
  parseJson,
  type Store,
  type TransferOptions,
} from "../content.js";
import { assertDigest, computeDigest, isDigest, splitDigest, Verifier } from "../digest.js";
import { errorFromResponse, OciError } from "../errors.js";
import { type ByteSource, releaseSource, VerifiedFiles } from "../fs-atomic.js";
import { discardBody, type HttpResponse } from "../http.js";
import { isValidRegistry, isValidRepository, isValidTag, registryBaseUrl, type TransportPolicy } from "../reference.js";
import { isNetworkError } from "../retry.js";
import { takeNodeBody } from "../transport.js";
import { nextLink } from "./link.js";
import {
  DEFAULT_MAX_MANIFEST_BYTES,
  MANIFEST_ACCEPT,
  manifestMediaType,
  readCapped,
  verifyManifestDigest,
} from "./manifest.js";

/** Options of a remote repository. */
export interface RemoteRepositoryOptions {
  transport?: TransportPolicy;
  /** Largest manifest accepted, in bytes (default 4 MiB). */
  maxManifestBytes?: number;
  /** Blobs larger than this are uploaded in chunks of this size; 0 or undefined means always monolithic. */
  chunkSize?: number;
  /** Largest blob downloaded, in bytes (default 2 GiB): a manifest cannot make us fill the disk. */
  maxBlobBytes?: number;
  /**
   * Attempts in a row that bring no new byte before a blob download whose connection drops gives
   * up (default 3). An attempt that brings bytes resets the count (the download goes on from there
   * with a Range request), up to four times this many attempts in all.
   */
  blobAttempts?: number;
  /**
   * Blobs of at least this many bytes are downloaded to files on a connection of their own, read
   * in large slices (default 256 KiB); smaller ones share the keep-alive connections.
   */
  bulkMinBytes?: number;
}

const DEFAULT_BULK_MIN_BYTES = 256 * 1024;

/** How long the DELETE of a failed or aborted upload session may take (best effort). */
const CLEANUP_TIMEOUT_MS = 2000;

/** Extra options of a blob push. */
export interface PushBlobOptions extends TransferOptions {
  /** A repository on the same registry that may hold the blob: a cross-repository mount is tried first. */
  mountFrom?: string;
}

/** One repository on a registry, speaking the OCI distribution API. */
export class RemoteRepository implements Store {
  readonly registry: string;
  readonly repository: string;
  private readonly client: AuthClient;
  private readonly options: RemoteRepositoryOptions;
  private readonly base: string;

  constructor(registry: string, repository: string, client: AuthClient, options: RemoteRepositoryOptions = {}) {
    if (!isValidRepository(repository)) {
      throw new OciError("INVALID_REFERENCE", `invalid repository name ${JSON.stringify(repository)}`);
    }
    // The registry becomes the URL's host: a path in it (`host/../x`) would be a request elsewhere.
    if (!isValidRegistry(registry)) {
      throw new OciError("INVALID_REFERENCE", `invalid registry ${JSON.stringify(registry.slice(0, 300))}`);
    }
    this.registry = registry;
    this.repository = repository;
    this.client = client;
    this.options = { ...options, transport: options.transport ?? client.options.transport ?? {} };
    this.base = registryBaseUrl(registry, this.options.transport);
  }

  private url(path: string): string {
    return `${this.base}/v2/${this.repository}/${path}`;
  }

  private send(
    url: string | URL,
    actions: Action[],
    init: Omit<Parameters<AuthClient["send"]>[1], "registry" | "scopes"> & { extraScopes?: string[] } = {},
  ) {
    const { extraScopes, ...rest } = init;
    return this.client.send(url, {
      registry: this.registry,
      scopes: [repositoryScope(this.repository, actions), ...(extraScopes ?? [])],
      ...rest,
    });
  }

  private checkReference(reference: string): void {
    if (!isDigest(reference) && !isValidTag(reference)) {
      throw new OciError("INVALID_REFERENCE", `${JSON.stringify(reference)} is neither a tag nor a digest`);
    }
  }

  async resolve(reference: string): Promise<Descriptor> {
    this.checkReference(reference);
    const res = await this.send(this.url(`manifests/${reference}`), ["pull"], {
      method: "HEAD",
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (res.status === 404)
      throw new OciError("MANIFEST_UNKNOWN", `${this.describe(reference)} not found`, { status: 404 });
    if (!res.ok) throw await errorFromResponse(res, `resolving ${this.describe(reference)}`);
    const digest = res.headers.get("docker-content-digest");
    const size = Number(res.headers.get("content-length") ?? Number.NaN);
    const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    if (digest && isDigest(digest) && Number.isFinite(size) && mediaType) {
      if (isDigest(reference) && digest !== reference) {
        throw new OciError("DIGEST_MISMATCH", `registry answered ${digest} for ${reference}`);
      }
      return { mediaType, digest, size };
    }
    // Some registries omit the digest on HEAD: fetch and compute it.
    return (await this.fetchManifest(reference)).descriptor;
  }

  async fetchManifest(reference: string): Promise<FetchedManifest> {
    this.checkReference(reference);
    const res = await this.send(this.url(`manifests/${reference}`), ["pull"], {
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (!res.ok) {
      const err = await errorFromResponse(res, `fetching manifest ${this.describe(reference)}`);
      if (res.status === 404 && err.code === "NOT_FOUND") {
        throw new OciError("MANIFEST_UNKNOWN", `${this.describe(reference)} not found`, { status: 404 });
      }
      throw err;
    }
    const cap = this.options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
    const bytes = await readCapped(res, cap, `manifest ${this.describe(reference)}`);
    const mediaType = manifestMediaType(res.headers.get("content-type"), bytes);
    const digest = verifyManifestDigest(bytes, reference, res.headers.get("docker-content-digest"));
    return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
  }

  /**
   * GETs a blob, from byte `from` on when it is above 0 (a Range request: a 206 then, though a
   * registry may send the whole blob, or answer 416). Other statuses become errors.
   */
  private async getBlob(descriptor: Descriptor, signal?: AbortSignal, bulk = false, from = 0): Promise<HttpResponse> {
    assertDigest(descriptor.digest);
    const res = await this.send(this.url(`blobs/${descriptor.digest}`), ["pull"], {
      ...(from > 0 ? { headers: { range: `bytes=${from}-` } } : {}),
      ...(signal ? { signal } : {}),
      ...(bulk ? { bulk } : {}),
    });
    if (res.status === 404) {
      await discardBody(res);
      throw new OciError("BLOB_UNKNOWN", `blob ${descriptor.digest} not found in ${this.registry}/${this.repository}`, {
        status: 404,
      });
    }
    if (from > 0 && (res.status === 206 || res.status === 416)) return res;
    if (!res.ok) throw await errorFromResponse(res, `fetching blob ${descriptor.digest}`);
    const length = Number(res.headers.get("content-length") ?? Number.NaN);
    if ((from === 0 || res.status !== 206) && Number.isFinite(length) && length !== descriptor.size) {
      await discardBody(res);
      throw new OciError(
        "SIZE_MISMATCH",
        `blob ${descriptor.digest}: expected ${descriptor.size} bytes, registry sends ${length}`,
      );
    }
    return res;
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Uint8Array> {
    const cap = this.options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
    if (descriptorSize(descriptor) > cap) {
      throw new OciError("MANIFEST_TOO_LARGE", `blob ${descriptor.digest} is too large to read into memory`);
    }
    return this.withBlobRetry(async () => {
      const res = await this.getBlob(descriptor, options.signal);
      const bytes = await readCapped(res, descriptor.size, `blob ${descriptor.digest}`, "SIZE_MISMATCH");
      const v = new Verifier(descriptor.digest, descriptor.size);
      v.update(bytes);
      v.check();
      options.onProgress?.({ digest: descriptor.digest, done: bytes.byteLength, total: descriptor.size });
      return bytes;
    }, options.signal);
  }

  async fetchBlobToFile(
    descriptor: Descriptor,
    path: string | readonly string[],
    options: TransferOptions = {},
  ): Promise<void> {
    const max = this.options.maxBlobBytes ?? 2 * 1024 ** 3;
    if (descriptorSize(descriptor) > max) {
      throw new OciError(
        "BLOB_TOO_LARGE",
        `blob ${descriptor.digest} is ${descriptor.size} bytes, more than the ${max} byte limit`,
      );
    }
    const bulk = descriptor.size >= (this.options.bulkMinBytes ?? DEFAULT_BULK_MIN_BYTES);
    const request = (from: number) => this.getBlobFrom(descriptor, from, options.signal, bulk);
    // The files are opened while the first request is on its way. It may fail (an abort, a dropped
    // connection) before it is awaited below: marked as handled now, so that is no unhandled
    // rejection; the await still sees the error.
    let pending: Promise<BlobBody> | undefined = request(0);
    pending.catch(() => {});
    let files: VerifiedFiles;
    try {
      files = await VerifiedFiles.open(descriptor, path, options.onProgress);
    } catch (err) {
      pending.then(
        (body) => releaseSource(body.source),
        () => {},
      );
      throw err;
    }
    try {
      const attempts = this.options.blobAttempts ?? 3;
      let fruitless = 0;
      for (let attempt = 1; ; attempt++) {
        const before = files.size;
        // Every byte came before the connection broke: nothing is left to ask for.
        if (before > 0 && before === descriptor.size) break;
        try {
          const body = await (pending ?? request(files.size));
          pending = undefined;
          // A registry that ignores the Range header sends the whole blob again.
          if (body.from === 0 && files.size > 0) await files.restart();
          await files.append(body.source);
          break;
        } catch (err) {
          pending = undefined;
          // A cancelled download also ends in a closed connection: that is not a reason to try again.
          options.signal?.throwIfAborted();
          fruitless = files.size > before ? 0 : fruitless + 1;
          if (!isNetworkError(err) || fruitless >= attempts || attempt >= attempts * 4) throw networkError(err);
        }
      }
      await files.commit();
    } catch (err) {
      await files.abort();
      throw err;
    }
  }

  /**
   * The blob's bytes from offset `from` on (a Range request), or all of them when the registry
   * sends the whole blob instead (`from` is then 0).
   */
  private async getBlobFrom(
    descriptor: Descriptor,
    from: number,
    signal: AbortSignal | undefined,
    bulk: boolean,
  ): Promise<BlobBody> {
    const res = await this.getBlob(descriptor, signal, bulk, from);
    if (from > 0 && res.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get("content-range") ?? "");
      const length = Number(res.headers.get("content-length") ?? Number.NaN);
      const fits =
        range !== null &&
        Number(range[1]) === from &&
        Number(range[2]) === descriptor.size - 1 &&
        (range[3] === "*" || Number(range[3]) === descriptor.size) &&
        (!Number.isFinite(length) || length === descriptor.size - from);
      if (fits) return { from, source: blobSource(res, descriptor) };
    }
    if (from > 0 && res.status !== 200) {
      // Not the part asked for (another range, or 416): the whole blob is asked for again.
      await discardBody(res);
      return this.getBlobFrom(descriptor, 0, signal, bulk);
    }
    return { from: 0, source: blobSource(res, descriptor) };
  }

  /** A download whose connection drops mid-stream starts again (verified content only ever lands). */
  private async withBlobRetry<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const attempts = this.options.blobAttempts ?? 3;
    for (let i = 1; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        // A cancelled download also ends in a closed connection: that is not a reason to try again.
        signal?.throwIfAborted();
        if (i >= attempts || !isNetworkError(err)) throw networkError(err);
      }
    }
  }

  async hasBlob(digest: string, signal?: AbortSignal): Promise<boolean> {
    assertDigest(digest);
    const res = await this.send(this.url(`blobs/${digest}`), ["pull"], {
      method: "HEAD",
      ...(signal ? { signal } : {}),
    });
    if (res.status === 404) return false;
    if (res.ok) return true;
    throw await errorFromResponse(res, `checking blob ${digest}`);
  }

  async pushBlob(descriptor: Descriptor, source: BlobSource, options: PushBlobOptions = {}): Promise<void> {
    const { digest, size } = descriptor;
    assertDigest(digest);
    const done = () => options.onProgress?.({ digest, done: size, total: size });
    const signal = options.signal;
    if (await this.hasBlob(digest, signal)) return done();

    let location: string;
    if (options.mountFrom && options.mountFrom !== this.repository) {
      const url = `${this.url("blobs/uploads/")}?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(options.mountFrom)}`;
      const res = await this.send(url, ["pull", "push"], {
        method: "POST",
        extraScopes: [repositoryScope(options.mountFrom, ["pull"])],
        ...(signal ? { signal } : {}),
      });
      if (res.status === 201) {
        await discardBody(res);
        return done();
      }
      location = await this.uploadLocation(res, "starting a blob upload");
    } else {
      const res = await this.send(this.url("blobs/uploads/"), ["pull", "push"], {
        method: "POST",
        ...(signal ? { signal } : {}),
      });
      location = await this.uploadLocation(res, "starting a blob upload");
    }

    try {
      const chunk = this.options.chunkSize ?? 0;
      const final =
        chunk > 0 && size > chunk
          ? await this.uploadChunks(location, descriptor, source, chunk, options)
          : await this.uploadMonolithic(location, descriptor, source, options);
      const stored = final.headers.get("docker-content-digest");
      await discardBody(final);
      if (stored && isDigest(stored) && stored !== digest) {
        throw new OciError("DIGEST_MISMATCH", `registry stored ${stored} for blob ${digest}`);
      }
    } catch (err) {
      // Abort the session so the registry drops the partial upload: also (above all) after an
      // abort, so this request ignores the signals that stopped the upload, and waits briefly.
      await this.send(location, ["pull", "push"], {
        method: "DELETE",
        retry: false,
        detached: true,
        signal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS),
      })
        .then((r) => discardBody(r))
        .catch(() => {});
      throw err;
    }
    done();
  }

  private async uploadLocation(res: HttpResponse, what: string): Promise<string> {
    if (res.status !== 202) throw await errorFromResponse(res, what);
    await discardBody(res);
    const location = res.headers.get("location");
    if (!location) throw new OciError("BLOB_UPLOAD_INVALID", `${what}: no Location in the registry's answer`);
    return new URL(location, this.base).toString();
  }

  private async uploadMonolithic(
    location: string,
    descriptor: Descriptor,
    source: BlobSource,
    options: TransferOptions,
  ): Promise<HttpResponse> {
    const res = await this.send(withDigest(location, descriptor.digest), ["pull", "push"], {
      method: "PUT",
      headers: { "content-type": "application/octet-stream", "content-length": String(descriptor.size) },
      body: () => bodyOf(source, 0, descriptor.size, descriptor.digest, descriptor.size, options),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (res.status !== 201) throw await errorFromResponse(res, `uploading blob ${descriptor.digest}`);
    return res;
  }

  private async uploadChunks(
    location: string,
    descriptor: Descriptor,
    source: BlobSource,
    chunkSize: number,
    options: TransferOptions,
  ): Promise<HttpResponse> {
    let offset = 0;
    let current = location;
    let resyncs = 0;
    const signal = options.signal ? { signal: options.signal } : {};
    while (offset < descriptor.size) {
      const end = Math.min(offset + chunkSize, descriptor.size);
      const start = offset;
      const res = await this.send(current, ["pull", "push"], {
        method: "PATCH",
        retry: false,
        headers: {
          "content-type": "application/octet-stream",
          "content-range": `${start}-${end - 1}`,
          "content-length": String(end - start),
        },
        body: () => bodyOf(source, start, end, descriptor.digest, descriptor.size, options),
        ...signal,
      });
      if (res.status === 416 && resyncs++ < 3) {
        // The registry has a different idea of the offset: ask it and continue from there.
        await discardBody(res);
        const status = await this.send(current, ["pull", "push"], signal);
        await discardBody(status);
        const range = /^(?:bytes=)?0-(\d+)$/.exec(status.headers.get("range") ?? "");
        if (status.status !== 204 || !range) {
          throw new OciError("BLOB_UPLOAD_INVALID", `cannot resynchronise the upload of ${descriptor.digest}`);
        }
        offset = Number(range[1]) + 1;
        current = new URL(status.headers.get("location") ?? current, this.base).toString();
        continue;
      }
      if (res.status !== 202) throw await errorFromResponse(res, `uploading a chunk of ${descriptor.digest}`);
      await discardBody(res);
      const next = res.headers.get("location");
      if (next) current = new URL(next, this.base).toString();
      offset = end;
    }
    const res = await this.send(withDigest(current, descriptor.digest), ["pull", "push"], {
      method: "PUT",
      headers: { "content-length": "0" },
      ...signal,
    });
    if (res.status !== 201) throw await errorFromResponse(res, `finishing the upload of ${descriptor.digest}`);
    return res;
  }

  async pushManifest(bytes: Uint8Array, mediaType: string, tags: readonly string[] = []): Promise<Descriptor> {
    const digest = computeDigest(bytes);
    const descriptor: Descriptor = { mediaType, digest, size: bytes.byteLength };
    const references = tags.length ? tags : [digest];
    let subjectHandled = false;
    for (const reference of references) {
      this.checkReference(reference);
      const res = await this.send(this.url(`manifests/${reference}`), ["pull", "push"], {
        method: "PUT",
        headers: { "content-type": mediaType },
        body: () => bytes,
      });
      if (res.status !== 201) throw await errorFromResponse(res, `pushing manifest ${this.describe(reference)}`);
      await discardBody(res);
      const stored = res.headers.get("docker-content-digest");
      if (stored && isDigest(stored) && stored !== digest) {
        throw new OciError("DIGEST_MISMATCH", `registry stored ${stored} for manifest ${digest}`);
      }
      subjectHandled ||= res.headers.has("oci-subject");
    }
    const parsed = parseJson<{
      subject?: Descriptor;
      artifactType?: string;
      config?: Descriptor;
      annotations?: Record<string, string>;
    }>(bytes, "manifest");
    if (parsed.subject && !subjectHandled) await this.addToReferrersTag(parsed.subject.digest, descriptor, parsed);
    return descriptor;
  }

  /** Referrers fallback for registries without the API: an index tagged `sha256-<hex>` lists the referrers. */
  private async addToReferrersTag(
    subject: string,
    descriptor: Descriptor,
    manifest: { artifactType?: string; config?: Descriptor; annotations?: Record<string, string> },
  ): Promise<void> {
    const tag = referrersTag(subject);
    let index: ImageIndex = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] };
    try {
      index = parseJson<ImageIndex>((await this.fetchManifest(tag)).bytes, "referrers index");
    } catch (err) {
      if (!(err instanceof OciError && (err.code === "MANIFEST_UNKNOWN" || err.status === 404))) throw err;
    }
    if (index.manifests.some((m) => m.digest === descriptor.digest)) return;
    const entry: Descriptor = { ...descriptor };
    const artifactType = manifest.artifactType ?? manifest.config?.mediaType;
    if (artifactType) entry.artifactType = artifactType;
    if (manifest.annotations) entry.annotations = manifest.annotations;
    index.manifests.push(entry);
    await this.pushManifest(Buffer.from(JSON.stringify(index)), MEDIA_TYPES.ociIndex, [tag]);
  }

  async listTags(): Promise<string[]> {
    const tags: string[] = [];
    let url: URL | undefined = new URL(this.url("tags/list"));
    url.searchParams.set("n", "1000");
    for (let pages = 0; url && pages < 1000; pages++) {
      const res: HttpResponse = await this.send(url, ["pull"]);
      if (res.status === 404) {
        const err = await errorFromResponse(res, "listing tags");
        if (err.code === "NAME_UNKNOWN" || err.code === "NOT_FOUND") return tags;
        throw err;
      }
      if (!res.ok) throw await errorFromResponse(res, `listing tags of ${this.registry}/${this.repository}`);
      const body = (await res.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      url = nextLink(res.headers.get("link"), url);
    }
    return tags;
  }

  async referrers(digest: string, artifactType?: string): Promise<Descriptor[]> {
    assertDigest(digest);
    const url = new URL(this.url(`referrers/${digest}`));
    if (artifactType) url.searchParams.set("artifactType", artifactType);
    const res = await this.send(url, ["pull"], { headers: { accept: MEDIA_TYPES.ociIndex } });
    let manifests: Descriptor[];
    let filtered = false;
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
    if (res.ok && type === MEDIA_TYPES.ociIndex) {
      manifests = [];
      let page: HttpResponse | undefined = res;
      let pageUrl: URL | undefined = url;
      while (page && pageUrl) {
        const body = (await page.json()) as ImageIndex;
        manifests.push(...(body.manifests ?? []));
        filtered = filtered || (page.headers.get("oci-filters-applied") ?? "").split(",").includes("artifactType");
        pageUrl = nextLink(page.headers.get("link"), pageUrl);
        page = pageUrl ? await this.send(pageUrl, ["pull"], { headers: { accept: MEDIA_TYPES.ociIndex } }) : undefined;
        if (page && !page.ok) throw await errorFromResponse(page, "listing referrers");
      }
    } else if (
      res.status === 404 ||
      res.status === 400 ||
      res.status === 405 ||
      (res.ok && type !== MEDIA_TYPES.ociIndex)
    ) {
      // No referrers API (distribution 2.8 answers a plain-text 404): read the fallback tag.
      await discardBody(res);
      try {
        const fetched = await this.fetchManifest(referrersTag(digest));
        manifests = parseJson<ImageIndex>(fetched.bytes, "referrers index").manifests ?? [];
      } catch (err) {
        if (err instanceof OciError && (err.code === "MANIFEST_UNKNOWN" || err.status === 404)) return [];
        throw err;
      }
    } else {
      throw await errorFromResponse(res, `listing referrers of ${digest}`);
    }
    return artifactType && !filtered ? manifests.filter((m) => m.artifactType === artifactType) : manifests;
  }

  async deleteManifest(digest: string): Promise<void> {
    assertDigest(digest);
    const res = await this.send(this.url(`manifests/${digest}`), ["delete"], { method: "DELETE" });
    if (res.status !== 202 && res.status !== 200) throw await errorFromResponse(res, `deleting manifest ${digest}`);
    await discardBody(res);
  }

  /** Deletes a blob by digest (registries may refuse). */
  async deleteBlob(digest: string): Promise<void> {
    assertDigest(digest);
    const res = await this.send(this.url(`blobs/${digest}`), ["delete"], { method: "DELETE" });
    if (res.status !== 202 && res.status !== 200) throw await errorFromResponse(res, `deleting blob ${digest}`);
    await discardBody(res);
  }

  private describe(reference: string): string {
    return `${this.registry}/${this.repository}${isDigest(reference) ? "@" : ":"}${reference}`;
  }
}

/** The fallback tag listing the referrers of a digest: `sha256-<hex>`. */
export function referrersTag(digest: string): string {
  const { algorithm, hex } = splitDigest(digest);
  return `${algorithm}-${hex}`.slice(0, 128);
}

/** Adds `digest=` to an upload Location, with `&` when it already carries a query. */
export function withDigest(location: string, digest: string): string {
  return `${location}${location.includes("?") ? "&" : "?"}digest=${encodeURIComponent(digest)}`;
}

function bodyOf(
  source: BlobSource,
  start: number,
  end: number,
  digest: string,
  total: number,
  options: TransferOptions,
): NonNullable<RequestInit["body"]> {
  if (source instanceof Uint8Array) {
    options.onProgress?.({ digest, done: end, total });
    return source.subarray(start, end);
  }
  if (end <= start) return new Uint8Array();
  let done = start;
  const counted = Readable.from(
    (async function* () {
      for await (const chunk of createReadStream(source.path, { start, end: end - 1, highWaterMark: 1 << 20 })) {
        done += (chunk as Buffer).byteLength;
        options.onProgress?.({ digest, done, total });
        yield chunk as Buffer;
      }
    })(),
  );
  return Readable.toWeb(counted) as unknown as ReadableStream<Uint8Array>;
}

/** Blob bytes from offset `from` on. */
interface BlobBody {
  from: number;
  source: ByteSource;
}

/** The fastest way to read a response's body (see bulk.ts and transport.ts). */
function blobSource(res: HttpResponse, descriptor: Descriptor): ByteSource {
  const source = takeBulkBody(res) ?? takeNodeBody(res) ?? res.body;
  if (!source) throw new OciError("SIZE_MISMATCH", `blob ${descriptor.digest}: empty response`);
  return source;
}

/** A lost connection as an OciError (other errors as they are). */
function networkError(err: unknown): unknown {
  if (isNetworkError(err) && !(err instanceof OciError)) {
    return new OciError("NETWORK_ERROR", `connection lost while downloading: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return err;
}
