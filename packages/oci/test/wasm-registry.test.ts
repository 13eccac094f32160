// Publishing and pulling the Wasm artifact through the real registry, in each auth mode.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  AuthClient,
  MEDIA_TYPES,
  OciError,
  type ProgressEvent,
  publishWasm,
  pullWasm,
  RemoteRepository,
  sha256,
  staticCredentials,
  WASM_CONFIG_MEDIA_TYPE,
} from "../src/index.js";
import { clientFor, fakeComponent, repoName, tempDir } from "./helpers.js";

const registries = inject("registries");

describe.each(["anonymous", "basic", "token"] as const)("Wasm artifact round trip (%s registry)", (mode) => {
  const registry = registries[mode];

  it("publishes a component and pulls the same bytes back", async () => {
    await using dir = await tempDir("roundtrip");
    const repo = new RemoteRepository(registry.host, repoName("roundtrip"), clientFor(registry));
    const wasm = fakeComponent(10_000);
    const artifact = await publishWasm(repo, wasm, ["1.0.0"], {
      component: { exports: ["example:adder/add@0.1.0"], imports: [], target: "example:adder/adder@0.1.0" },
      annotations: { "org.opencontainers.image.version": "1.0.0" },
    });
    const out = join(dir.path, "out.wasm");
    const events: ProgressEvent[] = [];
    const pulled = await pullWasm(repo, "1.0.0", out, { onProgress: (e) => events.push(e) });
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
    expect(pulled.manifestDescriptor.digest).toBe(artifact.manifestDescriptor.digest);
    expect(pulled.config.component?.exports).toEqual(["example:adder/add@0.1.0"]);
    expect(pulled.manifest.config.mediaType).toBe(WASM_CONFIG_MEDIA_TYPE);
    // Config and layer download at the same time: look at the layer's own events.
    const layerEvents = events.filter((e) => e.digest === sha256(wasm));
    expect(layerEvents.at(-1)).toEqual({ digest: sha256(wasm), done: wasm.byteLength, total: wasm.byteLength });
  });

  it("uploads in chunks with the newest Location and finishes with &digest=", async () => {
    const repo = new RemoteRepository(registry.host, repoName("chunked"), clientFor(registry), {
      chunkSize: 64 * 1024,
    });
    const wasm = fakeComponent(300_000);
    await publishWasm(repo, wasm, ["0.1.0"]);
    const layer = { mediaType: "application/wasm", digest: sha256(wasm), size: wasm.byteLength };
    expect(
      Buffer.from(
        await new RemoteRepository(registry.host, repo.repository, clientFor(registry), {
          maxManifestBytes: 1 << 20,
        }).fetchBlob(layer),
      ),
    ).toEqual(Buffer.from(wasm));
  });

  it("streams a file from disk, monolithic and chunked, reporting upload progress", async () => {
    await using dir = await tempDir("file-upload");
    const wasm = fakeComponent(250_000);
    const path = join(dir.path, "c.wasm");
    await writeFile(path, wasm);
    for (const chunkSize of [0, 100_000]) {
      const repo = new RemoteRepository(registry.host, repoName("file"), clientFor(registry), { chunkSize });
      const events: ProgressEvent[] = [];
      await publishWasm(repo, { path }, ["1.0.0"], { onProgress: (e) => events.push(e) });
      const layer = events.filter((e) => e.digest === sha256(wasm));
      expect(layer.at(-1)).toEqual({ digest: sha256(wasm), done: wasm.byteLength, total: wasm.byteLength });
      expect(layer.every((e, i) => i === 0 || e.done >= layer[i - 1]!.done)).toBe(true);
      const out = join(dir.path, `out-${chunkSize}.wasm`);
      await pullWasm(repo, "1.0.0", out);
      expect(new Uint8Array(await readFile(out))).toEqual(wasm);
    }
  });

  it("skips blobs the registry already has and mounts across repositories", async () => {
    const client = clientFor(registry);
    const source = new RemoteRepository(registry.host, repoName("mount-src"), client);
    const target = new RemoteRepository(registry.host, repoName("mount-dst"), client);
    const wasm = fakeComponent();
    const desc = { mediaType: "application/wasm", digest: sha256(wasm), size: wasm.byteLength };
    await source.pushBlob(desc, wasm);
    await source.pushBlob(desc, wasm); // HEAD says it exists: no second upload
    await target.pushBlob(desc, wasm, { mountFrom: source.repository });
    expect(await target.hasBlob(desc.digest)).toBe(true);
  });

  it("lists tags, resolves and deletes by digest", async () => {
    const repo = new RemoteRepository(registry.host, repoName("tags"), clientFor(registry));
    const wasm = fakeComponent();
    const a = await publishWasm(repo, wasm, ["1.0.0", "latest"], { created: "2024-01-01T00:00:00Z" });
    expect((await repo.listTags()).sort()).toEqual(["1.0.0", "latest"]);
    const resolved = await repo.resolve("latest");
    expect(resolved).toEqual(a.manifestDescriptor);
    await repo.deleteManifest(resolved.digest);
    await expect(repo.fetchManifest(resolved.digest)).rejects.toMatchObject({ code: "MANIFEST_UNKNOWN" });
  });

  it("reports a missing tag as MANIFEST_UNKNOWN", async () => {
    const repo = new RemoteRepository(registry.host, repoName("missing"), clientFor(registry));
    const err = await repo.fetchManifest("nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OciError);
    expect((err as OciError).code).toBe("MANIFEST_UNKNOWN");
  });

  it("finds referrers through the sha256-<hex> fallback tag", async () => {
    const repo = new RemoteRepository(registry.host, repoName("referrers"), clientFor(registry));
    const subject = await publishWasm(repo, fakeComponent(), ["1.0.0"]);
    const empty = Buffer.from("{}");
    await repo.pushBlob({ mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 }, empty);
    const signature = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        artifactType: "application/vnd.example.signature",
        config: { mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 },
        layers: [{ mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 }],
        subject: subject.manifestDescriptor,
      }),
    );
    const pushed = await repo.pushManifest(signature, MEDIA_TYPES.ociManifest);
    const found = await repo.referrers(subject.manifestDescriptor.digest);
    expect(found.map((d) => d.digest)).toEqual([pushed.digest]);
    expect(await repo.referrers(subject.manifestDescriptor.digest, "application/other")).toEqual([]);
  });
});

describe("auth rules", () => {
  it("refuses to push anonymously where an account is needed", async () => {
    for (const mode of ["basic", "token"] as const) {
      const registry = registries[mode];
      const repo = new RemoteRepository(registry.host, repoName("anon-push"), clientFor({ ...registry, users: [] }));
      const err = await publishWasm(repo, fakeComponent(), ["1.0.0"]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OciError);
      expect(["UNAUTHORIZED", "DENIED"]).toContain((err as OciError).code);
    }
  });

  it("pulls anonymously from the token registry after wrong credentials are rejected", async () => {
    const registry = registries.token;
    const repoNameValue = repoName("anon-retry");
    await publishWasm(new RemoteRepository(registry.host, repoNameValue, clientFor(registry)), fakeComponent(), [
      "1.0.0",
    ]);
    const wrong = clientFor({ ...registry, users: [{ username: "tester", password: "wrong-password" }] });
    const repo = new RemoteRepository(registry.host, repoNameValue, wrong);
    expect((await repo.resolve("1.0.0")).mediaType).toBe(MEDIA_TYPES.ociManifest);
  });

  it("never puts the password in an error message", async () => {
    const registry = registries.basic;
    const secret = "s3cret-do-not-leak";
    const repo = new RemoteRepository(
      registry.host,
      repoName("leak"),
      clientFor({ ...registry, users: [{ username: "tester", password: secret }] }),
    );
    const err = (await repo.listTags().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(OciError);
    expect(`${err.message} ${err.stack}`).not.toContain(secret);
    expect(`${err.message}`).not.toContain(Buffer.from(`tester:${secret}`).toString("base64"));
  });

  it.each(["basic", "token"] as const)("keeps secrets out of the request log (%s)", async (mode) => {
    const registry = registries[mode];
    const user = registry.users[0]!;
    const lines: string[] = [];
    const repo = new RemoteRepository(
      registry.host,
      repoName("log"),
      clientFor(registry, { log: (m) => lines.push(m) }),
    );
    await publishWasm(repo, fakeComponent(), ["1.0.0"]);
    await repo.listTags();
    expect(lines.length).toBeGreaterThan(3);
    const all = lines.join("\n");
    expect(all).not.toContain(user.password);
    expect(all).not.toContain(Buffer.from(`${user.username}:${user.password}`).toString("base64"));
    expect(all).not.toMatch(/Bearer|Basic|eyJ|_state=/);
  });

  it("exchanges an identity (refresh) token at the token endpoint", async () => {
    const registry = registries.token;
    const user = registry.users[0]!;
    const query = new URLSearchParams({ service: registry.tokenServer!.service, offline_token: "true" });
    const res = await fetch(`${registry.tokenServer!.realm}?${query}`, {
      headers: { authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}` },
    });
    const { refresh_token } = (await res.json()) as { refresh_token: string };
    expect(refresh_token).toBeTruthy();
    const client = new AuthClient({
      credentials: staticCredentials({ [registry.host]: { identityToken: refresh_token } }),
    });
    const repo = new RemoteRepository(registry.host, repoName("identity"), client);
    await publishWasm(repo, fakeComponent(), ["1.0.0"]);
    expect(await repo.listTags()).toEqual(["1.0.0"]);
  });
});
