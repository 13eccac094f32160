// The Wasm artifact layout: what publish writes, and the clear errors a pull gives for anything else.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildWasmArtifact,
  MEDIA_TYPES,
  OciLayout,
  pullWasm,
  sha256,
  WASM_CONFIG_MEDIA_TYPE,
  WASM_LAYER_MEDIA_TYPE,
} from "../src/index.js";
import { fakeComponent, tempDir } from "./helpers.js";

describe("Wasm artifact layout", () => {
  it("builds the manifest and config as wkg does", () => {
    const wasm = fakeComponent();
    const a = buildWasmArtifact(
      { digest: sha256(wasm), size: wasm.byteLength },
      {
        created: "2024-05-01T00:00:00Z",
        author: "me",
        component: { exports: ["a:b/c@1.0.0"], imports: ["wasi:io/streams@0.2.0"] },
        annotations: { "org.opencontainers.image.version": "1.0.0" },
      },
    );
    expect(a.manifest).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: WASM_CONFIG_MEDIA_TYPE, digest: sha256(a.configBytes), size: a.configBytes.byteLength },
      layers: [{ mediaType: WASM_LAYER_MEDIA_TYPE, digest: sha256(wasm), size: wasm.byteLength }],
      annotations: {
        "org.opencontainers.image.created": "2024-05-01T00:00:00Z",
        "org.opencontainers.image.version": "1.0.0",
      },
    });
    expect("artifactType" in a.manifest).toBe(false);
    expect(JSON.parse(Buffer.from(a.configBytes).toString())).toEqual({
      created: "2024-05-01T00:00:00Z",
      author: "me",
      architecture: "wasm",
      os: "wasip2",
      layerDigests: [sha256(wasm)],
      component: { exports: ["a:b/c@1.0.0"], imports: ["wasi:io/streams@0.2.0"], target: null },
    });
    // Same inputs, same digests.
    const b = buildWasmArtifact(
      { digest: sha256(wasm), size: wasm.byteLength },
      {
        created: "2024-05-01T00:00:00Z",
        author: "me",
        component: { exports: ["a:b/c@1.0.0"], imports: ["wasi:io/streams@0.2.0"] },
        annotations: { "org.opencontainers.image.version": "1.0.0" },
      },
    );
    expect(b.manifestDescriptor).toEqual(a.manifestDescriptor);
  });

  async function pushRaw(
    layout: OciLayout,
    manifest: object,
    mediaType: string = MEDIA_TYPES.ociManifest,
  ): Promise<void> {
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    await layout.pushBlob({ mediaType: "x", digest: sha256(config), size: config.length }, config);
    const wasm = Buffer.from("\0asm\r\0\x01\0");
    await layout.pushBlob({ mediaType: "x", digest: sha256(wasm), size: wasm.length }, wasm);
    await layout.pushManifest(Buffer.from(JSON.stringify(manifest)), mediaType, ["t"]);
  }

  const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
  const wasm = Buffer.from("\0asm\r\0\x01\0");
  const desc = (mediaType: string, bytes: Buffer) => ({ mediaType, digest: sha256(bytes), size: bytes.length });

  it.each([
    [
      "a container image",
      {
        schemaVersion: 2,
        config: desc("application/vnd.oci.image.config.v1+json", config),
        layers: [desc(WASM_LAYER_MEDIA_TYPE, wasm)],
      },
      MEDIA_TYPES.ociManifest,
      /expected config type application\/vnd\.wasm\.config\.v0\+json .*, found application\/vnd\.oci\.image\.config\.v1\+json/,
    ],
    [
      "two layers",
      {
        schemaVersion: 2,
        config: desc(WASM_CONFIG_MEDIA_TYPE, config),
        layers: [desc(WASM_LAYER_MEDIA_TYPE, wasm), desc(WASM_LAYER_MEDIA_TYPE, wasm)],
      },
      MEDIA_TYPES.ociManifest,
      /expected exactly one layer, found 2/,
    ],
    [
      "a tar layer",
      {
        schemaVersion: 2,
        config: desc(WASM_CONFIG_MEDIA_TYPE, config),
        layers: [desc("application/vnd.oci.image.layer.v1.tar", wasm)],
      },
      MEDIA_TYPES.ociManifest,
      /expected layer type application\/wasm, found application\/vnd\.oci\.image\.layer\.v1\.tar/,
    ],
    ["an index", { schemaVersion: 2, manifests: [] }, MEDIA_TYPES.ociIndex, /found an image index/],
    [
      "a wasm config with another architecture",
      { schemaVersion: 2, config: desc(WASM_CONFIG_MEDIA_TYPE, config), layers: [desc(WASM_LAYER_MEDIA_TYPE, wasm)] },
      MEDIA_TYPES.ociManifest,
      /expected architecture "wasm" in the config, found "amd64"/,
    ],
  ])("refuses %s with a clear message", async (_what, manifest, mediaType, message) => {
    await using dir = await tempDir("not-wasm");
    const layout = new OciLayout(dir.path);
    await pushRaw(layout, manifest, mediaType);
    const err = await pullWasm(layout, "t", join(dir.path, "out.wasm")).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: "NOT_WASM_ARTIFACT" });
    expect((err as Error).message).toMatch(message);
  });

  it("pulls an artifact with the OCI empty config and one application/wasm layer, as oras pushes it", async () => {
    await using dir = await tempDir("oras-style");
    const layout = new OciLayout(dir.path);
    const empty = Buffer.from("{}");
    await layout.pushBlob(desc(MEDIA_TYPES.ociEmpty, empty), empty);
    await layout.pushBlob(desc(WASM_LAYER_MEDIA_TYPE, wasm), wasm);
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType: "application/wasm",
      config: desc(MEDIA_TYPES.ociEmpty, empty),
      layers: [desc(WASM_LAYER_MEDIA_TYPE, wasm)],
    };
    await layout.pushManifest(Buffer.from(JSON.stringify(manifest)), MEDIA_TYPES.ociManifest, ["t"]);
    const out = join(dir.path, "out.wasm");
    const pulled = await pullWasm(layout, "t", out);
    expect(await readFile(out)).toEqual(wasm);
    expect(pulled.config).toEqual({ architecture: "wasm", os: "unknown", layerDigests: [sha256(wasm)] });
  });
});
