// The Wasm OCI artifact layout (as wkg publishes): image manifest, wasm config, one application/wasm layer.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { anySignal, scopeSignal, withAbortSignal } from "./abort-scope.js";
import {
  type BlobSource,
  type Descriptor,
  type ImageManifest,
  MEDIA_TYPES,
  parseJson,
  type Store,
  type TransferOptions,
} from "./content.js";
import { sha256 } from "./digest.js";
import { OciError } from "./errors.js";
import { tempPathFor } from "./fs-atomic.js";
import { outputPath } from "./output-path.js";

export const WASM_CONFIG_MEDIA_TYPE = "application/vnd.wasm.config.v0+json";
export const WASM_LAYER_MEDIA_TYPE = "application/wasm";

/** What a component imports and exports, supplied by the caller (this package does not read components). */
export interface WasmComponentMetadata {
  /** Exported interface/function names, e.g. `wasi:http/incoming-handler@0.2.0`. */
  exports: string[];
  /** Imported interface names. */
  imports: string[];
  /** The world it targets (`ns:pkg/world@version`), when known. */
  target?: string | null;
}

/** The `application/vnd.wasm.config.v0+json` config blob. */
export interface WasmConfig {
  created?: string;
  author?: string | null;
  architecture: "wasm";
  os: string;
  layerDigests: string[];
  component?: WasmComponentMetadata;
}

/** Options of {@link buildWasmArtifact} and {@link publishWasm}. */
export interface WasmArtifactOptions {
  /** Imports and exports of the component (or the WIT package's interfaces). */
  component?: WasmComponentMetadata;
  author?: string;
  /** RFC 3339 time; default now. Set it for reproducible digests. */
  created?: string;
  /** `os` of the config; default `wasip2`. */
  os?: string;
  /** Manifest annotations, typically `org.opencontainers.image.*` (title, description, version, licenses, source...). */
  annotations?: Record<string, string>;
}

/** An artifact ready to push: the config and manifest bytes with their descriptors. */
export interface WasmArtifact {
  config: WasmConfig;
  configBytes: Uint8Array;
  configDescriptor: Descriptor;
  layerDescriptor: Descriptor;
  manifest: ImageManifest;
  manifestBytes: Uint8Array;
  manifestDescriptor: Descriptor;
}

/** Digest and size of a blob source, streaming files rather than reading them whole. */
export async function describeSource(source: BlobSource): Promise<{ digest: string; size: number }> {
  if (source instanceof Uint8Array) return { digest: sha256(source), size: source.byteLength };
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(source.path)) hash.update(chunk as Buffer);
  return { digest: `sha256:${hash.digest("hex")}`, size: (await stat(source.path)).size };
}

/** Builds the manifest and config for a component or binary WIT package whose layer is already described. */
export function buildWasmArtifact(
  layer: { digest: string; size: number },
  options: WasmArtifactOptions = {},
): WasmArtifact {
  const created = options.created ?? new Date().toISOString();
  const config: WasmConfig = {
    created,
    author: options.author ?? null,
    architecture: "wasm",
    os: options.os ?? "wasip2",
    layerDigests: [layer.digest],
    component: {
      exports: options.component?.exports ?? [],
      imports: options.component?.imports ?? [],
      target: options.component?.target ?? null,
    },
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDescriptor: Descriptor = {
    mediaType: WASM_CONFIG_MEDIA_TYPE,
    digest: sha256(configBytes),
    size: configBytes.byteLength,
  };
  const layerDescriptor: Descriptor = { mediaType: WASM_LAYER_MEDIA_TYPE, digest: layer.digest, size: layer.size };
  const annotations: Record<string, string> = {
    "org.opencontainers.image.created": created,
    ...options.annotations,
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: configDescriptor,
    layers: [layerDescriptor],
    annotations,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  return {
    config,
    configBytes,
    configDescriptor,
    layerDescriptor,
    manifest,
    manifestBytes,
    manifestDescriptor: {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: sha256(manifestBytes),
      size: manifestBytes.byteLength,
    },
  };
}

/** Publishes a component or WIT package to a store (registry or layout) under the given tags. */
export async function publishWasm(
  store: Store,
  source: BlobSource,
  tags: readonly string[],
  options: WasmArtifactOptions & TransferOptions = {},
): Promise<WasmArtifact> {
  return inSignalScope(options.signal, async () => {
    const layer = await describeSource(source);
    const artifact = buildWasmArtifact(layer, options);
    const transfer: TransferOptions = {};
    if (options.onProgress) transfer.onProgress = options.onProgress;
    if (options.signal) transfer.signal = options.signal;
    await store.pushBlob(artifact.layerDescriptor, source, transfer);
    await store.pushBlob(artifact.configDescriptor, artifact.configBytes, transfer);
    await store.pushManifest(artifact.manifestBytes, MEDIA_TYPES.ociManifest, tags);
    return artifact;
  });
}

/** A Wasm artifact's manifest checked against the layout, with its config. */
export interface CheckedWasmArtifact {
  manifestDescriptor: Descriptor;
  manifest: ImageManifest;
  config: WasmConfig;
  layer: Descriptor;
}

function notWasm(reference: string, why: string): OciError {
  return new OciError("NOT_WASM_ARTIFACT", `${reference} is not a Wasm component artifact: ${why}`);
}

/** Checks a manifest is exactly the Wasm artifact layout; says what is wrong otherwise. */
export function checkWasmManifest(reference: string, mediaType: string, bytes: Uint8Array): ImageManifest {
  if (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList) {
    throw notWasm(reference, `expected an image manifest, found an image index (${mediaType})`);
  }
  if (mediaType !== MEDIA_TYPES.ociManifest) {
    throw notWasm(reference, `expected manifest type ${MEDIA_TYPES.ociManifest}, found ${mediaType}`);
  }
  const manifest = parseJson<ImageManifest>(bytes, `manifest of ${reference}`);
  // Tools that push a plain artifact (oras) give it the OCI empty config: the one application/wasm
  // layer still makes it a Wasm artifact, as wkg reads it.
  const configType = manifest.config?.mediaType;
  if (configType !== WASM_CONFIG_MEDIA_TYPE && configType !== MEDIA_TYPES.ociEmpty) {
    throw notWasm(
      reference,
      `expected config type ${WASM_CONFIG_MEDIA_TYPE} (or ${MEDIA_TYPES.ociEmpty} with one application/wasm layer), found ${configType ?? "none"}`,
    );
  }
  const layers = manifest.layers ?? [];
  if (layers.length !== 1) throw notWasm(reference, `expected exactly one layer, found ${layers.length}`);
  if (layers[0]!.mediaType !== WASM_LAYER_MEDIA_TYPE) {
    throw notWasm(reference, `expected layer type ${WASM_LAYER_MEDIA_TYPE}, found ${layers[0]!.mediaType}`);
  }
  return manifest;
}

/** Resolves and checks a Wasm artifact (manifest and config), without downloading the layer. */
export async function inspectWasm(
  store: Store,
  reference: string,
  options: TransferOptions = {},
): Promise<CheckedWasmArtifact> {
  return inSignalScope(options.signal, async () => {
    const { descriptor, bytes } = await store.fetchManifest(reference);
    const manifest = checkWasmManifest(reference, descriptor.mediaType, bytes);
    const config = await checkConfig(store, reference, manifest, options).catch(async (err: unknown) => {
      await store.settle?.().catch(() => {});
      throw err;
    });
    await store.settle?.();
    return { manifestDescriptor: descriptor, manifest, config, layer: manifest.layers[0]! };
  });
}

async function checkConfig(
  store: Store,
  reference: string,
  manifest: ImageManifest,
  options: TransferOptions,
): Promise<WasmConfig> {
  const bytes = await store.fetchBlob(manifest.config, options);
  if (manifest.config.mediaType === MEDIA_TYPES.ociEmpty) {
    // The empty config says nothing more: the layer is the component (or WIT package) as is.
    parseJson<unknown>(bytes, `config of ${reference}`);
    return { architecture: "wasm", os: "unknown", layerDigests: [manifest.layers[0]!.digest] };
  }
  const config = parseJson<WasmConfig>(bytes, `config of ${reference}`);
  if (config.architecture !== "wasm") {
    throw notWasm(
      reference,
      `expected architecture "wasm" in the config, found ${JSON.stringify(config.architecture)}`,
    );
  }
  const layer = manifest.layers[0]!;
  if (Array.isArray(config.layerDigests) && config.layerDigests.length && !config.layerDigests.includes(layer.digest)) {
    throw notWasm(reference, `the config's layerDigests do not list the layer ${layer.digest}`);
  }
  return config;
}

/**
 * Pulls a Wasm artifact's layer to `path` (verified, atomic) and returns what was pulled. The
 * config and the layer are fetched at the same time; the layer lands at `path` only once both
 * are verified, so a failed pull leaves an existing file there untouched.
 */
export async function pullWasm(
  store: Store,
  reference: string,
  path: string,
  options: TransferOptions = {},
): Promise<CheckedWasmArtifact> {
  return inSignalScope(options.signal, async () => {
    const { descriptor, bytes } = await store.fetchManifest(reference);
    const manifest = checkWasmManifest(reference, descriptor.mediaType, bytes);
    const layer = manifest.layers[0]!;
    // Through symbolic links; a device or FIFO is staged elsewhere and then written in place.
    const out = await outputPath(path);
    const staging = out.inPlace ? join(tmpdir(), basename(tempPathFor(out.path))) : tempPathFor(out.path);
    // A config that fails its checks stops the layer download.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const [config, written] = await Promise.allSettled([
      checkConfig(store, reference, manifest, options).catch((err: unknown) => {
        stop.abort();
        throw err;
      }),
      store.fetchBlobToFile(layer, staging, { ...options, signal }),
    ]);
    try {
      if (config.status === "rejected") throw config.reason;
      if (written.status === "rejected") throw written.reason;
      await store.settle?.();
      if (out.inPlace) {
        await pipeline(createReadStream(staging), createWriteStream(out.path));
        await rm(staging, { force: true });
      } else await rename(staging, out.path);
      return { manifestDescriptor: descriptor, manifest, config: config.value, layer };
    } catch (err) {
      await store.settle?.().catch(() => {});
      await rm(staging, { force: true });
      throw err;
    }
  });
}

/**
 * Runs an operation so that every request it makes stops on `signal`, also those made through
 * calls that take no signal of their own (manifest fetches and pushes, tag lists, tokens).
 */
function inSignalScope<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  if (signal === undefined) return run();
  return withAbortSignal(anySignal(signal, scopeSignal()) ?? signal, run);
}
