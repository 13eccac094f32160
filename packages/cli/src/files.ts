// Reading the files a command is given and writing its outputs: clear errors, atomic writes.
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
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
