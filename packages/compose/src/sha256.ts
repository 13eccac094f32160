// SHA-256 for the provenance section, in portable code (@noble/hashes) so the encoder also runs in a
// browser; callers with a faster hash (node:crypto) pass it in the encode options instead.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** The SHA-256 digest of `data` as lowercase hex. */
export function sha256Hex(data: Uint8Array): string {
  return bytesToHex(sha256(data));
}
