// jco's wasm-tools as an independent oracle, plus small helpers shared by the tests.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { wasmTools } from "../src/from-module.js";

export const tools = wasmTools;

/** A component with the given WIT world, from jco's dummy module. */
export async function componentFromWit(witSource: string, world: string): Promise<Uint8Array> {
  const t = await wasmTools();
  return t.componentNew(await t.componentEmbed({ dummy: true, witSource, world }));
}

/** A component built by jco from a binary WIT package (written to a temp file). */
export async function componentFromWitPackage(pkg: Uint8Array, world: string): Promise<Uint8Array> {
  const t = await wasmTools();
  const dir = mkdtempSync(join(tmpdir(), "wc-component-"));
  const path = join(dir, "package.wasm");
  writeFileSync(path, pkg);
  return t.componentNew(await t.componentEmbed({ dummy: true, witPath: path, world }));
}

const fixturesDir = resolve(import.meta.dirname, "../../../fixtures/build");

/** Built fixture components (`fixtures/build/*.wasm`), if they have been built. */
export function fixtureComponents(): { name: string; bytes: Uint8Array }[] {
  if (!existsSync(fixturesDir)) return [];
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(fixturesDir, f))) }))
    .filter((f) => f.bytes[6] === 1);
}
