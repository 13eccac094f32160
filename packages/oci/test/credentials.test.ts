// Credentials from Docker's config.json (auths, credsStore, credHelpers), the environment and our own file.
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  AuthClient,
  credentialFromDockerConfig,
  defaultCredentials,
  environmentCredentials,
  OciError,
  publishWasm,
  RemoteRepository,
  removeCredential,
  saveCredential,
} from "../src/index.js";
import { fakeComponent, repoName, tempDir } from "./helpers.js";

const registries = inject("registries");
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Writes `docker-credential-<name>` answering from a fixed table, and records the server URLs asked for. */
async function fakeHelper(dir: string, name: string, table: Record<string, { Username: string; Secret: string }>) {
  const script = join(dir, `docker-credential-${name}`);
  const log = join(dir, `${name}.log`);
  await writeFile(
    script,
    `#!/usr/bin/env node
const table = ${JSON.stringify(table)};
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  require("node:fs").appendFileSync(${JSON.stringify(log)}, input.trim() + "\\n");
  const entry = table[input.trim()];
  if (!entry) { process.stdout.write("credentials not found in native keychain\\n"); process.exit(1); }
  process.stdout.write(JSON.stringify({ ServerURL: input.trim(), ...entry }));
});
`,
  );
  await chmod(script, 0o755);
  return { log: async () => (await readFile(log, "utf8")).trim().split("\n") };
}

async function withPath<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const old = process.env.PATH;
  process.env.PATH = `${dir}:${old}`;
  try {
    return await f();
  } finally {
    process.env.PATH = old;
  }
}

describe("Docker config.json", () => {
  it("reads auths under the bare host, the https:// form and Docker Hub's legacy key", async () => {
    const config = {
      auths: {
        "ghcr.io": { auth: b64("alice:pw1") },
        "https://quay.io": { auth: b64("bob:pw:with:colons") },
        "https://index.docker.io/v1/": { auth: b64("carol:pw3") },
        "id.example.com": { identitytoken: "refresh-me" },
      },
    };
    expect(await credentialFromDockerConfig(config, "ghcr.io")).toEqual({ username: "alice", password: "pw1" });
    expect(await credentialFromDockerConfig(config, "quay.io")).toEqual({
      username: "bob",
      password: "pw:with:colons",
    });
    expect(await credentialFromDockerConfig(config, "docker.io")).toEqual({ username: "carol", password: "pw3" });
    expect(await credentialFromDockerConfig(config, "id.example.com")).toEqual({ identityToken: "refresh-me" });
    expect(await credentialFromDockerConfig(config, "other.io")).toBeUndefined();
  });

  it("runs credHelpers per host and credsStore otherwise, trying the bare host then https://", async () => {
    await using dir = await tempDir("helpers");
    const per = await fakeHelper(dir.path, "perhost", { "ghcr.io": { Username: "u1", Secret: "s1" } });
    const store = await fakeHelper(dir.path, "store", {
      "https://quay.io": { Username: "u2", Secret: "s2" },
      "tok.example.com": { Username: "<token>", Secret: "refresh" },
    });
    const config = { credHelpers: { "ghcr.io": "perhost" }, credsStore: "store" };
    await withPath(dir.path, async () => {
      expect(await credentialFromDockerConfig(config, "ghcr.io")).toEqual({ username: "u1", password: "s1" });
      expect(await credentialFromDockerConfig(config, "quay.io")).toEqual({ username: "u2", password: "s2" });
      expect(await credentialFromDockerConfig(config, "tok.example.com")).toEqual({ identityToken: "refresh" });
      expect(await credentialFromDockerConfig(config, "none.example.com")).toBeUndefined();
    });
    expect(await per.log()).toEqual(["ghcr.io"]);
    expect(await store.log()).toEqual([
      "quay.io",
      "https://quay.io",
      "tok.example.com",
      "none.example.com",
      "https://none.example.com",
    ]);
  });

  it("reports a helper that cannot run, without secrets", async () => {
    const err = (await credentialFromDockerConfig({ credsStore: "does-not-exist-xyz" }, "ghcr.io").catch(
      (e: unknown) => e,
    )) as OciError;
    expect(err).toBeInstanceOf(OciError);
    expect(err.code).toBe("CREDENTIAL_HELPER_FAILED");
    expect(err.message).toContain("docker-credential-does-not-exist-xyz");
  });
});

describe("environment and our own file", () => {
  it("uses environment credentials only for the named host", async () => {
    const env = {
      WASM_COMPOSE_REGISTRY_HOST: "ghcr.io",
      WASM_COMPOSE_REGISTRY_USERNAME: "u",
      WASM_COMPOSE_REGISTRY_PASSWORD: "p",
    };
    expect(await environmentCredentials(env)("ghcr.io")).toEqual({ username: "u", password: "p" });
    expect(await environmentCredentials(env)("evil.example.com")).toBeUndefined();
  });

  it("saves (mode 0600) and removes logins; ours win over Docker's", async () => {
    await using dir = await tempDir("own");
    const env = {
      WASM_COMPOSE_CONFIG_DIR: join(dir.path, "wc"),
      DOCKER_CONFIG: join(dir.path, "docker"),
      HOME: dir.path,
    };
    await saveCredential(
      "ghcr.io",
      { username: "mine", password: "pw" },
      join(env.WASM_COMPOSE_CONFIG_DIR, "credentials.json"),
    );
    await mkdir(env.DOCKER_CONFIG, { recursive: true });
    await writeFile(
      join(env.DOCKER_CONFIG, "config.json"),
      JSON.stringify({ auths: { "ghcr.io": { auth: b64("docker:pw") }, "quay.io": { auth: b64("dq:pw") } } }),
    );
    const creds = defaultCredentials(env);
    expect(await creds("ghcr.io")).toEqual({ username: "mine", password: "pw" });
    expect(await creds("quay.io")).toEqual({ username: "dq", password: "pw" });
    const file = join(env.WASM_COMPOSE_CONFIG_DIR, "credentials.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await removeCredential("ghcr.io", file)).toBe(true);
    expect(await creds("ghcr.io")).toEqual({ username: "docker", password: "pw" });
  });

  it("authenticates against the real registry from a Docker config file", async () => {
    await using dir = await tempDir("docker-real");
    const registry = registries.basic;
    const user = registry.users[0]!;
    await writeFile(
      join(dir.path, "config.json"),
      JSON.stringify({ auths: { [`https://${registry.host}`]: { auth: b64(`${user.username}:${user.password}`) } } }),
    );
    const client = new AuthClient({ credentials: defaultCredentials({ DOCKER_CONFIG: dir.path, HOME: dir.path }) });
    const repo = new RemoteRepository(registry.host, repoName("docker-config"), client);
    await publishWasm(repo, fakeComponent(), ["1.0.0"]);
    expect(await repo.listTags()).toEqual(["1.0.0"]);
  });
});
