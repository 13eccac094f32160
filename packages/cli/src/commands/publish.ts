// `wasm-compose publish <file.wasm> <ns:name@version | reference>`: push a component or WIT package as a Wasm OCI artifact.
import { parseComponent, readMetadata } from "@wasm-compose/component";
import {
  formatReference,
  openEnvironment,
  publishWasm,
  resolvePublishTarget,
  type WasmComponentMetadata,
} from "@wasm-compose/oci";
import { UsageError } from "../errors.js";
import { readInputFile } from "../files.js";
import type { Output } from "../output.js";
import { progressPrinter } from "./pull.js";

/** Imports and exports for the config, and `org.opencontainers.image.*` annotations from the component's metadata. */
export function describeComponent(bytes: Uint8Array): {
  component: WasmComponentMetadata;
  annotations: Record<string, string>;
} {
  const binary = parseComponent(bytes);
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

export async function run(args: string[], options: Record<string, unknown>, out: Output): Promise<number> {
  const [file, target] = args;
  if (!file || !target) throw new UsageError("usage: wasm-compose publish <file.wasm> <ns:name@version | reference>");
  const bytes = await readInputFile(file);
  const { component, annotations } = describeComponent(bytes);
  const env = await openEnvironment();
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  const resolved = await resolvePublishTarget(env, target, registry);
  if (resolved.package) annotations["org.opencontainers.image.version"] = resolved.manifest;
  Object.assign(annotations, parseAnnotations(options.annotation));
  const artifact = await publishWasm(resolved.store, { path: file }, [resolved.manifest], {
    component,
    annotations,
    onProgress: progressPrinter(out),
  });
  const where =
    resolved.kind === "local"
      ? `local registry ${resolved.reference.repository}:${resolved.manifest}`
      : formatReference(resolved.reference);
  out.result(`published ${where}@${artifact.manifestDescriptor.digest}`, {
    kind: resolved.kind,
    reference: formatReference(resolved.reference),
    digest: artifact.manifestDescriptor.digest,
    layer: artifact.layerDescriptor,
  });
  return 0;
}
