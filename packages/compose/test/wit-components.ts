// Test components made from WIT with jco (a dummy core module embedded and wrapped), memoised by source.
import { componentEmbed, componentNew } from "@bytecodealliance/jco";

const made = new Map<string, Promise<Uint8Array>>();

/** A component of the world `world` in `wit`, whose functions are dummies (they trap when called). */
export function componentFromWit(wit: string, world: string): Promise<Uint8Array> {
  const key = `${world}\0${wit}`;
  let c = made.get(key);
  if (c === undefined) {
    c = (async () => componentNew(await componentEmbed({ dummy: true, witSource: wit, world })))();
    made.set(key, c);
  }
  return c;
}
