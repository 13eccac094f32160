// `wasm-compose publish <input> [ns:name@version | reference]`: push a component or WIT package as a
// Wasm OCI artifact. A WIT package may come as WIT (a `.wit` file or a package folder with deps/),
// encoded here, and then names itself: the target defaults to its `ns:name@version`.
import { stat } from "node:fs/promises";
import {
  binaryKind,
  type ComponentBinary,
  decodeWitPackage,
  encodeWitPackage,
  isWitPackage,
  parseComponent,
  readMetadata,
} from "@wasm-compose/component";
import {
  formatReference,
  openEnvironment,
  parsePackageSpec,
  publishWasm,
  resolvePublishTarget,
  type WasmComponentMetadata,
} from "@wasm-compose/oci";
import { type PackageName, packageNameToString } from "@wasm-compose/wit";
import type { CommandRun } from "../commands.js";
import { InputError, UsageError } from "../errors.js";
import { readInputFile } from "../files.js";
import { loadWitPackage } from "../load-wit.js";
import { refuseRegistryWithReference, targetSource } from "../pulled.js";
import { progressPrinter } from "./pull.js";

/** Imports and exports for the config, and `org.opencontainers.image.*` annotations from the component's metadata. */
export function describeComponent(
  bytes: Uint8Array,
  binary: ComponentBinary = parseComponent(bytes),
): {
  component: WasmComponentMetadata;
  annotations: Record<string, string>;
} {
  const imports: string[] = [];
  const exports: string[] = [];
  for (const s of binary.sections) {
    if (s.kind === "import") imports.push(...s.items.map((i) => i.name.name));
    if (s.kind === "export") exports.push(...s.items.map((e) => e.name.name));
  }
  const annotations: Record<string, string> = {};
  const meta = readMetadata(bytes);
  const fields: [keyof typeof meta, string][] = [
    ["name", "title"],
    ["description", "description"],
    ["licenses", "licenses"],
    ["source", "source"],
    ["homepage", "url"],
    ["revision", "revision"],
    ["version", "version"],
    ["authors", "authors"],
  ];
  for (const [field, key] of fields) {
    const value = meta[field];
    if (typeof value === "string" && value) annotations[`org.opencontainers.image.${key}`] = value;
  }
  return { component: { imports, exports, target: null }, annotations };
}

function parseAnnotations(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of Array.isArray(values) ? values : values === undefined ? [] : [values]) {
    const s = String(kv);
    const i = s.indexOf("=");
    if (i <= 0) throw new UsageError(`--annotation expects key=value, got ${JSON.stringify(s)}`);
    out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

/** What is published: the bytes, and the package's own name when it is a WIT package. */
interface PublishInput {
  bytes: Uint8Array;
  /** The bytes parsed, when they were read from a file. */
  binary: ComponentBinary | null;
  /** Where the bytes are, when they are a file's as it is (else they are sent from memory). */
  path: string | null;
  witPackage: PackageName | null;
}

/** Reads a component or binary WIT package, or encodes WIT (a `.wit` file or a folder). */
async function publishInput(file: string): Promise<PublishInput> {
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory() || (info?.isFile() && file.endsWith(".wit"))) {
    const { resolve, packageId } = await loadWitPackage(file);
    return {
      bytes: encodeWitPackage(resolve, packageId),
      binary: null,
      path: null,
      witPackage: resolve.packages[packageId].name,
    };
  }
  const bytes = await readInputFile(file);
  if (binaryKind(bytes) !== "component") throw new InputError(`${file} is not a component, a WIT package or WIT`);
  const binary = parseComponent(bytes);
  if (!isWitPackage(binary)) return { bytes, binary, path: file, witPackage: null };
  const decoded = decodeWitPackage(binary);
  return { bytes, binary, path: file, witPackage: decoded.resolve.packages[decoded.package].name };
}

/** The target for a WIT package: its own name by default; a package name given must be its own. */
function witTarget(name: PackageName, target: string | undefined): string {
  const own = packageNameToString(name);
  if (target === undefined) {
    if (name.version === null) {
      throw new UsageError(
        `the WIT package ${own} has no version: give its package line one (package ${own}@0.1.0;), or name a target`,
      );
    }
    return own;
  }
  const spec = parsePackageSpec(target);
  if (spec !== undefined) {
    const same =
      spec.namespace === name.namespace &&
      spec.name === name.name &&
      (name.version === null || spec.requirement === name.version);
    if (!same) {
      throw new UsageError(
        `the WIT package is ${own}: publish it as ${name.version === null ? `${own}@<version>` : own}, or rename it in its package line`,
      );
    }
  }
  return target;
}

const VERSION_ANNOTATION = "org.opencontainers.image.version";

/**
 * `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) as the artifact's
 * creation time, so publishing the same input twice gives the same manifest digest; undefined
 * when unset (the time of publishing is used).
 */
function sourceDateEpoch(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value) * 1000)) {
    throw new UsageError(
      `SOURCE_DATE_EPOCH must be whole seconds since 1970, not ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return new Date(Number(value) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [file, given] = args;
  if (!file) throw new UsageError("usage: wasm-compose publish <file.wasm | WIT> [ns:name@version | reference]");
  const input = await publishInput(file);
  const target = input.witPackage === null ? given : witTarget(input.witPackage, given);
  if (target === undefined) {
    throw new UsageError(
      "usage: wasm-compose publish <file.wasm> <ns:name@version | reference> (a component needs a target)",
    );
  }
  // `ns:name@version` reads as a package name (a reference has `@` only before a digest, which has
  // a `:`); one that is not valid gets a plain word on why, not the reference parser's on digests.
  if (/^[^:@/\s]+:[^:@/\s]+@[^:@/\s]*$/.test(target) && parsePackageSpec(target) === undefined) {
    throw new UsageError(
      `"${target}" is not a package name: its namespace and name are lowercase kebab-case words (ns:name@1.2.3)`,
    );
  }
  const { component, annotations } = describeComponent(input.bytes, input.binary ?? undefined);
  const env = await openEnvironment();
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  await refuseRegistryWithReference(target, registry);
  const resolved = await resolvePublishTarget(env, target, registry);
  const extra = parseAnnotations(options.annotation);
  if (resolved.package) {
    const version = extra[VERSION_ANNOTATION];
    if (version !== undefined && version !== resolved.manifest) {
      throw new UsageError(
        `--annotation ${VERSION_ANNOTATION}=${version} contradicts the version published, ${resolved.manifest}`,
      );
    }
    annotations[VERSION_ANNOTATION] = resolved.manifest;
  }
  Object.assign(annotations, extra);
  const source = input.path === null ? input.bytes : { path: input.path };
  const created = sourceDateEpoch(process.env.SOURCE_DATE_EPOCH);
  const artifact = await publishWasm(resolved.store, source, [resolved.manifest], {
    component,
    annotations,
    ...(created === undefined ? {} : { created }),
    signal,
    onProgress: progressPrinter(out),
  });
  out.result(`published ${await targetSource(resolved, artifact.manifestDescriptor.digest)}`, {
    kind: resolved.kind,
    reference: formatReference(resolved.reference),
    digest: artifact.manifestDescriptor.digest,
    layer: artifact.layerDescriptor,
  });
  return 0;
};
