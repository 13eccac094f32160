// Real-world WIT: the WASI 0.2 and 0.3 packages that ship with jco, each loaded as the main package
// with the others as deps/, checked against wit-parser (accept, world shapes) and for round trips.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadWitPackage, parseWitPackage, printWit } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { canonicalModel } from "./canonical.js";
import { expectWorldsMatchOracle, oracleCheck } from "./oracle.js";

const jcoRoot = dirname(dirname(createRequire(import.meta.url).resolve("@bytecodealliance/jco")));
const builtin = join(jcoRoot, "lib/wit/builtin");
const tmp = mkdtempSync(join(tmpdir(), "wit-wasi-"));

/** A package folder for `main` with every sibling package linked under deps/. */
function layout(version: string, main: string): string {
  const root = join(tmp, `${version}-${main}`);
  if (existsSync(root)) return root;
  mkdirSync(join(root, "deps"), { recursive: true });
  symlinkSync(join(builtin, version, main, "package.wit"), join(root, "package.wit"));
  for (const other of readdirSync(join(builtin, version))) {
    if (other !== main) symlinkSync(join(builtin, version, other), join(root, "deps", other));
  }
  return root;
}

for (const [version, opts] of [
  ["0.2.12", {}],
  ["0.2.12", { allFeatures: true }],
  ["0.3.0", {}],
  ["0.3.0", { allFeatures: true }],
] as const) {
  describe(`WASI ${version} ${JSON.stringify(opts)}`, () => {
    for (const main of readdirSync(join(builtin, version)).sort()) {
      it(main, async () => {
        const path = layout(version, main);
        const verdict = await oracleCheck({ path }, opts);
        const ours = await loadWitPackage(path, opts).catch((e: Error) => e);
        if (!verdict.ok) {
          expect(ours, verdict.message).toBeInstanceOf(Error);
          return;
        }
        if (ours instanceof Error) throw ours;
        const printed = printWit(ours.resolve, ours.packageId, { nestedDeps: true });
        expect(canonicalModel(parseWitPackage(printed, opts).resolve)).toEqual(canonicalModel(ours.resolve));
        await expectWorldsMatchOracle(ours, { path }, opts);
      });
    }
  });
}
