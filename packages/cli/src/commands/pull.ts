// `wasm-compose pull <ns:name[@req] | reference> [-o file]`: fetch a component or WIT package, verified, through the cache.
import { basename } from "node:path";
import { formatReference, openEnvironment, type ProgressEvent, pullWasm, resolvePullTarget } from "@wasm-compose/oci";
import { UsageError } from "../errors.js";
import type { Output } from "../output.js";

/** A one-line progress display on a terminal's stderr; nothing when quiet, JSON or not a terminal. */
export function progressPrinter(out: Output): ((e: ProgressEvent) => void) | undefined {
  if (out.options.quiet || out.options.json || !process.stderr.isTTY) return undefined;
  let last = 0;
  return (e) => {
    const now = Date.now();
    if (e.done !== e.total && now - last < 100) return;
    last = now;
    const pct = e.total ? Math.floor((e.done / e.total) * 100) : 100;
    process.stderr.write(
      `\r${e.digest.slice(7, 19)} ${pct}% (${e.done}/${e.total} bytes)${e.done === e.total ? "\n" : ""}`,
    );
  };
}

export async function run(args: string[], options: Record<string, unknown>, out: Output): Promise<number> {
  const [what] = args;
  if (!what) throw new UsageError("usage: wasm-compose pull <ns:name[@requirement] | reference> [-o file]");
  const env = await openEnvironment({ offline: options.offline === true ? true : undefined });
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  const target = await resolvePullTarget(env, what, registry);
  const file = typeof options.output === "string" ? options.output : `${basename(target.reference.repository)}.wasm`;
  const pulled = await pullWasm(target.store, target.manifest, file, { onProgress: progressPrinter(out) });
  const source =
    target.kind === "local"
      ? `local registry ${target.reference.repository}:${target.manifest}`
      : formatReference(target.reference);
  out.result(`pulled ${source}@${pulled.manifestDescriptor.digest} -> ${file}`, {
    kind: target.kind,
    reference: formatReference(target.reference),
    digest: pulled.manifestDescriptor.digest,
    file,
    size: pulled.layer.size,
    component: pulled.config.component ?? null,
  });
  return 0;
}
