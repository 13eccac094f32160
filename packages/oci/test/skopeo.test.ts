// Interoperability with skopeo, an independent OCI client: it reads what we push, we read what it pushes, via oci: layouts too.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import type { RegistryInfo } from "../../../fixtures/registry/index.js";
import { MEDIA_TYPES, OciLayout, publishWasm, pullWasm, RemoteRepository, sha256 } from "../src/index.js";
import { clientFor, fakeComponent, repoName, tempDir } from "./helpers.js";

const run = promisify(execFile);
const registries = inject("registries");

function creds(registry: RegistryInfo, flag: string): string[] {
  const user = registry.users[0];
  return user ? [flag, `${user.username}:${user.password}`] : [];
}

async function skopeo(...args: string[]): Promise<string> {
  const { stdout } = await run("skopeo", ["--insecure-policy", ...args], { maxBuffer: 64 << 20 });
  return stdout;
}

describe.each(["anonymous", "basic", "token"] as const)("skopeo interop (%s registry)", (mode) => {
  const registry = registries[mode];

  it("skopeo reads what we push, down to an oci: layout we read back", async () => {
    await using dir = await tempDir("skopeo-read");
    const name = repoName("skopeo-reads");
    const wasm = fakeComponent(20_000);
    const artifact = await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), wasm, ["1.0.0"]);
    const raw = await skopeo(
      "inspect",
      "--raw",
      "--tls-verify=false",
      ...creds(registry, "--creds"),
      `docker://${registry.host}/${name}:1.0.0`,
    );
    expect(sha256(Buffer.from(raw))).toBe(artifact.manifestDescriptor.digest);
    const layoutDir = join(dir.path, "layout");
    await skopeo(
      "copy",
      "--src-tls-verify=false",
      ...creds(registry, "--src-creds"),
      `docker://${registry.host}/${name}:1.0.0`,
      `oci:${layoutDir}:1.0.0`,
    );
    const out = join(dir.path, "out.wasm");
    const pulled = await pullWasm(new OciLayout(layoutDir), "1.0.0", out);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
    expect(pulled.manifestDescriptor.digest).toBe(artifact.manifestDescriptor.digest);
  });

  it("we read what skopeo pushes from an oci: layout we wrote", async () => {
    await using dir = await tempDir("skopeo-write");
    const layoutDir = join(dir.path, "layout");
    const wasm = fakeComponent(20_000);
    const artifact = await publishWasm(new OciLayout(layoutDir), wasm, ["2.0.0"]);
    const name = repoName("skopeo-writes");
    await skopeo(
      "copy",
      "--dest-tls-verify=false",
      ...creds(registry, "--dest-creds"),
      `oci:${layoutDir}:2.0.0`,
      `docker://${registry.host}/${name}:2.0.0`,
    );
    const out = join(dir.path, "out.wasm");
    const repo = new RemoteRepository(registry.host, name, clientFor(registry));
    const pulled = await pullWasm(repo, "2.0.0", out);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
    expect(pulled.manifestDescriptor.mediaType).toBe(MEDIA_TYPES.ociManifest);
    expect(pulled.layer.digest).toBe(artifact.layerDescriptor.digest);
  });
});
