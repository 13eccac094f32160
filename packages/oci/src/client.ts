// The high-level client: one AuthClient shared by all repositories, the cache in front, offline mode.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AuthClient, type ClientOptions } from "./auth/client.js";
import { type Credential, defaultCredentials, saveCredential, staticCredentials } from "./auth/credentials.js";
import type { BlobSource, Store, TransferOptions } from "./content.js";
import { xdgHome } from "./env-paths.js";
import { OciError } from "./errors.js";
import { writeFileAtomic } from "./fs-atomic.js";
import { CachedStore, ContentCache } from "./layout/cache.js";
import { OciLayout } from "./layout/oci-layout.js";
import {
  checkOciMapping,
  discoverRegistry,
  type OciMapping,
  type PackageSpec,
  packageReference,
  type RegistryConfig,
  type RegistryTarget,
  registryFor,
  selectVersion,
  sortTags,
} from "./packages.js";
import {
  formatReference,
  manifestReference,
  parseReference,
  type Reference,
  registryBaseUrl,
  type TransportPolicy,
} from "./reference.js";
import { RemoteRepository, type RemoteRepositoryOptions } from "./remote/repository.js";
import { isNetworkError } from "./retry.js";
import {
  type CheckedWasmArtifact,
  publishWasm,
  pullWasm,
  type WasmArtifact,
  type WasmArtifactOptions,
} from "./wasm.js";

/** Options of {@link OciClient}. */
export interface OciClientOptions extends ClientOptions, RemoteRepositoryOptions {
  /** Cache folder; `false` disables the cache. Default `$XDG_CACHE_HOME/wasm-compose/oci` or `~/.cache/wasm-compose/oci`. */
  cacheDir?: string | false;
  /** Never touch the network: tags and content come from the cache only. */
  offline?: boolean;
  /**
   * Put downloaded files in place as hard links to the verified cache file (written once, stored
   * once; a copy where the file systems differ) instead of separate copies. Default false: with
   * links, a tool that edits a pulled file in place also edits the cache file and every other file
   * pulled from it (the cache notices on its next read, other projects' files do not).
   */
  linkFromCache?: boolean;
  /**
   * Hears when a tag, tag list or manifest comes from the cache because the registry could not be
   * reached (a network error or timeout): the message says what and why. Without it the fallback
   * is silent.
   */
  onCacheFallback?: (message: string) => void;
}

/** The default cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgHome(env, "XDG_CACHE_HOME"), "wasm-compose", "oci");
}

/** Pulls and publishes Wasm artifacts by reference. */
export class OciClient {
  readonly http: AuthClient;
  readonly cache: ContentCache | undefined;
  readonly options: OciClientOptions;

  constructor(options: OciClientOptions = {}) {
    this.options = options;
    this.http = new AuthClient({ ...options, credentials: options.credentials ?? defaultCredentials() });
    this.cache = options.cacheDir === false ? undefined : new ContentCache(options.cacheDir ?? defaultCacheDir());
  }

  /** The remote repository for a reference (no cache). */
  remote(ref: Reference | string): RemoteRepository {
    const r = typeof ref === "string" ? parseReference(ref) : ref;
    if (this.options.offline) throw new OciError("OFFLINE", `${r.registry} cannot be reached: offline mode is on`);
    return new RemoteRepository(r.registry, r.repository, this.http, this.options);
  }

  /** The store for a reference: the remote behind the cache (or the cache alone when offline). */
  store(ref: Reference | string): Store {
    const r = typeof ref === "string" ? parseReference(ref) : ref;
    const remote = new RemoteRepository(r.registry, r.repository, this.http, this.options);
    if (!this.cache) {
      if (this.options.offline) throw new OciError("OFFLINE", "offline mode needs the cache");
      return remote;
    }
    return new CachedStore(remote, this.cache.layout(r.registry, r.repository), {
      offline: this.options.offline ?? false,
      link: this.options.linkFromCache ?? false,
      ...(this.options.onCacheFallback ? { onFallback: this.options.onCacheFallback } : {}),
    });
  }

  /** Pulls a component or WIT package to `path`. */
  async pullWasm(ref: Reference | string, path: string, options: TransferOptions = {}): Promise<CheckedWasmArtifact> {
    const r = typeof ref === "string" ? parseReference(ref) : ref;
    return pullWasm(this.store(r), manifestReference(r), path, options);
  }

  /**
   * The reference a package resolves to: its registry (package override, namespace, default),
   * the OCI mapping (inline, or registry.json discovery, remembered in the cache for offline use),
   * and the highest tag matching the requirement. Undefined when no registry is configured for it
   * (the caller then uses the local store).
   */
  async resolvePackage(spec: PackageSpec, config: RegistryConfig): Promise<Reference | undefined> {
    const target = registryFor(config, spec);
    if (target === undefined) return undefined;
    const mapping = await this.ociMapping(target);
    const ref = packageReference(spec, mapping);
    const tags = await this.store(ref).listTags();
    const version = selectVersion(tags, spec.requirement);
    if (version === undefined) {
      const known = sortTags(tags).slice(-10);
      // Offline, the tags are the cache's: say so, as "no tags" would read as the registry's answer.
      const where = this.options.offline
        ? `the local cache of ${formatReference(ref)} (offline)`
        : formatReference(ref);
      const none = this.options.offline ? " (nothing cached)" : " (no tags)";
      throw new OciError(
        "NO_MATCHING_VERSION",
        `no version of ${spec.namespace}:${spec.name} matches ${JSON.stringify(spec.requirement ?? "*")} in ${where}` +
          (known.length ? ` (tags: ${known.join(", ")})` : none),
      );
    }
    return { ...ref, tag: version };
  }

  /** The OCI mapping of a registry target: inline metadata, or discovery (remembered for offline use). */
  async ociMapping(target: RegistryTarget): Promise<OciMapping> {
    const registry = typeof target === "string" ? target : target.registry;
    // Every registry name is checked where it enters: each becomes a host and a cache folder name.
    const { registry: host } = checkOciMapping({ registry }, "registry configuration");
    if (typeof target !== "string" && target.metadata?.oci) {
      const { registry: inline = host, namespacePrefix } = target.metadata.oci;
      return checkOciMapping({ registry: inline, namespacePrefix }, `metadata.oci of registry ${host}`);
    }
    // `.discovery`: no registry's cache folder can have that name (a host does not start with a dot).
    const remembered = this.cache && join(this.cache.root, ".discovery", `${host.replace(/[:[\]]/g, "_")}.json`);
    const recall = async (): Promise<OciMapping | undefined> => {
      if (!remembered) return undefined;
      let saved: unknown;
      try {
        saved = JSON.parse(await readFile(remembered, "utf8"));
      } catch {
        return undefined;
      }
      return checkOciMapping(saved, remembered);
    };
    if (this.options.offline) return (await recall()) ?? { registry: host };
    let mapping: OciMapping;
    try {
      mapping = await discoverRegistry(host, this.options.transport ? { transport: this.options.transport } : {});
    } catch (err) {
      if (!isNetworkError(err)) throw err;
      // The host down: what discovery found before still holds (as the cache's tags do); nothing is
      // remembered from this attempt. The registry's own requests then fail, or fall back, on their own.
      const before = await recall();
      // Nothing found before, or nothing but the host itself: no different answer to tell of.
      if (before === undefined || (before.registry === host && !before.namespacePrefix)) return { registry: host };
      this.options.onCacheFallback?.(
        `${host} could not be reached (${(err as Error).message}); using its registry.json as found before`,
      );
      return before;
    }
    if (remembered) await writeFileAtomic(remembered, JSON.stringify(mapping)).catch(() => {});
    return mapping;
  }

  /** Publishes a component or WIT package under the reference's tag. */
  async publishWasm(
    ref: Reference | string,
    source: BlobSource,
    options: WasmArtifactOptions & TransferOptions = {},
  ): Promise<WasmArtifact> {
    const r = typeof ref === "string" ? parseReference(ref) : ref;
    if (r.digest) throw new OciError("INVALID_REFERENCE", `publish needs a tag, not a digest: ${formatReference(r)}`);
    return publishWasm(this.remote(r), source, [r.tag ?? "latest"], options);
  }
}

/** A local repository store (the embedded registry used when none is configured). */
export function localStore(root: string, repository: string): OciLayout {
  return new OciLayout(join(root, ...repository.split("/")));
}

/** Options of {@link login}. */
export interface LoginOptions {
  transport?: TransportPolicy;
  /** The credentials file; default ours (`ownCredentialsPath()`). */
  path?: string;
}

/** Checks the credentials against the registry (no anonymous fallback), then saves them. */
export async function login(registry: string, credential: Credential, options: LoginOptions = {}): Promise<void> {
  const client = new AuthClient({
    credentials: staticCredentials({ [registry]: credential }),
    anonymousFallback: false,
    ...(options.transport ? { transport: options.transport } : {}),
  });
  await client.verifyLogin(registry, registryBaseUrl(registry, options.transport));
  await saveCredential(registry, credential, options.path);
}
