// Test helpers: scratch folders inside the repository (so generated packages resolve the root
// node_modules, e.g. preview2-shim) and compiling sample programs with tsc in-process.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { STRICT_TSC_OPTIONS } from "./strict-tsc.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const repoRoot = join(here, "../../..");
/** The WIT folders of these tests. */
export const witDir = join(here, "wit");

/** A fresh folder under packages/bindgen/.cache (gitignored), removed by `dispose`. */
export async function scratch(prefix: string): Promise<{ dir: string; dispose(): Promise<void> }> {
  const root = join(here, "../.cache");
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, `${prefix}-`));
  await writeFile(join(dir, "package.json"), '{ "type": "module", "private": true }\n');
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** A diagnostic reduced to what a test compares: file name, code and the flattened message. */
export interface Diagnostic {
  file: string;
  code: number;
  message: string;
}

/**
 * Type-checks `files` (paths relative to `dir`) as a strict NodeNext project with only the ES2022
 * library, so generated declarations must bring everything else they need (e.g. disposables).
 */
export function typecheck(dir: string, files: string[]): Diagnostic[] {
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    STRICT_TSC_OPTIONS,
  );
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? d.file.fileName.slice(dir.length + 1) : "",
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
}
