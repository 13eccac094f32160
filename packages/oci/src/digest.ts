// Content digests: parsing, computing and verifying sha256 (and sha512) while bytes stream past.
import { createHash, type Hash } from "node:crypto";
import { OciError } from "./errors.js";

const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** True for `sha256:<64 hex>` or `sha512:<128 hex>`. */
export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

export function assertDigest(s: string): string {
  if (!isDigest(s)) throw new OciError("INVALID_REFERENCE", `invalid digest ${JSON.stringify(s.slice(0, 80))}`);
  return s;
}

/** The algorithm and hex parts of a digest. */
export function splitDigest(digest: string): { algorithm: "sha256" | "sha512"; hex: string } {
  assertDigest(digest);
  const [algorithm, hex] = digest.split(":") as ["sha256" | "sha512", string];
  return { algorithm, hex };
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export function computeDigest(bytes: Uint8Array, algorithm: "sha256" | "sha512" = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}

/** Hashes and counts bytes as they pass; `check()` fails on a wrong size or digest. */
export class Verifier {
  readonly expectedDigest: string;
  readonly expectedSize: number | undefined;
  private readonly hash: Hash;
  private readonly algorithm: string;
  size = 0;

  constructor(digest: string, size?: number) {
    const { algorithm } = splitDigest(digest);
    this.algorithm = algorithm;
    this.expectedDigest = digest;
    this.expectedSize = size;
    this.hash = createHash(algorithm);
  }

  update(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    if (this.expectedSize !== undefined && this.size > this.expectedSize) {
      throw new OciError(
        "SIZE_MISMATCH",
        `content for ${this.expectedDigest} is larger than the expected ${this.expectedSize} bytes`,
      );
    }
    this.hash.update(chunk);
  }

  check(): void {
    if (this.expectedSize !== undefined && this.size !== this.expectedSize) {
      throw new OciError(
        "SIZE_MISMATCH",
        `content for ${this.expectedDigest}: expected ${this.expectedSize} bytes, got ${this.size}`,
      );
    }
    const actual = `${this.algorithm}:${this.hash.digest("hex")}`;
    if (actual !== this.expectedDigest) {
      throw new OciError("DIGEST_MISMATCH", `digest mismatch: expected ${this.expectedDigest}, got ${actual}`);
    }
  }
}

/** Verifies bytes already in memory. */
export function verifyBytes(bytes: Uint8Array, digest: string, size?: number): void {
  const v = new Verifier(digest, size);
  v.update(bytes);
  v.check();
}
