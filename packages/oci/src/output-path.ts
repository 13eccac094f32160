// Where an output file really goes: through symbolic links to their target, and in place for what
// is not a regular file (a device such as /dev/null, a FIFO), which a rename would replace.
import { lstat, readlink } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** Where writing `path` must go, and how. */
export interface OutputPath {
  /** The path to write: `path` itself, or the file its symbolic links lead to. */
  path: string;
  /**
   * True for something that is not a regular file (a character device, a FIFO, a socket): it is
   * written in place, since a temporary file renamed over it would replace it (as root, even
   * /dev/null). False for a regular file or nothing yet: staged beside it and renamed.
   */
  inPlace: boolean;
}

/** Follows `path`'s symbolic links (as writing through them would) and says how to write it. */
export async function outputPath(path: string): Promise<OutputPath> {
  let target = resolve(path);
  for (let links = 0; links <= 40; links++) {
    const found = await lstat(target).catch(() => null);
    if (found === null || found.isFile() || found.isDirectory()) return { path: target, inPlace: false };
    if (!found.isSymbolicLink()) return { path: target, inPlace: true };
    target = resolve(dirname(target), await readlink(target));
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${path}`), { code: "ELOOP" });
}
