// The content model shared by remote repositories and local layouts: descriptors, manifests, the Store interface.
import { OciError } from "./errors.js";

export const MEDIA_TYPES = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociEmpty: "application/vnd.oci.empty.v1+json",
} as const;

/** Every manifest type a pull accepts, in the order offered. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
];

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
  urls?: string[];
}

/** An OCI image manifest. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** Bytes done and total for one blob, as a transfer goes. */
export interface ProgressEvent {
  digest: string;
  done: number;
  total: number;
}

/** Options for moving content. */
export interface TransferOptions {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** Blob content to push: bytes in memory, or a file streamed from disk. */
export type BlobSource = Uint8Array | { path: string };

/** A fetched manifest: its descriptor (digest verified) and its bytes. */
export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/**
 * One repository's content, remote or on disk: the same calls serve a registry and an OCI image
 * layout (the local default store and the cache).
 */
export interface Store {
  /** The manifest descriptor a tag or digest points at. */
  resolve(reference: string): Promise<Descriptor>;
  /** A manifest by tag or digest; the digest is verified. */
  fetchManifest(reference: string): Promise<FetchedManifest>;
  /** A small blob (a config) in memory, verified. */
  fetchBlob(descriptor: Descriptor, options?: TransferOptions): Promise<Uint8Array>;
  /**
   * A blob written to `path` atomically, verified while it streams; nothing is left on failure.
   * Several paths get the same bytes in one pass (the cache and the caller's file).
   */
  fetchBlobToFile(descriptor: Descriptor, path: string | readonly string[], options?: TransferOptions): Promise<void>;
  hasBlob(digest: string): Promise<boolean>;
  /** Pushes a blob unless it is already there. */
  pushBlob(descriptor: Descriptor, source: BlobSource, options?: TransferOptions): Promise<void>;
  /** Pushes a manifest under each tag (or by digest only when there are none); returns its descriptor. */
  pushManifest(bytes: Uint8Array, mediaType: string, tags?: readonly string[]): Promise<Descriptor>;
  /** All tags, in the store's order (unsorted on most registries). */
  listTags(): Promise<string[]>;
  /** Manifests whose subject is `digest`, optionally only of one artifact type. */
  referrers(digest: string, artifactType?: string): Promise<Descriptor[]>;
  /** Deletes a manifest by digest. */
  deleteManifest(digest: string): Promise<void>;
  /**
   * Waits for writes the store still makes in the background (a cache filling while the next
   * requests go out); rejects with the first of them that failed.
   */
  settle?(): Promise<void>;
}

/** Parses manifest bytes as JSON, with a clear error. */
export function parseJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as T;
  } catch {
    throw new OciError("MANIFEST_INVALID", `${what} is not valid JSON`);
  }
}

/**
 * The descriptor's size, checked: the spec requires it, and it bounds every read of the content,
 * so a manifest that leaves it out (or gives a non-number) cannot make a read unbounded.
 */
export function descriptorSize(descriptor: Pick<Descriptor, "digest" | "size">): number {
  const { size } = descriptor;
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new OciError(
      "MANIFEST_INVALID",
      `descriptor of ${String(descriptor.digest).slice(0, 80)} has no valid size (${JSON.stringify(size)?.slice(0, 40) ?? "none"})`,
    );
  }
  return size;
}
