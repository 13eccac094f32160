// Prints the WIT of a component (its root world) or of a binary WIT package.
import { type PrintOptions, printWit } from "@wasm-compose/wit";
import type { ComponentBinary } from "../reader/model.js";
import { parseComponent } from "../reader/read.js";
import { componentWorld, decodeWitPackage, isWitPackage } from "./world.js";

/**
 * The WIT of a component (package `root:component`, world `root`, as jco's `componentWit` prints
 * it) or of a binary WIT package. `nestedDeps` adds the packages it uses as nested blocks.
 */
export function printComponentWit(bytes: Uint8Array | ComponentBinary, opts: PrintOptions = {}): string {
  const binary = bytes instanceof Uint8Array ? parseComponent(bytes) : bytes;
  if (isWitPackage(binary)) {
    const p = decodeWitPackage(binary);
    return printWit(p.resolve, p.package, opts);
  }
  const w = componentWorld(binary);
  return printWit(w.resolve, w.package, opts);
}
