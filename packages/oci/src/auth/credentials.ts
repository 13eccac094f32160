// Registry credentials: Docker config.json (auths, credsStore, credHelpers), environment variables, our own file.
import { spawn } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { envPath, xdgHome } from "../env-paths.js";
import { OciError } from "../errors.js";
import { writeFileAtomic } from "../fs-atomic.js";

/** What a registry login gives: a username and password, or an identity (OAuth2 refresh) token. */
export interface Credential {
  username?: string;
  password?: string;
  /** OAuth2 refresh token, exchanged at the token endpoint (Docker's `identitytoken`). */
  identityToken?: string;
}

/** Looks up credentials for a registry host (`host[:port]`); undefined when there are none. */
export type CredentialProvider = (registry: string) => Promise<Credential | undefined>;

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** The parts of Docker's config.json that hold credentials. */
export interface DockerConfig {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The keys a host may be stored under: bare, with https:// or http://, and Docker Hub's legacy URL. */
export function credentialKeys(registry: string): string[] {
  const keys = [registry, `https://${registry}`, `http://${registry}`];
  if (registry === "docker.io") keys.push("https://index.docker.io/v1/", "index.docker.io", "registry-1.docker.io");
  return keys;
}

function fromAuthEntry(entry: DockerAuthEntry): Credential | undefined {
  if (entry.identitytoken) {
    return { identityToken: entry.identitytoken, ...(entry.username ? { username: entry.username } : {}) };
  }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return undefined;
    return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
  }
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** Runs `docker-credential-<helper> get` with the server URL on stdin. Undefined when it has none. */
export async function runCredentialHelper(helper: string, serverUrl: string): Promise<Credential | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) {
    throw new OciError("CREDENTIAL_HELPER_FAILED", `invalid credential helper name ${JSON.stringify(helper)}`);
  }
  const program = `docker-credential-${helper}`;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(program, ["get"], { stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      child.on("error", (e) =>
        reject(new OciError("CREDENTIAL_HELPER_FAILED", `cannot run ${program}: ${e.message}`, { cause: e })),
      );
      child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
      child.stdin.end(serverUrl);
    },
  );
  if (code !== 0) {
    const message = (stdout + stderr).trim();
    if (/credentials not found/i.test(message)) return undefined;
    // Helpers print only their own messages here, never the secret; still keep it short.
    throw new OciError("CREDENTIAL_HELPER_FAILED", `${program} get failed (exit ${code}): ${message.slice(0, 200)}`);
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new OciError("CREDENTIAL_HELPER_FAILED", `${program} get printed something that is not JSON`);
  }
  if (!parsed.Secret) return undefined;
  if (parsed.Username === "<token>") return { identityToken: parsed.Secret };
  return { username: parsed.Username ?? "", password: parsed.Secret };
}

/** Credentials from a parsed Docker config: credHelpers, then auths, then credsStore. */
export async function credentialFromDockerConfig(
  config: DockerConfig,
  registry: string,
): Promise<Credential | undefined> {
  const keys = credentialKeys(registry);
  for (const key of keys) {
    const helper = config.credHelpers?.[key];
    if (helper) return lookupWithHelper(helper, registry);
  }
  for (const key of keys) {
    const entry = config.auths?.[key];
    const cred = entry && fromAuthEntry(entry);
    if (cred) return cred;
  }
  if (config.credsStore) return lookupWithHelper(config.credsStore, registry);
  return undefined;
}

async function lookupWithHelper(helper: string, registry: string): Promise<Credential | undefined> {
  for (const url of [
    registry,
    `https://${registry}`,
    ...(registry === "docker.io" ? ["https://index.docker.io/v1/"] : []),
  ]) {
    const cred = await runCredentialHelper(helper, url);
    if (cred) return cred;
  }
  return undefined;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new OciError("INVALID_CONFIG", `${path} is not valid JSON`);
  }
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(envPath(env, "DOCKER_CONFIG") ?? join(homedir(), ".docker"), "config.json");
}

/** Our own credentials file: `$WASM_COMPOSE_CONFIG_DIR/credentials.json` or `~/.config/wasm-compose/credentials.json`. */
export function ownCredentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = envPath(env, "WASM_COMPOSE_CONFIG_DIR") ?? join(xdgHome(env, "XDG_CONFIG_HOME"), "wasm-compose");
  return join(base, "credentials.json");
}

/**
 * Credentials from `WASM_COMPOSE_REGISTRY_USERNAME`/`_PASSWORD` (or `_TOKEN` for an identity token),
 * used only for the host named by `WASM_COMPOSE_REGISTRY_HOST`, so they never go to another registry.
 */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): CredentialProvider {
  return async (registry) => {
    const host = env.WASM_COMPOSE_REGISTRY_HOST;
    if (!host || host.toLowerCase() !== registry.toLowerCase()) return undefined;
    if (env.WASM_COMPOSE_REGISTRY_TOKEN) return { identityToken: env.WASM_COMPOSE_REGISTRY_TOKEN };
    if (env.WASM_COMPOSE_REGISTRY_USERNAME !== undefined && env.WASM_COMPOSE_REGISTRY_PASSWORD !== undefined) {
      return { username: env.WASM_COMPOSE_REGISTRY_USERNAME, password: env.WASM_COMPOSE_REGISTRY_PASSWORD };
    }
    return undefined;
  };
}

/** Credentials from a Docker-shaped config file (ours or Docker's); re-read on every lookup. */
export function fileCredentials(path: string): CredentialProvider {
  return async (registry) => {
    const config = await readJson<DockerConfig>(path);
    return config ? credentialFromDockerConfig(config, registry) : undefined;
  };
}

/** The first provider that has credentials wins. */
export function chainCredentials(...providers: CredentialProvider[]): CredentialProvider {
  return async (registry) => {
    for (const p of providers) {
      const cred = await p(registry);
      if (cred) return cred;
    }
    return undefined;
  };
}

/** Fixed credentials per host, for programs and tests. */
export function staticCredentials(byHost: Record<string, Credential>): CredentialProvider {
  return async (registry) => byHost[registry];
}

/** The default lookup: environment, then our own file, then Docker's config. */
export function defaultCredentials(env: NodeJS.ProcessEnv = process.env): CredentialProvider {
  return chainCredentials(
    environmentCredentials(env),
    fileCredentials(ownCredentialsPath(env)),
    fileCredentials(dockerConfigPath(env)),
  );
}

/** Stores credentials for a host in our own file (mode 0600), as `wasm-compose login` does. */
export async function saveCredential(registry: string, cred: Credential, path = ownCredentialsPath()): Promise<void> {
  const config = (await readJson<DockerConfig>(path)) ?? {};
  config.auths ??= {};
  const entry: DockerAuthEntry = {};
  if (cred.identityToken) entry.identitytoken = cred.identityToken;
  if (cred.username !== undefined && cred.password !== undefined) {
    entry.auth = Buffer.from(`${cred.username}:${cred.password}`).toString("base64");
  } else if (cred.username !== undefined) entry.username = cred.username;
  config.auths[registry] = entry;
  await writePrivate(path, config);
}

/** Removes a host from our own file; true when it was there. */
export async function removeCredential(registry: string, path = ownCredentialsPath()): Promise<boolean> {
  const config = await readJson<DockerConfig>(path);
  if (!config?.auths) return false;
  let found = false;
  for (const key of credentialKeys(registry)) {
    if (key in config.auths) {
      delete config.auths[key];
      found = true;
    }
  }
  if (found) await writePrivate(path, config);
  return found;
}

/** Replaces the file atomically, readable by its owner only (a temporary file is removed on failure). */
async function writePrivate(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, 0o600);
}
