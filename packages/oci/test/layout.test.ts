// The OCI image layout store: the same interface as a registry, verified reads and writes, tags in index.json.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ContentCache,
  localStore,
  MEDIA_TYPES,
  OciLayout,
  publishWasm,
  pullWasm,
  REF_NAME,
  sha256,
} from "../src/index.js";
import { fakeComponent, tempDir } from "./helpers.js";

describe("OciLayout", () => {
  it("writes a spec layout that pulls back, with tags as ref.name annotations", async () => {
    await using dir = await tempDir("layout");
    const layout = new OciLayout(join(dir.path, "repo"));
    const wasm = fakeComponent();
    const a = await publishWasm(layout, wasm, ["1.0.0", "latest"]);
    expect(JSON.parse(await readFile(join(layout.root, "oci-layout"), "utf8"))).toEqual({
      imageLayoutVersion: "1.0.0",
    });
    const index = JSON.parse(await readFile(join(layout.root, "index.json"), "utf8"));
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations[REF_NAME])).toEqual([
      "1.0.0",
      "latest",
    ]);
    expect((await layout.listTags()).sort()).toEqual(["1.0.0", "latest"]);
    expect(await layout.resolve("latest")).toEqual(a.manifestDescriptor);
    const out = join(dir.path, "out.wasm");
    await pullWasm(layout, a.manifestDescriptor.digest, out);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
  });

  it("moves a tag on re-publish and deletes by digest", async () => {
    await using dir = await tempDir("retag");
    const layout = new OciLayout(dir.path);
    const a = await publishWasm(layout, fakeComponent(), ["latest"]);
    const b = await publishWasm(layout, fakeComponent(), ["latest"]);
    expect((await layout.resolve("latest")).digest).toBe(b.manifestDescriptor.digest);
    expect(await layout.listTags()).toEqual(["latest"]);
    await layout.deleteManifest(b.manifestDescriptor.digest);
    await expect(layout.resolve("latest")).rejects.toMatchObject({ code: "MANIFEST_UNKNOWN" });
    await expect(layout.deleteManifest(b.manifestDescriptor.digest)).rejects.toMatchObject({
      code: "MANIFEST_UNKNOWN",
    });
    expect(await layout.hasBlob(a.manifestDescriptor.digest)).toBe(true);
  });

  it("detects a corrupted blob on disk instead of using it", async () => {
    await using dir = await tempDir("corrupt-disk");
    const layout = new OciLayout(dir.path);
    const wasm = fakeComponent();
    await publishWasm(layout, wasm, ["1.0.0"]);
    await writeFile(layout.blobPath(sha256(wasm)), Buffer.from("tampered"));
    await expect(pullWasm(layout, "1.0.0", join(dir.path, "out.wasm"))).rejects.toMatchObject({
      code: "SIZE_MISMATCH",
    });
    expect((await readdir(dir.path)).filter((f) => f.endsWith(".wasm") || f.includes("partial"))).toEqual([]);
  });

  it("refuses a blob whose bytes do not match its descriptor", async () => {
    await using dir = await tempDir("bad-push");
    const layout = new OciLayout(dir.path);
    const bytes = Buffer.from("abc");
    await expect(
      layout.pushBlob({ mediaType: "application/wasm", digest: sha256(Buffer.from("abd")), size: 3 }, bytes),
    ).rejects.toMatchObject({ code: "DIGEST_MISMATCH" });
    expect(await readdir(join(dir.path, "blobs", "sha256"))).toEqual([]);
  });

  it("lists referrers by subject", async () => {
    await using dir = await tempDir("referrers");
    const layout = new OciLayout(dir.path);
    const subject = await publishWasm(layout, fakeComponent(), ["1.0.0"]);
    const empty = Buffer.from("{}");
    await layout.pushBlob({ mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 }, empty);
    const sig = await layout.pushManifest(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          artifactType: "application/vnd.example.sig",
          config: { mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 },
          layers: [],
          subject: subject.manifestDescriptor,
        }),
      ),
      MEDIA_TYPES.ociManifest,
    );
    const found = await layout.referrers(subject.manifestDescriptor.digest);
    expect(found).toEqual([{ ...sig, artifactType: "application/vnd.example.sig" }]);
    expect(await layout.referrers(subject.manifestDescriptor.digest, "other")).toEqual([]);
  });

  it("keeps the cache and the local store apart per registry and repository, listed as references name them", async () => {
    await using dir = await tempDir("cache-list");
    const cache = new ContentCache(dir.path);
    await publishWasm(cache.layout("127.0.0.1:5000", "a/b"), fakeComponent(), ["1.0.0"]);
    // Tags in version order.
    await publishWasm(cache.layout("ghcr.io", "a/c"), fakeComponent(), ["1.10.0", "1.9.0", "1.0.0-rc.1"]);
    expect((await cache.list()).find((e) => e.path === "ghcr.io/a/c")?.tags).toEqual(["1.0.0-rc.1", "1.9.0", "1.10.0"]);
    await publishWasm(cache.layout("ghcr.io", "a/b"), fakeComponent(), ["2.0.0"]);
    const listed = await cache.list();
    expect(listed.map((e) => [e.path, e.tags])).toEqual(
      expect.arrayContaining([
        ["127.0.0.1:5000/a/b", ["1.0.0"]],
        ["ghcr.io/a/b", ["2.0.0"]],
      ]),
    );
    expect(localStore(dir.path, "ns/name").root).toBe(join(dir.path, "ns", "name"));
    await cache.clean();
    expect(await cache.list()).toEqual([]);
  });

  it("gives every repository a folder of its own, apart from the others' layout files", async () => {
    await using dir = await tempDir("cache-flat");
    const cache = new ContentCache(dir.path);
    // Valid repository names that are also names of layout files and folders.
    const names = ["a", "a/b", "a/index.json", "a/blobs/sha256", "a/oci-layout"];
    for (const [i, name] of names.entries()) {
      await publishWasm(cache.layout("ghcr.io", name), fakeComponent(), [`1.0.${i}`]);
    }
    const listed = await cache.list();
    expect(listed.map((e) => [e.path, e.tags]).sort()).toEqual(
      names.map((name, i) => [`ghcr.io/${name}`, [`1.0.${i}`]]).sort(),
    );
    for (const [registry, repository] of [
      ["ghcr.io/..", "a"],
      ["ghcr.io", "../a"],
      ["ghcr.io", "a/../../b"],
    ]) {
      expect(() => cache.layout(registry!, repository!)).toThrow(/cannot cache/);
    }
  });
});

describe("concurrent writers", () => {
  it("keeps every tag when many pushes update index.json at once, from separate instances", async () => {
    await using dir = await tempDir("concurrent");
    const wasm = fakeComponent();
    const first = await publishWasm(new OciLayout(dir.path), wasm, ["base"]);
    const tags = Array.from({ length: 20 }, (_, i) => `t${i}`);
    // Separate instances share no in-process lock: only the lock file keeps the updates apart.
    await Promise.all(
      tags.map((t) =>
        new OciLayout(dir.path).pushManifest(first.manifestBytes, first.manifestDescriptor.mediaType, [t]),
      ),
    );
    expect((await new OciLayout(dir.path).listTags()).sort()).toEqual(["base", ...tags].sort());
    expect(await readdir(dir.path)).not.toContain("index.json.lock");
  });
});
