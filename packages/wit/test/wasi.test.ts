// Real-world WIT: the WASI 0.2 and 0.3 packages that ship with jco, each loaded as the main package
// with the others as deps/, and the other WIT jco ships (WASI 0.2.10, the wasi:tls draft with its
// own deps/, and jco's node API: a package of twenty files, some without a package line), checked
// against wit-parser (accept, world shapes) and for round trips.
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

/** Loads `path` with `opts` as wit-parser does and as we do, and compares (both must accept it). */
async function checkAgainstOracle(path: string, opts: { allFeatures?: boolean }): Promise<void> {
  const verdict = await oracleCheck({ path }, opts);
  if (!verdict.ok) throw new Error(`wit-parser refuses ${path}: ${verdict.message}`);
  const ours = await loadWitPackage(path, opts);
  const printed = printWit(ours.resolve, ours.packageId, { nestedDeps: true });
  expect(canonicalModel(parseWitPackage(printed, opts).resolve)).toEqual(canonicalModel(ours.resolve));
  await expectWorldsMatchOracle(ours, { path }, opts);
}

/** jco's `jco:node` package (a folder of files) with WASI 0.2.12 and a wasi:tls draft as deps/. */
function nodeLayout(name: string, files: string, tls: string): string {
  const root = join(tmp, name);
  if (existsSync(root)) return root;
  mkdirSync(join(root, "deps"), { recursive: true });
  for (const f of readdirSync(files)) if (f.endsWith(".wit")) symlinkSync(join(files, f), join(root, f));
  for (const other of readdirSync(join(builtin, "0.2.12"))) {
    symlinkSync(join(builtin, "0.2.12", other), join(root, "deps", other));
  }
  symlinkSync(tls, join(root, "deps", "wasi-tls"));
  return root;
}

/** jco-std's WIT (a dependency of jco whose package.json exports nothing to resolve). */
function jcoStdWit(): string {
  const dirs = createRequire(join(jcoRoot, "package.json")).resolve.paths("@bytecodealliance/jco-std") ?? [];
  const found = dirs.map((d) => join(d, "@bytecodealliance/jco-std/wit")).find((d) => existsSync(d));
  if (found === undefined) throw new Error("@bytecodealliance/jco-std (a dependency of jco) is not installed");
  return found;
}
const jcoStd = jcoStdWit();

for (const opts of [{}, { allFeatures: true }] as const) {
  describe(`other WIT that ships with jco ${JSON.stringify(opts)}`, () => {
    for (const main of readdirSync(join(builtin, "0.2.10")).sort()) {
      it(`WASI 0.2.10 ${main}`, () => checkAgainstOracle(layout("0.2.10", main), opts));
    }
    it("the wasi:tls draft, with its deps/ folder", () =>
      checkAgainstOracle(join(builtin, "wasi-tls-0.2.0-draft"), opts));
    it("jco:node (jco's builtin copy)", () =>
      checkAgainstOracle(
        nodeLayout("jco-node", join(builtin, "jco-node-0.1.0"), join(builtin, "wasi-tls-0.2.0-draft")),
        opts,
      ));
    it("jco:node (jco-std's copy)", () =>
      checkAgainstOracle(
        nodeLayout("jco-std-node", join(jcoStd, "node-0.1.0"), join(jcoStd, "tls-0.2.0-draft")),
        opts,
      ));
  });
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
