// Package names to references: wkg config.toml, discovery, project overrides, Cargo-like semver over tags.

import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import {
  discoverRegistry,
  loadRegistryConfig,
  OciClient,
  ociMappingFromMetadata,
  packageReference,
  parsePackageSpec,
  parseRegistryConfig,
  publishWasm,
  registryFor,
  selectVersion,
  sortTags,
  staticCredentials,
} from "../src/index.js";
import { fakeComponent, repoName, tempDir } from "./helpers.js";

const registries = inject("registries");
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe("package specs", () => {
  it("parses ns:name with and without a requirement", () => {
    expect(parsePackageSpec("wasi:http")).toEqual({ namespace: "wasi", name: "http" });
    expect(parsePackageSpec("my-ns:my-pkg@^0.2")).toEqual({ namespace: "my-ns", name: "my-pkg", requirement: "^0.2" });
    expect(parsePackageSpec("ghcr.io/a/b:1")).toBeUndefined();
    expect(parsePackageSpec("Wasi:http")).toBeUndefined();
  });

  it("maps to <registry>/<prefix><ns>/<name>", () => {
    expect(
      packageReference(
        { namespace: "wasi", name: "http" },
        { registry: "ghcr.io", namespacePrefix: "webassembly/" },
        "0.2.0",
      ),
    ).toEqual({
      registry: "ghcr.io",
      repository: "webassembly/wasi/http",
      tag: "0.2.0",
    });
  });
});

describe("registry configuration", () => {
  const toml = `
default_registry = "example.com"

[namespace_registries]
wasi = "wasi.dev"
acme = { registry = "acme.dev", metadata = { oci = { registry = "ghcr.io", namespacePrefix = "acme/" } } }

[package_registry_overrides]
"wasi:special" = "special.dev"

[registry."wasi.dev".oci]
auth = { username = "open", password = "sesame" }
`;

  it("reads wkg's config.toml and resolves in override, namespace, default order", () => {
    const config = parseRegistryConfig(toml);
    expect(registryFor(config, { namespace: "wasi", name: "special" })).toBe("special.dev");
    expect(registryFor(config, { namespace: "wasi", name: "http" })).toBe("wasi.dev");
    expect(registryFor(config, { namespace: "other", name: "x" })).toBe("example.com");
    expect(registryFor(config, { namespace: "acme", name: "x" })).toMatchObject({ registry: "acme.dev" });
    expect(config.registries["wasi.dev"]?.oci?.auth).toEqual({ username: "open", password: "sesame" });
  });

  it("lets a project's file override the user's", async () => {
    await using dir = await tempDir("config");
    await writeFile(join(dir.path, "wkg.toml"), toml);
    await writeFile(join(dir.path, "project.toml"), '[namespace_registries]\nwasi = "mirror.example.com"\n');
    const config = await loadRegistryConfig({
      wkgConfig: join(dir.path, "wkg.toml"),
      projectConfig: join(dir.path, "project.toml"),
    });
    expect(registryFor(config, { namespace: "wasi", name: "http" })).toBe("mirror.example.com");
    expect(config.defaultRegistry).toBe("example.com");
    const none = await loadRegistryConfig({ wkgConfig: join(dir.path, "missing.toml") });
    expect(registryFor(none, { namespace: "wasi", name: "http" })).toBeUndefined();
  });

  it("reports invalid TOML with the file name", () => {
    expect(() => parseRegistryConfig("default_registry = [", "cfg.toml")).toThrow(/cfg.toml/);
  });

  it("reads registry.json in its current and older shapes", () => {
    expect(
      ociMappingFromMetadata("bytecodealliance.org", {
        oci: { registry: "ghcr.io", namespacePrefix: "bytecodealliance/" },
      }),
    ).toEqual({
      registry: "ghcr.io",
      namespacePrefix: "bytecodealliance/",
    });
    expect(ociMappingFromMetadata("x.dev", { ociRegistry: "ghcr.io", ociNamespacePrefix: "x/" })).toEqual({
      registry: "ghcr.io",
      namespacePrefix: "x/",
    });
    expect(ociMappingFromMetadata("x.dev", {})).toEqual({ registry: "x.dev" });
    expect(() => ociMappingFromMetadata("x.dev", { preferredProtocol: "warg", warg: { url: "https://x" } })).toThrow(
      /warg/,
    );
  });

  it("refuses an OCI registry that is not host[:port] from registry.json, inline metadata or the remembered discovery", async () => {
    for (const bad of ["ghcr.io/../..", "..", "ghcr.io/x", "a b", ""]) {
      expect(() => ociMappingFromMetadata("x.dev", { oci: { registry: bad } })).toThrow(/invalid OCI registry/);
      expect(() => packageReference({ namespace: "a", name: "b" }, { registry: bad })).toThrow();
    }
    await using dir = await tempDir("mapping-check");
    const client = new OciClient({ cacheDir: dir.path, credentials: staticCredentials({}) });
    await expect(
      client.ociMapping({ registry: "x.dev", metadata: { oci: { registry: "127.0.0.1:1/../../.." } } }),
    ).rejects.toMatchObject({ code: "INVALID_CONFIG" });
    await expect(client.ociMapping("x.dev/../..")).rejects.toMatchObject({ code: "INVALID_CONFIG" });
    // Offline, the mapping remembered in the cache is read back, and checked the same way.
    await mkdir(join(dir.path, ".discovery"), { recursive: true });
    await writeFile(join(dir.path, ".discovery", "x.dev.json"), JSON.stringify({ registry: "127.0.0.1:1/../.." }));
    const offline = new OciClient({ cacheDir: dir.path, offline: true, credentials: staticCredentials({}) });
    await expect(offline.ociMapping("x.dev")).rejects.toMatchObject({ code: "INVALID_CONFIG" });
  });

  it("discovers through /.well-known/wasm-pkg/registry.json, and falls back to the host itself", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/.well-known/wasm-pkg/registry.json") {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ preferredProtocol: "oci", oci: { registry: "127.0.0.1:1", namespacePrefix: "p/" } }));
      } else res.writeHead(404).end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await discoverRegistry(host)).toEqual({ registry: "127.0.0.1:1", namespacePrefix: "p/" });
    // Unreachable is an error of its own (not "no registry.json"); the client then uses the mapping
    // it found before, or the host itself, and remembers nothing from the failed attempt.
    await expect(discoverRegistry("127.0.0.1:9")).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    await using dir = await tempDir("discovery-down");
    const heard: string[] = [];
    const client = new OciClient({ cacheDir: dir.path, onCacheFallback: (m) => heard.push(m) });
    expect(await client.ociMapping(host)).toEqual({ registry: "127.0.0.1:1", namespacePrefix: "p/" });
    expect(await client.ociMapping("127.0.0.1:9")).toEqual({ registry: "127.0.0.1:9" });
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    expect(await client.ociMapping(host)).toEqual({ registry: "127.0.0.1:1", namespacePrefix: "p/" });
    expect(heard).toEqual([
      expect.stringMatching(new RegExp(`^${host} could not be reached .*; using its registry\\.json as found before$`)),
    ]);
  });
});

describe("versions", () => {
  const tags = ["latest", "0.1.0", "0.2.0", "0.2.5", "1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1", "v3.0.0", "sha256-abc"];

  it("sorts semver tags numerically and puts the rest last", () => {
    expect(sortTags(tags)).toEqual([
      "0.1.0",
      "0.2.0",
      "0.2.5",
      "1.0.0",
      "1.2.0",
      "1.10.0",
      "2.0.0-rc.1",
      "latest",
      "sha256-abc",
      "v3.0.0",
    ]);
  });

  it.each([
    [undefined, "1.10.0"],
    ["1", "1.10.0"],
    ["1.2", "1.10.0"],
    ["0.2", "0.2.5"],
    ["0.2.0", "0.2.5"],
    ["=0.2.0", "0.2.0"],
    ["~1.2", "1.2.0"],
    [">=0.2, <1", "0.2.5"],
    ["^2.0.0-rc.1", "2.0.0-rc.1"],
    ["3", undefined],
  ])("requirement %j takes %j", (req, expected) => {
    expect(selectVersion(tags, req)).toBe(expected);
  });
});

describe("resolving packages against a registry", () => {
  it("picks the highest matching tag through the client", async () => {
    const registry = registries.basic;
    const user = registry.users[0]!;
    const client = new OciClient({
      cacheDir: false,
      credentials: staticCredentials({ [registry.host]: { username: user.username, password: user.password } }),
    });
    const ns = repoName("pkg")
      .replace("/", "-")
      .replace(/[^a-z0-9-]/g, "-");
    const repo = client.remote({ registry: registry.host, repository: `prefix/${ns}/thing` });
    for (const v of ["0.1.0", "0.1.3", "0.2.0", "junk"]) await publishWasm(repo, fakeComponent(100), [v]);
    const config = parseRegistryConfig(
      `[namespace_registries]\n"${ns}" = { registry = "unused.example", metadata = { oci = { registry = "${registry.host}", namespacePrefix = "prefix/" } } }\n`,
    );
    const ref = await client.resolvePackage({ namespace: ns, name: "thing", requirement: "0.1" }, config);
    expect(ref).toEqual({ registry: registry.host, repository: `prefix/${ns}/thing`, tag: "0.1.3" });
    await expect(
      client.resolvePackage({ namespace: ns, name: "thing", requirement: "5" }, config),
    ).rejects.toMatchObject({
      code: "NO_MATCHING_VERSION",
    });
    expect(await client.resolvePackage({ namespace: "unmapped", name: "x" }, parseRegistryConfig(""))).toBeUndefined();
  });
});
