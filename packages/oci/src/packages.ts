// Package names to references: ns:name@req through wkg's config.toml, registry.json discovery, project overrides, semver.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Range } from "semver";
import { parse as parseToml } from "smol-toml";
import { anySignal, scopeSignal } from "./abort-scope.js";
import type { CredentialProvider } from "./auth/credentials.js";
import { envPath, xdgHome } from "./env-paths.js";
import { OciError } from "./errors.js";
import { discardBody, type HttpFetch, type HttpResponse } from "./http.js";
import {
  assertTransportAllowed,
  isValidRegistry,
  isValidRepository,
  plainHttpAllowed,
  type Reference,
  type TransportPolicy,
} from "./reference.js";
import { isNetworkError } from "./retry.js";
import { semver } from "./semver.js";
import { createNodeFetch } from "./transport.js";

/** `ns:name` with an optional version requirement. */
export interface PackageSpec {
  namespace: string;
  name: string;
  /** The requirement after `@`, as written (`1.2`, `^0.2.0`, `>=1, <2`); undefined means any release. */
  requirement?: string;
}

const LABEL = "[a-z][a-z0-9]*(?:-[a-z0-9]+)*";
const PACKAGE_RE = new RegExp(`^(${LABEL}):(${LABEL})(?:@(.+))?$`);

/** Parses `ns:name[@requirement]`; undefined when the text is not a package name (e.g. a reference). */
export function parsePackageSpec(text: string): PackageSpec | undefined {
  const m = PACKAGE_RE.exec(text.trim());
  if (!m) return undefined;
  const spec: PackageSpec = { namespace: m[1]!, name: m[2]! };
  if (m[3] !== undefined) spec.requirement = m[3];
  return spec;
}

/** Where a registry's packages live in OCI terms (from registry.json, or given inline). */
export interface OciMapping {
  /** The OCI registry host. */
  registry: string;
  /** Put before `<ns>/<name>`, e.g. `bytecodealliance/`. */
  namespacePrefix?: string;
}

/** A registry name, or an inline mapping that skips discovery. */
export type RegistryTarget = string | { registry: string; metadata?: { oci?: Partial<OciMapping> } };

/** The merged configuration: wkg's config.toml, then a project's overrides on top. */
export interface RegistryConfig {
  defaultRegistry?: string;
  namespaceRegistries: Record<string, RegistryTarget>;
  packageRegistryOverrides: Record<string, RegistryTarget>;
  /** Per-registry settings from `[registry."host".oci]`, e.g. `auth = { username, password }`. */
  registries: Record<string, { oci?: { auth?: { username?: string; password?: string } } }>;
}

export function emptyRegistryConfig(): RegistryConfig {
  return { namespaceRegistries: {}, packageRegistryOverrides: {}, registries: {} };
}

function asTarget(value: unknown, where: string): RegistryTarget {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as { registry?: unknown }).registry === "string") {
    return value as RegistryTarget;
  }
  throw new OciError("INVALID_CONFIG", `${where}: expected a registry name or { registry = "..." }`);
}

/** Parses wkg's config.toml (or our project file in the same shape). */
export function parseRegistryConfig(text: string, source = "config.toml"): RegistryConfig {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new OciError("INVALID_CONFIG", `${source}: ${(err as Error).message.split("\n")[0]}`);
  }
  const config = emptyRegistryConfig();
  if (raw.default_registry !== undefined) {
    if (typeof raw.default_registry !== "string")
      throw new OciError("INVALID_CONFIG", `${source}: default_registry must be a string`);
    config.defaultRegistry = raw.default_registry;
  }
  for (const [key, field] of [
    ["namespace_registries", "namespaceRegistries"],
    ["package_registry_overrides", "packageRegistryOverrides"],
  ] as const) {
    const table = raw[key];
    if (table === undefined) continue;
    if (typeof table !== "object" || table === null)
      throw new OciError("INVALID_CONFIG", `${source}: ${key} must be a table`);
    for (const [k, v] of Object.entries(table)) config[field][k] = asTarget(v, `${source}: ${key}.${k}`);
  }
  if (typeof raw.registry === "object" && raw.registry !== null) {
    config.registries = raw.registry as RegistryConfig["registries"];
  }
  return config;
}

/** Layers configs: later ones win per key. */
export function mergeRegistryConfigs(...configs: (RegistryConfig | undefined)[]): RegistryConfig {
  const out = emptyRegistryConfig();
  for (const c of configs) {
    if (!c) continue;
    if (c.defaultRegistry !== undefined) out.defaultRegistry = c.defaultRegistry;
    Object.assign(out.namespaceRegistries, c.namespaceRegistries);
    Object.assign(out.packageRegistryOverrides, c.packageRegistryOverrides);
    Object.assign(out.registries, c.registries);
  }
  return out;
}

/** wkg's config file: `$WKG_CONFIG_FILE`, else `~/.config/wasm-pkg/config.toml`. */
export function wkgConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return envPath(env, "WKG_CONFIG_FILE") ?? join(xdgHome(env, "XDG_CONFIG_HOME"), "wasm-pkg", "config.toml");
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * Loads wkg's config.toml and then a project's own file (same shape, e.g. `wasm-compose.registry.toml`
 * next to the project), so a project's mapping travels with it and overrides the user's.
 */
export async function loadRegistryConfig(
  options: { wkgConfig?: string | false; projectConfig?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RegistryConfig> {
  const configs: RegistryConfig[] = [];
  const wkg = options.wkgConfig === false ? undefined : (options.wkgConfig ?? wkgConfigPath(options.env));
  for (const path of [wkg, options.projectConfig]) {
    if (!path) continue;
    const text = await readOptional(path);
    if (text !== undefined) configs.push(parseRegistryConfig(text, path));
  }
  return mergeRegistryConfigs(...configs);
}

/** The registry a package comes from: package override, namespace, default; undefined means the local store. */
export function registryFor(
  config: RegistryConfig,
  pkg: Pick<PackageSpec, "namespace" | "name">,
): RegistryTarget | undefined {
  return (
    config.packageRegistryOverrides[`${pkg.namespace}:${pkg.name}`] ??
    config.namespaceRegistries[pkg.namespace] ??
    config.defaultRegistry
  );
}

/** `/.well-known/wasm-pkg/registry.json`, in its current and older (ociRegistry/ociNamespacePrefix) shapes. */
export interface RegistryMetadata {
  preferredProtocol?: string;
  oci?: { registry?: string; namespacePrefix?: string };
  ociRegistry?: string;
  ociNamespacePrefix?: string;
  [protocol: string]: unknown;
}

/**
 * An OCI mapping from configuration or registry data, checked: the registry becomes a URL's host
 * and a cache folder's name, so anything but host[:port] (a path, `..`) is refused.
 */
export function checkOciMapping(value: unknown, source: string): OciMapping {
  const { registry, namespacePrefix } = (typeof value === "object" && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (typeof registry !== "string" || !isValidRegistry(registry)) {
    throw new OciError(
      "INVALID_CONFIG",
      `${source}: invalid OCI registry ${JSON.stringify(registry)?.slice(0, 200) ?? "(none)"}: expected host[:port]`,
    );
  }
  if (namespacePrefix !== undefined && typeof namespacePrefix !== "string") {
    throw new OciError("INVALID_CONFIG", `${source}: the namespace prefix must be a string`);
  }
  return namespacePrefix ? { registry, namespacePrefix } : { registry };
}

/** The OCI mapping a registry.json describes; the registry itself when it names none. */
export function ociMappingFromMetadata(registry: string, meta: RegistryMetadata): OciMapping {
  const oci = {
    registry: meta.oci?.registry ?? meta.ociRegistry,
    namespacePrefix: meta.oci?.namespacePrefix ?? meta.ociNamespacePrefix,
  };
  const hasOci = oci.registry !== undefined || oci.namespacePrefix !== undefined || meta.oci !== undefined;
  if (!hasOci && meta.preferredProtocol && meta.preferredProtocol !== "oci") {
    throw new OciError(
      "UNSUPPORTED",
      `${registry} only offers the ${meta.preferredProtocol} protocol; only OCI is supported`,
    );
  }
  return checkOciMapping({ ...oci, registry: oci.registry ?? registry }, `registry.json of ${registry}`);
}

/** Options of {@link discoverRegistry}. */
export interface DiscoveryOptions {
  transport?: TransportPolicy;
  fetch?: HttpFetch;
  /** Milliseconds before giving up on registry.json (default 5000); then the registry is used as is. */
  timeoutMs?: number;
}

/**
 * Fetches `https://<registry>/.well-known/wasm-pkg/registry.json` (http for loopback and listed
 * insecure hosts). No file, or none reachable, means the registry is itself the OCI registry.
 */
export async function discoverRegistry(registry: string, options: DiscoveryOptions = {}): Promise<OciMapping> {
  if (!isValidRegistry(registry))
    throw new OciError("INVALID_CONFIG", `invalid registry name ${JSON.stringify(registry)}`);
  const scheme = plainHttpAllowed(registry, options.transport) ? "http" : "https";
  const url = `${scheme}://${registry}/.well-known/wasm-pkg/registry.json`;
  let res: HttpResponse | undefined;
  // The caller's scope (a command being interrupted) stops it too, and that is no reason to go on.
  const stop = scopeSignal();
  const signal = anySignal(AbortSignal.timeout(options.timeoutMs ?? 5000), stop)!;
  let current = new URL(url);
  try {
    // Redirects are followed by hand so that none leads to plain HTTP off loopback.
    for (let hops = 0; hops < 5; hops++) {
      assertTransportAllowed(current, options.transport);
      res = await (options.fetch ?? createNodeFetch())(current, { redirect: "manual", signal });
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) break;
      await discardBody(res);
      current = new URL(location, current);
      res = undefined;
    }
  } catch (err) {
    if (err instanceof OciError) throw err;
    stop?.throwIfAborted();
    // Unreachable is not "no registry.json": the caller decides (a mapping found before still holds).
    if (isNetworkError(err)) throw new OciError("NETWORK_ERROR", `${registry}: ${(err as Error).message}`);
    return { registry };
  }
  if (!res) return { registry };
  if (!res.ok) {
    await discardBody(res);
    return { registry };
  }
  let meta: RegistryMetadata;
  try {
    meta = (await res.json()) as RegistryMetadata;
  } catch {
    throw new OciError("INVALID_CONFIG", `${url} is not valid JSON`);
  }
  return ociMappingFromMetadata(registry, meta);
}

/** `<registry>/<namespacePrefix><ns>/<name>[:tag]`. */
export function packageReference(
  pkg: Pick<PackageSpec, "namespace" | "name">,
  mapping: OciMapping,
  tag?: string,
): Reference {
  if (!isValidRegistry(mapping.registry)) {
    throw new OciError("INVALID_CONFIG", `invalid OCI registry ${JSON.stringify(mapping.registry).slice(0, 200)}`);
  }
  const repository = `${mapping.namespacePrefix ?? ""}${pkg.namespace}/${pkg.name}`;
  if (!isValidRepository(repository)) {
    throw new OciError(
      "INVALID_PACKAGE",
      `${pkg.namespace}:${pkg.name} maps to an invalid repository ${JSON.stringify(repository)}`,
    );
  }
  const ref: Reference = { registry: mapping.registry, repository };
  if (tag !== undefined) ref.tag = tag;
  return ref;
}

/**
 * A Cargo-style requirement as an npm semver range: a bare version means caret (`1.2` is `^1.2`),
 * `=1.2.3` is exact, commas separate comparators. Undefined or empty means any release.
 */
export function toSemverRange(requirement: string | undefined): Range {
  const text = (requirement ?? "").trim();
  const parts = text === "" ? ["*"] : text.split(",").map((p) => p.trim());
  const npm = parts
    .map((p) => {
      if (/^\d/.test(p)) return `^${p}`;
      if (/^=\s*\d/.test(p)) return p.replace(/^=\s*/, "");
      return p;
    })
    .join(" ");
  try {
    return new (semver().Range)(npm);
  } catch {
    throw new OciError("INVALID_PACKAGE", `invalid version requirement ${JSON.stringify(requirement)}`);
  }
}

/** Tags sorted by semver (ascending); tags that are not strict semver versions come last, in string order. */
export function sortTags(tags: readonly string[]): string[] {
  const { valid, compare } = semver();
  const versions = tags.filter((t) => valid(t) === t);
  const others = tags.filter((t) => valid(t) !== t).sort();
  return [...versions.sort(compare), ...others];
}

/** The highest tag that is a semver version matching the requirement; undefined when none does. */
export function selectVersion(tags: readonly string[], requirement?: string): string | undefined {
  const { valid, maxSatisfying } = semver();
  const versions = tags.filter((t) => valid(t) === t);
  return maxSatisfying(versions, toSemverRange(requirement)) ?? undefined;
}

/** Credentials from `[registry."host".oci] auth = { username, password }` in wkg's config. */
export function registryConfigCredentials(config: RegistryConfig): CredentialProvider {
  return async (registry) => {
    const auth = config.registries[registry]?.oci?.auth;
    if (auth?.username !== undefined && auth.password !== undefined) {
      return { username: auth.username, password: auth.password };
    }
    return undefined;
  };
}
