// Manifest reading rules for remote pulls: size cap, media type check, digest verification.
import { MANIFEST_MEDIA_TYPES } from "../content.js";
import { computeDigest, isDigest, splitDigest } from "../digest.js";
import { OciError } from "../errors.js";
import { bodyChunks, discardBody, type HttpResponse } from "../http.js";

/** Manifests larger than this are refused (the spec suggests registries accept at least 4 MiB). */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** The Accept header of a manifest request: every manifest type we can read. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(", ");

/** The media type of a response: Content-Type without parameters, else the body's `mediaType`. */
export function manifestMediaType(contentType: string | null, bytes: Uint8Array): string {
  const header = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (MANIFEST_MEDIA_TYPES.includes(header)) return header;
  try {
    const body = JSON.parse(Buffer.from(bytes).toString("utf8")) as { mediaType?: unknown };
    if (typeof body.mediaType === "string" && MANIFEST_MEDIA_TYPES.includes(body.mediaType)) return body.mediaType;
  } catch {
    // reported below
  }
  throw new OciError(
    "UNEXPECTED_MEDIA_TYPE",
    `expected a manifest (${MANIFEST_MEDIA_TYPES.join(", ")}), got ${JSON.stringify(header || "no content type")}`,
  );
}

/**
 * The verified digest of fetched manifest bytes. When fetched by digest, the bytes must hash to it;
 * a Docker-Content-Digest header must match too. Otherwise the sha256 of the bytes is the digest.
 */
export function verifyManifestDigest(bytes: Uint8Array, reference: string, headerDigest: string | null): string {
  const expected = isDigest(reference) ? reference : undefined;
  for (const claimed of [expected, headerDigest && isDigest(headerDigest) ? headerDigest : undefined]) {
    if (!claimed) continue;
    const actual = computeDigest(bytes, splitDigest(claimed).algorithm);
    if (actual !== claimed) {
      throw new OciError("DIGEST_MISMATCH", `manifest digest mismatch: expected ${claimed}, got ${actual}`);
    }
  }
  return expected ?? computeDigest(bytes, "sha256");
}

/** Reads a body up to `cap` bytes; more is an error (the stream is cancelled). */
export async function readCapped(
  res: HttpResponse,
  cap: number,
  what: string,
  code: "MANIFEST_TOO_LARGE" | "SIZE_MISMATCH" = "MANIFEST_TOO_LARGE",
): Promise<Uint8Array> {
  // A cap that is not a number (a size from registry data that slipped through) would bound nothing.
  if (!Number.isSafeInteger(cap) || cap < 0) {
    await discardBody(res);
    throw new OciError(code, `${what}: no valid size limit to read it with`);
  }
  const length = Number(res.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(length) && length > cap) {
    await discardBody(res);
    throw new OciError(code, `${what} is ${length} bytes, more than the ${cap} byte limit`);
  }
  const it = bodyChunks(res);
  if (it === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await it.next();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await it.return?.().catch(() => {});
      throw new OciError(code, `${what} is more than the ${cap} byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
