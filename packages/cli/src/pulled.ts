// Commands that read a file also take a registry package name or reference in its place, when no
// such path exists: the package is pulled (verified, through the cache) into a temporary file
// named after it, used, and removed. The registry client loads only then.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { resolvePullTarget } from "@wasm-compose/oci";
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
 * Pulls `what` into a temporary `<name>.wasm` (the repository's last part: `ns:name` gives
 * `name.wasm`) for `use`, then removes it.
 */
export async function withPulled<T>(
  what: string,
  registry: string | undefined,
  use: (file: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const { openEnvironment, resolvePullTarget } = await import("@wasm-compose/oci");
  const target = await resolvePullTarget(await openEnvironment(), what, registry);
  return withPulledTarget(target, use, signal);
}

/** Pulls a resolved target into a temporary `<name>.wasm` for `use`, then removes it. */
export async function withPulledTarget<T>(
  target: PullTarget,
  use: (file: string) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const { pullWasm } = await import("@wasm-compose/oci");
  const dir = await mkdtemp(join(tmpdir(), "wasm-compose-pulled-"));
  try {
    const file = join(dir, `${basename(target.reference.repository)}.wasm`);
    await pullWasm(target.store, target.manifest, file, { signal });
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An input's bytes and name: a file's (its name without `.wasm`), or a pulled package's (see {@link withPulled}). */
export async function readInput(
  text: string,
  registry: string | undefined,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; name: string }> {
  const read = async (file: string) => ({ bytes: await readInputFile(file), name: basename(file, ".wasm") });
  return (await pullable(text)) ? withPulled(text, registry, read, signal) : read(text);
}
