// From what a user types (a package name or a reference) to a store: the configured client, registry mapping and local store.
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { chainCredentials, defaultCredentials } from "./auth/credentials.js";
import { OciClient, type OciClientOptions } from "./client.js";
import type { Store } from "./content.js";
import { envPath, xdgHome } from "./env-paths.js";
import { OciError } from "./errors.js";
import { OciLayout } from "./layout/oci-layout.js";
import {
  loadRegistryConfig,
  type PackageSpec,
  packageReference,
  parsePackageSpec,
  type RegistryConfig,
  registryConfigCredentials,
  registryFor,
  selectVersion,
  sortTags,
} from "./packages.js";
import { formatReference, manifestReference, parseReference, type Reference } from "./reference.js";
import { semver } from "./semver.js";

/** The project file whose mapping overrides the user's wkg config (it travels with the project). */
export const PROJECT_REGISTRY_CONFIG = "wasm-compose.registry.toml";

/** Where the embedded local registry keeps packages when no registry is configured. */
export function defaultLocalRegistryDir(env: NodeJS.ProcessEnv = process.env): string {
  return envPath(env, "WASM_COMPOSE_LOCAL_REGISTRY") ?? join(xdgHome(env, "XDG_DATA_HOME"), "wasm-compose", "registry");
}

/** Options of {@link openEnvironment}. */
export interface EnvironmentOptions extends OciClientOptions {
  /** Project folder holding {@link PROJECT_REGISTRY_CONFIG}; default the current directory. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** wkg's config.toml; default `wkgConfigPath()`, false to ignore it. */
  wkgConfig?: string | false;
  /** The local registry folder; default {@link defaultLocalRegistryDir}. */
  localRegistryDir?: string;
}

/** `WASM_COMPOSE_TIMEOUT_MS`: milliseconds (0: no limit), or undefined for the default when unset. */
function timeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.WASM_COMPOSE_TIMEOUT_MS?.trim();
  if (!text) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new OciError(
      "INVALID_CONFIG",
      `WASM_COMPOSE_TIMEOUT_MS must be a number of milliseconds, not ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return Number(text);
}

/**
 * The project's registry file: in `cwd` or the nearest folder above it that has one (as git and
 * cargo find their files), so commands run in a sub-folder of the project resolve packages the
 * same way. Undefined when there is none.
 */
async function findProjectConfig(cwd: string): Promise<string | undefined> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const path = join(dir, PROJECT_REGISTRY_CONFIG);
    if (
      await stat(path).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return path;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A configured client with the registry configuration it resolves packages with. */
export interface Environment {
  client: OciClient;
  config: RegistryConfig;
  localRegistryDir: string;
}

/**
 * Builds the client the CLI uses: registry config from wkg and the project, credentials from the
 * environment, our file, Docker's config and wkg's config, plain-HTTP hosts from
 * `WASM_COMPOSE_INSECURE_REGISTRIES` (comma separated), offline from `WASM_COMPOSE_OFFLINE=1`, the
 * network timeout from `WASM_COMPOSE_TIMEOUT_MS`.
 */
export async function openEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const env = options.env ?? process.env;
  const config = await loadRegistryConfig({
    wkgConfig: options.wkgConfig ?? undefined,
    projectConfig: await findProjectConfig(options.cwd ?? process.cwd()),
    env,
  });
  const insecure = [
    ...(options.transport?.insecure ?? []),
    ...(env.WASM_COMPOSE_INSECURE_REGISTRIES ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
  const client = new OciClient({
    ...options,
    credentials: options.credentials ?? chainCredentials(defaultCredentials(env), registryConfigCredentials(config)),
    transport: { insecure },
    offline: options.offline ?? env.WASM_COMPOSE_OFFLINE === "1",
    timeoutMs: options.timeoutMs ?? timeoutFromEnv(env),
    // WASM_COMPOSE_DEBUG=1 (the CLI's --debug): every request and retry on stderr, URLs redacted.
    log:
      options.log ?? (env.WASM_COMPOSE_DEBUG === "1" ? (line) => process.stderr.write(`debug: ${line}\n`) : undefined),
  });
  return { client, config, localRegistryDir: options.localRegistryDir ?? defaultLocalRegistryDir(env) };
}

/** Where a package or reference lives: a remote repository (through the cache) or the local registry. */
export interface Target {
  kind: "remote" | "local";
  /** For remote targets the registry reference; for local ones `registry` is `local`. */
  reference: Reference;
  store: Store;
  /** The tag or digest to pull or publish. */
  manifest: string;
  /** Set when the text was a package name. */
  package?: PackageSpec;
}

function localTarget(env: Environment, spec: PackageSpec, tag: string): Target {
  const repository = `${spec.namespace}/${spec.name}`;
  return {
    kind: "local",
    reference: { registry: "local", repository, tag },
    store: new OciLayout(join(env.localRegistryDir, spec.namespace, spec.name)),
    manifest: tag,
    package: spec,
  };
}

/**
 * Resolves `ns:name[@req]` or a reference for pulling: package names go through the registry
 * configuration (highest tag matching the requirement), or the local registry when none is configured.
 */
export async function resolvePullTarget(env: Environment, text: string, registryOverride?: string): Promise<Target> {
  const spec = parsePackageSpec(text);
  if (!spec) {
    const reference = parseReference(text);
    return { kind: "remote", reference, store: env.client.store(reference), manifest: manifestReference(reference) };
  }
  const config = registryOverride
    ? { ...env.config, packageRegistryOverrides: { [`${spec.namespace}:${spec.name}`]: registryOverride } }
    : env.config;
  const reference = await env.client.resolvePackage(spec, config);
  if (reference) {
    return { kind: "remote", reference, store: env.client.store(reference), manifest: reference.tag!, package: spec };
  }
  const local = localTarget(env, spec, "");
  const tags = await local.store.listTags();
  const version = selectVersion(tags, spec.requirement);
  if (!version) {
    throw new OciError(
      "NO_MATCHING_VERSION",
      `no version of ${spec.namespace}:${spec.name} matches ${JSON.stringify(spec.requirement ?? "*")} in the local registry ` +
        `(${env.localRegistryDir}; tags: ${sortTags(tags).join(", ") || "none"}); no registry is configured for namespace ${spec.namespace}`,
    );
  }
  return localTarget(env, spec, version);
}

/** Resolves `ns:name@version` (an exact version) or a tagged reference for publishing. */
export async function resolvePublishTarget(env: Environment, text: string, registryOverride?: string): Promise<Target> {
  const spec = parsePackageSpec(text);
  if (!spec) {
    const reference = parseReference(text);
    if (reference.digest || !reference.tag) {
      throw new OciError(
        "INVALID_REFERENCE",
        `publish needs a tag, e.g. ${formatReference({ ...reference, tag: "1.0.0" })}`,
      );
    }
    return { kind: "remote", reference, store: env.client.remote(reference), manifest: reference.tag };
  }
  const version = spec.requirement;
  if (!version || semver().valid(version) !== version) {
    throw new OciError("INVALID_PACKAGE", `publish needs an exact version: ${spec.namespace}:${spec.name}@1.2.3`);
  }
  const target = registryOverride ?? registryFor(env.config, spec);
  if (target === undefined) return localTarget(env, spec, version);
  const mapping = await env.client.ociMapping(target);
  const reference = packageReference(spec, mapping, version);
  return { kind: "remote", reference, store: env.client.remote(reference), manifest: version, package: spec };
}
