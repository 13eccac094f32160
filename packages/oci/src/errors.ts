// Typed errors for registry and store operations: the spec's error codes plus the client's own.
import { bodyChunks, type HttpResponse } from "./http.js";

/** Error codes from the OCI distribution spec, as registries send them. */
export const SPEC_ERROR_CODES = [
  "BLOB_UNKNOWN",
  "BLOB_UPLOAD_INVALID",
  "BLOB_UPLOAD_UNKNOWN",
  "DIGEST_INVALID",
  "MANIFEST_BLOB_UNKNOWN",
  "MANIFEST_INVALID",
  "MANIFEST_UNKNOWN",
  "NAME_INVALID",
  "NAME_UNKNOWN",
  "SIZE_INVALID",
  "UNAUTHORIZED",
  "DENIED",
  "UNSUPPORTED",
  "TOOMANYREQUESTS",
] as const;

/** Codes the client raises itself. */
export type ClientErrorCode =
  | "INVALID_REFERENCE"
  | "INSECURE_REFUSED"
  | "DIGEST_MISMATCH"
  | "SIZE_MISMATCH"
  | "MANIFEST_TOO_LARGE"
  | "BLOB_TOO_LARGE"
  | "UNEXPECTED_MEDIA_TYPE"
  | "NOT_WASM_ARTIFACT"
  | "NOT_FOUND"
  | "HTTP_ERROR"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "AUTH_FAILED"
  | "CREDENTIAL_HELPER_FAILED"
  | "TOO_MANY_REDIRECTS"
  | "OFFLINE"
  | "NO_MATCHING_VERSION"
  | "INVALID_PACKAGE"
  | "INVALID_CONFIG"
  | "ABORTED";

export type SpecErrorCode = (typeof SPEC_ERROR_CODES)[number];
export type OciErrorCode = SpecErrorCode | ClientErrorCode;

/** One entry of a registry's `{"errors": [...]}` body. */
export interface RegistryErrorEntry {
  code: string;
  message?: string;
  detail?: unknown;
}

export interface OciErrorOptions {
  status?: number;
  /** Entries from the registry's error body, when it sent JSON. */
  errors?: RegistryErrorEntry[];
  cause?: unknown;
}

/** Every failure of this package is an `OciError`; `code` says which kind. */
export class OciError extends Error {
  readonly code: OciErrorCode;
  readonly status: number | undefined;
  readonly errors: RegistryErrorEntry[];

  constructor(code: OciErrorCode, message: string, options: OciErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OciError";
    this.code = code;
    this.status = options.status;
    this.errors = options.errors ?? [];
  }
}

/**
 * How long a request may wait for a connection, for the response to start, or for the next byte
 * either way (an upload's body, a download's), before it fails with a TIMEOUT OciError.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A registry that sent nothing for `ms` while the client waited: names the host and what was
 * waiting (a path, never a query, which may carry an upload's state or a signature).
 */
export function timeoutError(url: URL, waiting: string, ms: number): OciError {
  const seconds = ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
  return new OciError("TIMEOUT", `${url.host} sent nothing for ${seconds} while ${waiting}`);
}

const STATUS_CODES: Record<number, OciErrorCode> = {
  401: "UNAUTHORIZED",
  403: "DENIED",
  404: "NOT_FOUND",
  429: "TOOMANYREQUESTS",
};

/**
 * Builds an error from a failed response. The body is read (at most 64 KiB); a JSON body in the
 * spec's shape gives the code, anything else (HTML from a proxy, plain text) is summarised.
 */
export async function errorFromResponse(res: HttpResponse, what: string): Promise<OciError> {
  let text = "";
  try {
    text = await readTextCapped(res, 64 * 1024);
  } catch {
    // The body is only used for the message.
  }
  let entries: RegistryErrorEntry[] = [];
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(body.errors)) {
      entries = body.errors.filter(
        (e): e is RegistryErrorEntry => typeof e === "object" && e !== null && typeof e.code === "string",
      );
    }
  } catch {
    // Not JSON: handled below.
  }
  const first = entries[0];
  const spec = first && (SPEC_ERROR_CODES as readonly string[]).includes(first.code);
  const code: OciErrorCode = spec ? (first.code as SpecErrorCode) : (STATUS_CODES[res.status] ?? "HTTP_ERROR");
  let detail: string;
  if (first) {
    detail = entries.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join("; ");
  } else {
    const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
    detail = snippet ? `non-JSON body: ${JSON.stringify(snippet)}` : "empty body";
  }
  return new OciError(code, `${what}: HTTP ${res.status} (${detail})`, { status: res.status, errors: entries });
}

async function readTextCapped(res: HttpResponse, cap: number): Promise<string> {
  const it = bodyChunks(res);
  if (it === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < cap) {
    const { done, value } = await it.next();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await it.return?.().catch(() => {});
  return Buffer.concat(chunks).subarray(0, cap).toString("utf8");
}
