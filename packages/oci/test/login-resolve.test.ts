// login (verify, then save) and the CLI-facing resolution: package names to the local registry or a configured one.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  defaultCredentials,
  login,
  openEnvironment,
  PROJECT_REGISTRY_CONFIG,
  publishWasm,
  pullWasm,
  resolvePublishTarget,
  resolvePullTarget,
} from "../src/index.js";
import { fakeComponent, repoName, tempDir } from "./helpers.js";

const registries = inject("registries");

describe("login", () => {
  it.each(["basic", "token"] as const)("saves accepted credentials and refuses wrong ones (%s)", async (mode) => {
    await using dir = await tempDir("login");
    const registry = registries[mode];
    const user = registry.users[0]!;
    const path = join(dir.path, "credentials.json");
    await expect(login(registry.host, { username: user.username, password: "wrong" }, { path })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(readFile(path)).rejects.toThrow();
    await login(registry.host, { username: user.username, password: user.password }, { path });
    const creds = defaultCredentials({ WASM_COMPOSE_CONFIG_DIR: dir.path, HOME: dir.path });
    expect(await creds(registry.host)).toEqual({ username: user.username, password: user.password });
  });
});

describe("publish and pull targets", () => {
  it("uses the local registry when no registry is configured", async () => {
    await using dir = await tempDir("local");
    const env = await openEnvironment({
      cwd: dir.path,
      wkgConfig: false,
      cacheDir: join(dir.path, "cache"),
      localRegistryDir: join(dir.path, "local"),
      env: {},
    });
    for (const v of ["0.1.0", "0.2.0", "0.2.1"]) {
      const target = await resolvePublishTarget(env, `demo:thing@${v}`);
      expect(target.kind).toBe("local");
      await publishWasm(target.store, fakeComponent(), [target.manifest]);
    }
    const pulled = await resolvePullTarget(env, "demo:thing@0.2");
    expect(pulled.kind).toBe("local");
    expect(pulled.manifest).toBe("0.2.1");
    await pullWasm(pulled.store, pulled.manifest, join(dir.path, "out.wasm"));
    await expect(resolvePublishTarget(env, "demo:thing@^1")).rejects.toMatchObject({ code: "INVALID_PACKAGE" });
    await expect(resolvePullTarget(env, "demo:thing@9")).rejects.toMatchObject({ code: "NO_MATCHING_VERSION" });
  });

  it("follows the project's registry mapping, and takes plain references too", async () => {
    await using dir = await tempDir("project");
    const registry = registries.anonymous;
    const ns = `p${Date.now().toString(36)}`;
    await writeFile(
      join(dir.path, PROJECT_REGISTRY_CONFIG),
      `[namespace_registries]\n${ns} = { registry = "${registry.host}", metadata = { oci = { registry = "${registry.host}", namespacePrefix = "oci-test/" } } }\n`,
    );
    const env = await openEnvironment({ cwd: dir.path, wkgConfig: false, cacheDir: join(dir.path, "cache"), env: {} });
    const wasm = fakeComponent();
    const target = await resolvePublishTarget(env, `${ns}:lib@1.0.0`);
    expect(target.reference).toEqual({ registry: registry.host, repository: `oci-test/${ns}/lib`, tag: "1.0.0" });
    await publishWasm(target.store, wasm, [target.manifest]);
    const pulled = await resolvePullTarget(env, `${ns}:lib`);
    expect(pulled.manifest).toBe("1.0.0");
    const out = join(dir.path, "out.wasm");
    await pullWasm(pulled.store, pulled.manifest, out);
    expect(new Uint8Array(await readFile(out))).toEqual(wasm);
    // From a sub-folder of the project, the project's file is found above it.
    const sub = join(dir.path, "src", "deep");
    await mkdir(sub, { recursive: true });
    const fromSub = await openEnvironment({ cwd: sub, wkgConfig: false, cacheDir: join(dir.path, "cache"), env: {} });
    expect((await resolvePullTarget(fromSub, `${ns}:lib`)).reference.repository).toBe(`oci-test/${ns}/lib`);

    // Offline, the same package resolves from the cache: the project mapping, cached tags and content.
    const offline = await openEnvironment({
      cwd: dir.path,
      wkgConfig: false,
      cacheDir: join(dir.path, "cache"),
      offline: true,
      env: {},
    });
    const again = await resolvePullTarget(offline, `${ns}:lib@1`);
    expect(again.manifest).toBe("1.0.0");
    await pullWasm(again.store, again.manifest, join(dir.path, "offline.wasm"));
    expect(new Uint8Array(await readFile(join(dir.path, "offline.wasm")))).toEqual(wasm);

    const name = repoName("plain-ref");
    const byRef = await resolvePublishTarget(env, `${registry.host}/${name}:3.0.0`);
    await publishWasm(byRef.store, wasm, [byRef.manifest]);
    const pullRef = await resolvePullTarget(env, `${registry.host}/${name}:3.0.0`);
    await pullWasm(pullRef.store, pullRef.manifest, join(dir.path, "ref.wasm"));
    await expect(resolvePublishTarget(env, `${registry.host}/${name}`)).rejects.toMatchObject({
      code: "INVALID_REFERENCE",
    });
  });
});
