// Downloads through the cache with linkFromCache: the caller's file is a hard link to the verified
// cache file (one write, one copy on disk), a copy across file systems; by default, separate copies.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { ContentCache, formatReference, linkOrCopy, OciClient, publishWasm, RemoteRepository } from "../src/index.js";
import { clientFor, fakeComponent, repoName, tempDir } from "./helpers.js";

const registry = inject("registries").anonymous;

async function published(label: string): Promise<{ ref: string; wasm: Uint8Array; digest: string; name: string }> {
  const name = repoName(label);
  const wasm = fakeComponent(300_000);
  const artifact = await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), wasm, ["1.0.0"]);
  const ref = formatReference({ registry: registry.host, repository: name, tag: "1.0.0" });
  return { ref, wasm, digest: artifact.layerDescriptor.digest, name };
}

describe("files pulled through the cache", () => {
  it("are hard links to the cache file, and an edit in place is caught on the next read", async () => {
    await using dir = await tempDir("cache-links");
    const { ref, wasm, digest, name } = await published("links");
    const cacheDir = join(dir.path, "cache");
    // Into a folder that does not exist yet, as without links.
    const out = join(dir.path, "new/folder/a.wasm");
    await new OciClient({ cacheDir, linkFromCache: true }).pullWasm(ref, out);
    const blob = new ContentCache(cacheDir).layout(registry.host, name).blobPath(digest);
    const [a, b] = await Promise.all([stat(out), stat(blob)]);
    expect(a.ino).toBe(b.ino);
    expect(a.nlink).toBe(2);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);

    // A warm pull (the blob cached) links too, after reading the link through to verify it.
    const warm = join(dir.path, "warm.wasm");
    await new OciClient({ cacheDir, linkFromCache: true }).pullWasm(ref, warm);
    expect((await stat(warm)).ino).toBe(b.ino);
    expect((await stat(blob)).nlink).toBe(3);

    // A tool that rewrites its input in place changes the cache file too: the next pull notices,
    // drops it and fetches the blob again; the edited file stays as the tool left it.
    await writeFile(out, "edited in place");
    const again = join(dir.path, "b.wasm");
    await new OciClient({ cacheDir, linkFromCache: true }).pullWasm(ref, again);
    expect(new Uint8Array(await readFile(again))).toEqual(wasm);
    expect(await readFile(out, "utf8")).toBe("edited in place");
    expect(new Uint8Array(await readFile(blob))).toEqual(wasm);
  });

  it("are separate copies by default, on the first pull and on a warm one", async () => {
    await using dir = await tempDir("cache-copies");
    const { ref, wasm } = await published("copies");
    const cacheDir = join(dir.path, "cache");
    for (const name of ["a.wasm", "b.wasm"]) {
      const out = join(dir.path, name);
      await new OciClient({ cacheDir }).pullWasm(ref, out);
      expect((await stat(out)).nlink).toBe(1);
      expect(new Uint8Array(await readFile(out))).toEqual(wasm);
    }
  });
});

describe("linkOrCopy", () => {
  it("copies when the target is on another file system (here tmpfs /dev/shm against the repository's disk)", async () => {
    const here = join(import.meta.dirname, "../.cache");
    await mkdir(here, { recursive: true });
    const shm = await mkdtemp("/dev/shm/wasm-compose-link-");
    const local = await mkdtemp(join(here, "link-"));
    try {
      const [d1, d2] = await Promise.all([stat(shm), stat(local)]);
      expect(d1.dev).not.toBe(d2.dev);
      const source = join(local, "blob");
      await writeFile(source, "bytes");
      const target = join(shm, "out.wasm");
      await linkOrCopy(source, target);
      expect(await readFile(target, "utf8")).toBe("bytes");
      expect((await stat(target)).nlink).toBe(1);
      // On the same file system it is a link.
      await linkOrCopy(source, join(local, "linked.wasm"));
      expect((await stat(join(local, "linked.wasm"))).ino).toBe((await stat(source)).ino);
    } finally {
      await Promise.all([rm(shm, { recursive: true, force: true }), rm(local, { recursive: true, force: true })]);
    }
  });
});
