// Reading the files a command is given and writing its outputs: clear errors, atomic writes.
import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError } from "./errors.js";

const reasons: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
};

function describe(e: unknown): string {
  const code = (e as { code?: string }).code;
  return (code && reasons[code]) ?? (e instanceof Error ? e.message : String(e));
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

/** The SHA-256 of some bytes as hex (node:crypto: the fast path for the CLI). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes an output file atomically (a temporary file in the same folder, then a rename). */
export async function writeOutputFile(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new InputError(`cannot write ${path}: ${describe(e)}`);
  }
}
