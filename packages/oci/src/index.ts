// Public API of @wasm-compose/oci: an OCI registry client and local stores for Wasm components and WIT packages.
export const packageName = "@wasm-compose/oci";

export { withAbortSignal } from "./abort-scope.js";
export { type Challenge, parseWwwAuthenticate } from "./auth/challenge.js";
export { AuthClient, type ClientOptions, redact, type SendOptions } from "./auth/client.js";
export {
  type Credential,
  type CredentialProvider,
  chainCredentials,
  credentialFromDockerConfig,
  credentialKeys,
  type DockerConfig,
  defaultCredentials,
  dockerConfigPath,
  environmentCredentials,
  fileCredentials,
  ownCredentialsPath,
  removeCredential,
  runCredentialHelper,
  saveCredential,
  staticCredentials,
} from "./auth/credentials.js";
export { type Action, mergeScopes, repositoryScope } from "./auth/scope.js";
export { TokenCache } from "./auth/token-cache.js";
export {
  defaultCacheDir,
  type LoginOptions,
  localStore,
  login,
  OciClient,
  type OciClientOptions,
} from "./client.js";
export {
  type BlobSource,
  type Descriptor,
  type FetchedManifest,
  type ImageIndex,
  type ImageManifest,
  MANIFEST_MEDIA_TYPES,
  MEDIA_TYPES,
  type ProgressEvent,
  type Store,
  type TransferOptions,
} from "./content.js";
export { computeDigest, isDigest, sha256, Verifier, verifyBytes } from "./digest.js";
export {
  type ClientErrorCode,
  DEFAULT_TIMEOUT_MS,
  errorFromResponse,
  OciError,
  type OciErrorCode,
  type RegistryErrorEntry,
  SPEC_ERROR_CODES,
  type SpecErrorCode,
} from "./errors.js";
export { bodyChunks, discardBody, type HttpFetch, type HttpHeaders, type HttpResponse } from "./http.js";
export { CachedStore, ContentCache, linkOrCopy } from "./layout/cache.js";
export { OciLayout, REF_NAME } from "./layout/oci-layout.js";
export { type OutputPath, outputPath } from "./output-path.js";
export {
  type DiscoveryOptions,
  discoverRegistry,
  emptyRegistryConfig,
  loadRegistryConfig,
  mergeRegistryConfigs,
  type OciMapping,
  ociMappingFromMetadata,
  type PackageSpec,
  packageReference,
  parsePackageSpec,
  parseRegistryConfig,
  type RegistryConfig,
  type RegistryMetadata,
  type RegistryTarget,
  registryConfigCredentials,
  registryFor,
  selectVersion,
  sortTags,
  toSemverRange,
  wkgConfigPath,
} from "./packages.js";
export {
  apiHost,
  assertTransportAllowed,
  DOCKER_HUB,
  formatReference,
  isLoopback,
  isValidRepository,
  isValidTag,
  manifestReference,
  type ParseReferenceOptions,
  parseReference,
  plainHttpAllowed,
  type Reference,
  registryBaseUrl,
  type TransportPolicy,
} from "./reference.js";
export { nextLink } from "./remote/link.js";
export { DEFAULT_MAX_MANIFEST_BYTES, MANIFEST_ACCEPT } from "./remote/manifest.js";
export {
  type PushBlobOptions,
  RemoteRepository,
  type RemoteRepositoryOptions,
  referrersTag,
  withDigest,
} from "./remote/repository.js";
export {
  defaultLocalRegistryDir,
  type Environment,
  type EnvironmentOptions,
  openEnvironment,
  PROJECT_REGISTRY_CONFIG,
  resolvePublishTarget,
  resolvePullTarget,
  type Target,
} from "./resolve.js";
export { backoffMs, isRetryableStatus, type RetryPolicy, retryAfterMs, withRetry } from "./retry.js";
export {
  buildWasmArtifact,
  type CheckedWasmArtifact,
  checkWasmManifest,
  describeSource,
  inspectWasm,
  publishWasm,
  pullWasm,
  WASM_CONFIG_MEDIA_TYPE,
  WASM_LAYER_MEDIA_TYPE,
  type WasmArtifact,
  type WasmArtifactOptions,
  type WasmComponentMetadata,
  type WasmConfig,
} from "./wasm.js";
