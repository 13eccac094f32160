// `wasm-compose pull <ns:name[@req] | reference> [-o path]`: fetch a component or WIT package, verified, through the cache.
import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { formatReference, openEnvironment, type ProgressEvent, pullWasm, resolvePullTarget } from "@wasm-compose/oci";
import type { CommandRun } from "../commands.js";
import { InputError, UsageError } from "../errors.js";
import { FS_REASONS } from "../files.js";
import type { Output } from "../output.js";
import { refuseRegistryWithReference, targetSource } from "../pulled.js";

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

/**
 * The file to write: `-o` as given, or `<name>.wasm` in it when it names a folder (one that exists,
 * or a path ending in a slash, as `cp`, `oras pull -o` and `wkg get -o dir/` take it); without
 * `-o`, `<name>.wasm` here.
 */
async function outputFile(given: string | undefined, name: string): Promise<string> {
  if (given === undefined) return `${name}.wasm`;
  const folder = given.endsWith("/") || given.endsWith(sep) || (await stat(given).catch(() => null))?.isDirectory();
  return folder ? join(given, `${name}.wasm`) : given;
}

/**
 * A file system error about the output file (its temporary file beside it, or a folder on its way)
 * as an InputError naming the file the user gave; other errors (the cache's) stay as they are.
 */
function outputError(err: unknown, file: string): unknown {
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (typeof e?.code !== "string" || !(e.code in FS_REASONS)) return err;
  const folder = dirname(resolve(file));
  const about = (p: unknown) =>
    typeof p === "string" && (dirname(resolve(p)) === folder || `${folder}${sep}`.startsWith(`${resolve(p)}${sep}`));
  if (!about(e.path) && !about(e.dest)) return err;
  return new InputError(`cannot write ${file}: ${FS_REASONS[e.code]}`);
}

export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [what] = args;
  if (!what) throw new UsageError("usage: wasm-compose pull <ns:name[@requirement] | reference> [-o path]");
  if (options.output === "-") throw new UsageError("-o -: writing to standard output is not supported; give a file");
  const env = await openEnvironment({
    offline: options.offline === true ? true : undefined,
    onCacheFallback: (message) => out.note(message),
  });
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  await refuseRegistryWithReference(what, registry);
  const target = await resolvePullTarget(env, what, registry);
  const file = await outputFile(
    typeof options.output === "string" ? options.output : undefined,
    basename(target.reference.repository),
  );
  const pulled = await pullWasm(target.store, target.manifest, file, {
    signal,
    onProgress: progressPrinter(out),
  }).catch((err: unknown) => {
    throw outputError(err, file);
  });
  const digest = pulled.manifestDescriptor.digest;
  const source = await targetSource(target, digest);
  out.result(`pulled ${source} -> ${file}`, {
    kind: target.kind,
    reference: formatReference(target.reference),
    digest,
    file,
    size: pulled.layer.size,
    component: pulled.config.component ?? null,
  });
  return 0;
};
