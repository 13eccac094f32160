// Image references: parse and normalise host[:port]/repo[:tag][@digest] (docker.io rules), and decide the URL scheme.
import { isDigest } from "./digest.js";
import { OciError } from "./errors.js";

/** A parsed, normalised reference. `tag` and `digest` may both be set; the digest wins when fetching. */
export interface Reference {
  /** Registry host with optional port, as the user names it (`docker.io`, `localhost:5000`). */
  registry: string;
  /** Repository path (`library/alpine`, `ns/name`). */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = "docker.io";
const DOCKER_HUB_API = "registry-1.docker.io";

const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const REPOSITORY_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const HOST_RE =
  /^(?:(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

export function isValidRepository(s: string): boolean {
  return s.length > 0 && s.length <= 255 && REPOSITORY_RE.test(s);
}

export function isValidTag(s: string): boolean {
  return TAG_RE.test(s);
}

export function isValidRegistry(s: string): boolean {
  return HOST_RE.test(s);
}

function invalid(input: string, why: string): OciError {
  return new OciError("INVALID_REFERENCE", `invalid reference ${JSON.stringify(input.slice(0, 300))}: ${why}`);
}

/** Options for {@link parseReference}. */
export interface ParseReferenceOptions {
  /** Registry used when the reference names none; docker.io by default (as docker does). */
  defaultRegistry?: string;
}

/**
 * Parses `host[:port]/repo[:tag][@digest]`. The first path component is a registry when it has a
 * `.` or `:` or is `localhost` (docker's rule); otherwise the default registry applies, and on
 * docker.io a single-component repository gets `library/`.
 */
export function parseReference(input: string, options: ParseReferenceOptions = {}): Reference {
  let rest = input.trim();
  if (rest !== input || rest.length === 0) throw invalid(input, "empty or surrounded by spaces");
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw invalid(input, "digest must be sha256:<64 hex> or sha512:<128 hex>");
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) throw invalid(input, `tag ${JSON.stringify(tag)} is not valid`);
  }
  let registry: string;
  let repository: string;
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("["))) {
    registry = first;
    repository = rest.slice(slash + 1);
  } else {
    registry = options.defaultRegistry ?? DOCKER_HUB;
    repository = rest;
  }
  registry = normaliseRegistry(registry);
  if (!isValidRegistry(registry)) throw invalid(input, `registry ${JSON.stringify(registry)} is not a valid host`);
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  if (!isValidRepository(repository)) {
    throw invalid(input, `repository ${JSON.stringify(repository)} must be lowercase path components`);
  }
  const ref: Reference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

function normaliseRegistry(host: string): string {
  const lower = host.toLowerCase();
  if (lower === "index.docker.io" || lower === "registry-1.docker.io") return DOCKER_HUB;
  return lower;
}

/** `registry/repository[:tag][@digest]`. */
export function formatReference(ref: Reference): string {
  let s = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** The manifest reference to fetch: the digest if any, else the tag, else `latest`. */
export function manifestReference(ref: Reference): string {
  return ref.digest ?? ref.tag ?? "latest";
}

/** The host the API is served from (docker.io is served from registry-1.docker.io). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** The hostname without port or IPv6 brackets. */
export function hostname(hostPort: string): string {
  if (hostPort.startsWith("[")) return hostPort.slice(1, hostPort.indexOf("]"));
  const i = hostPort.lastIndexOf(":");
  return i >= 0 ? hostPort.slice(0, i) : hostPort;
}

/** True for localhost, 127.0.0.0/8 and ::1: the only hosts spoken to over plain HTTP by default. */
export function isLoopback(host: string): boolean {
  const h = hostname(host).toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(h) || h === "::1";
}

/** Which registries may be spoken to over plain HTTP. */
export interface TransportPolicy {
  /** Hosts (`host` or `host:port`) allowed over plain HTTP besides loopback. */
  insecure?: readonly string[];
}

/** True when plain HTTP to this host[:port] is allowed: loopback, or listed as insecure. */
export function plainHttpAllowed(hostPort: string, policy: TransportPolicy = {}): boolean {
  if (isLoopback(hostPort)) return true;
  const lower = hostPort.toLowerCase();
  return (policy.insecure ?? []).some((h) => h.toLowerCase() === lower || h.toLowerCase() === hostname(lower));
}

/** Base URL of a registry's API: https, except plain http for loopback and listed insecure hosts. */
export function registryBaseUrl(registry: string, policy: TransportPolicy = {}): string {
  const host = apiHost(registry);
  return `${plainHttpAllowed(host, policy) ? "http" : "https"}://${host}`;
}

/** Throws unless the URL is https, or http to a host plain HTTP is allowed for. */
export function assertTransportAllowed(url: URL, policy: TransportPolicy = {}): void {
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && plainHttpAllowed(url.host, policy)) return;
  throw new OciError(
    "INSECURE_REFUSED",
    `refusing ${url.protocol.replace(":", "")} to ${url.host}: plain HTTP is only used for loopback or hosts listed as insecure`,
  );
}
