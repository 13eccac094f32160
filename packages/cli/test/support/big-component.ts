// A large real component for tests that need a transfer to be under way: a fixture with a custom
// section of random bytes appended (custom sections may come anywhere; validators skip them).
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";

/** `fixture`'s component plus a `padding` custom section of `bytes` random bytes. */
export async function bigComponent(fixture: string, bytes: number): Promise<Buffer> {
  const name = Buffer.from("padding");
  const payload = randomBytes(bytes);
  return Buffer.concat([
    await readFile(fixture),
    Buffer.from([0]),
    Buffer.from(leb128(1 + name.length + payload.length)),
    Buffer.from([name.length]),
    name,
    payload,
  ]);
}

function leb128(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}
