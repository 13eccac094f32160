// Reading the files a command is given and writing its outputs: clear errors, atomic writes.
import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ComponentError } from "@wasm-compose/component";
import { InputError, UsageError } from "./errors.js";

/** File system error codes in words, for messages that name the path themselves. */
export const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
};

function describe(e: unknown): string {
  const code = (e as { code?: string }).code;
  return (code && FS_REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
}

/** Reads a file named on the command line; a failure is an InputError that names the file. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${describe(e)}`);
  }
}

/** Reads a text file named on the command line (UTF-8); a failure is an InputError that names the file. */
export async function readInputText(path: string): Promise<string> {
  return new TextDecoder().decode(await readInputFile(path));
}

/** Whether a path names a file or a folder; an InputError when it names neither. */
export async function inputKind(path: string): Promise<"file" | "dir"> {
  try {
    return (await stat(path)).isDirectory() ? "dir" : "file";
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${describe(e)}`);
  }
}

/**
 * Runs `read` on what was read from `path`; a binary format error it throws (a ComponentError,
 * which knows only a byte offset) is made to name the file too.
 */
export function inFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ComponentError && !e.message.startsWith(`${path}: `)) e.message = `${path}: ${e.message}`;
    throw e;
  }
}

/** The SHA-256 of some bytes as hex (node:crypto: the fast path for the CLI). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes an output file atomically (a temporary file in the same folder, then a rename). */
export async function writeOutputFile(path: string, data: Uint8Array | string): Promise<void> {
  await writeOutputFiles([{ path, data }]);
}

/**
 * Writes several output files all or nothing, as far as a file system allows: each goes to a
 * temporary file beside it first, and only when every one is written are they renamed into place.
 * On failure no temporary file is left and no target has changed. A symbolic link is written
 * through (its target replaced, the link kept); a device or FIFO (`-o /dev/null`) is written in
 * place, as a rename would replace it.
 */
export async function writeOutputFiles(files: { path: string; data: Uint8Array | string }[]): Promise<void> {
  // `shown`: the path as given, for messages.
  const staged: { path: string; shown: string; tmp: string }[] = [];
  const inPlace: { path: string; shown: string; data: Uint8Array | string }[] = [];
  const current = { path: "" };
  try {
    // The one module, not the registry client (which would add its load time to every write).
    const { outputPath } = await import("@wasm-compose/oci/output-path");
    for (const { path, data } of files) {
      current.path = path;
      if (path === "-") throw new UsageError("-o -: writing to standard output is not supported; give a file");
      const out = await outputPath(path);
      if (out.inPlace) {
        inPlace.push({ path: out.path, shown: path, data });
        continue;
      }
      const tmp = join(dirname(out.path), `.${basename(out.path)}.${randomBytes(6).toString("hex")}.tmp`);
      staged.push({ path: out.path, shown: path, tmp });
      await writeFile(tmp, data, { flag: "wx" });
    }
    for (const { path, shown, data } of inPlace) {
      current.path = shown;
      await writeFile(path, data);
    }
    for (const { path, shown, tmp } of staged) {
      current.path = shown;
      await rename(tmp, path);
    }
  } catch (e) {
    // A temporary file that was never made (its folder is missing, say) is not an error of its own.
    await Promise.all(staged.map(({ tmp }) => rm(tmp, { force: true }).catch(() => {})));
    if (e instanceof UsageError) throw e;
    throw new InputError(`cannot write ${current.path}: ${describe(e)}`);
  }
}

/**
 * Refuses output paths that are the same file as an input or as each other (an output written
 * over the input it was made from loses the input): a UsageError naming both. Paths are compared
 * resolved, and existing files by identity, so a symlink or hard link to an input counts too.
 */
export async function distinctOutputs(outputs: { flag: string; path: string }[], inputs: string[]): Promise<void> {
  const seen = new Map<string, string>();
  const identity = async (path: string) => {
    const s = await stat(path).catch(() => null);
    return s === null || !s.isFile() ? null : `${s.dev}:${s.ino}`;
  };
  const claim = async (path: string, what: string) => {
    const keys = [resolve(path), await identity(path)].filter((k): k is string => k !== null);
    const before = keys.map((k) => seen.get(k)).find((b) => b !== undefined);
    for (const k of keys) seen.set(k, what);
    return before;
  };
  for (const input of inputs) await claim(input, `input ${input}`);
  for (const { flag, path } of outputs) {
    const before = await claim(path, `${flag} ${path}`);
    if (before !== undefined) throw new UsageError(`${flag} ${path} is the same file as the ${before}`);
  }
}
