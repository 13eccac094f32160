// Commands that read a file also take a registry package name or reference in its place, when no
// such path exists: the package is pulled (verified, through the cache) into a temporary file
// named after it, used, and removed. The registry client loads only then.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { resolvePullTarget } from "@wasm-compose/oci";
import { UsageError } from "./errors.js";
import { readInputFile } from "./files.js";

/** Where a package name or reference resolved to (the registry client's own type, loaded only when needed). */
export type PullTarget = Awaited<ReturnType<typeof resolvePullTarget>>;

/** Whether `text` names no path and reads as a package name (`ns:name[@req]`) or a reference. */
export async function pullable(text: string): Promise<boolean> {
  return (await stat(text).catch(() => null)) === null && (await registryTarget(text));
}

/** Whether `text` reads as a package name (`ns:name[@req]`) or a reference (for a path known not to exist). */
export async function registryTarget(text: string): Promise<boolean> {
  const { parsePackageSpec } = await import("@wasm-compose/oci");
  return parsePackageSpec(text) !== undefined || /^[^/\s]+\/[^\s]+[:@][^/\s]+$/.test(text);
}

/**
 * `--registry` says where package names (`ns:name`) go; a reference names its registry itself, so
 * the two together are refused rather than one silently ignored.
 */
export async function refuseRegistryWithReference(text: string, registry: string | undefined): Promise<void> {
  if (registry === undefined) return;
  const { parsePackageSpec } = await import("@wasm-compose/oci");
  if (parsePackageSpec(text) !== undefined) return;
  throw new UsageError(
    `--registry applies to package names (ns:name); ${text} is a reference, which names its registry itself`,
  );
}

/**
 * Pulls `what` into a temporary `<name>.wasm` (the repository's last part: `ns:name` gives
 * `name.wasm`) for `use`, then removes it.
 */
export async function withPulled<T>(
  what: string,
  registry: string | undefined,
  use: (file: string, target: PullTarget) => Promise<T>,
  signal?: AbortSignal,
  note?: (line: string) => void,
): Promise<T> {
  await refuseRegistryWithReference(what, registry);
  const { openEnvironment, resolvePullTarget } = await import("@wasm-compose/oci");
  const env = await openEnvironment({ onCacheFallback: (message) => note?.(`${what}: ${message}`) });
  const target = await resolvePullTarget(env, what, registry);
  return withPulledTarget(target, use, signal, (source) => note?.(`${what}: ${source}`));
}

/**
 * Pulls a resolved target into a temporary `<name>.wasm` for `use`, then removes it; `note` hears
 * what was pulled (the reference and digest, see {@link targetSource}).
 */
export async function withPulledTarget<T>(
  target: PullTarget,
  use: (file: string, target: PullTarget) => Promise<T>,
  signal?: AbortSignal,
  note?: (source: string) => void,
): Promise<T> {
  const { pullWasm } = await import("@wasm-compose/oci");
  const dir = await mkdtemp(join(tmpdir(), "wasm-compose-pulled-"));
  try {
    const file = join(dir, `${basename(target.reference.repository)}.wasm`);
    const pulled = await pullWasm(target.store, target.manifest, file, { signal });
    note?.(await targetSource(target, pulled.manifestDescriptor.digest));
    return await use(file, target);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What a pull got or a publish wrote, as users name it: the reference with its digest, or the local registry's entry. */
export async function targetSource(target: PullTarget, digest: string): Promise<string> {
  if (target.kind === "local") return `local registry ${target.reference.repository}:${target.manifest}@${digest}`;
  const { formatReference } = await import("@wasm-compose/oci");
  return formatReference({ ...target.reference, digest });
}

/** An input's bytes and name: a file's (its name without `.wasm`), or a pulled package's (see {@link withPulled}). */
export async function readInput(
  text: string,
  registry: string | undefined,
  signal?: AbortSignal,
  note?: (line: string) => void,
): Promise<{ bytes: Uint8Array; name: string }> {
  const read = async (file: string) => ({ bytes: await readInputFile(file), name: basename(file, ".wasm") });
  return (await pullable(text)) ? withPulled(text, registry, read, signal, note) : read(text);
}
