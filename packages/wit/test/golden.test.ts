// Golden-file tests: every case under test/golden/<case>/ is resolved by us and by wit-parser (jco).
// Inputs: `input.wit` or an `input/` folder (with optional deps/), optional `options.json`
// ({features, allFeatures}). Expected: `output.wit` and `output.json`, or `error.txt`.
// `UPDATE_GOLDEN=1` rewrites the expected files; review the diff.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type FeatureOptions,
  loadWitPackage,
  parseWitPackage,
  printWit,
  type ResolvedPackage,
  toJson,
  WitError,
} from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { expectGolden, updateGolden } from "../../../fixtures/lib/golden.js";
import { canonicalModel } from "./canonical.js";
import { expectWorldsMatchOracle, oracleCheck } from "./oracle.js";

const root = fileURLToPath(new URL("./golden/", import.meta.url));
const update = updateGolden;
const cases = readdirSync(root)
  .filter((c) => !c.startsWith("."))
  .sort();

/** JSON laid out as the repository formatter (biome) lays it out: short arrays of scalars on one line. */
function formatJson(value: unknown, indent = "", prefix = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => v === null || typeof v !== "object")) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
      if (indent.length + prefix.length + flat.length + 1 <= 120) return flat;
    }
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const body = entries.map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + formatJson(v, inner, key);
  });
  return `{\n${body.join(",\n")}\n${indent}}`;
}

function caseInput(dir: string): string {
  return existsSync(join(dir, "input.wit")) ? join(dir, "input.wit") : join(dir, "input");
}

describe("golden cases", () => {
  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const input = caseInput(dir);
      const options: FeatureOptions & { oracle?: string } = existsSync(join(dir, "options.json"))
        ? JSON.parse(readFileSync(join(dir, "options.json"), "utf8"))
        : {};
      const { oracle, ...opts } = options;
      const useOracle = !oracle?.startsWith("skip");
      let ours: ResolvedPackage | null = null;
      let error: unknown = null;
      try {
        ours = await loadWitPackage(input, opts);
      } catch (e) {
        error = e;
      }
      if (useOracle) {
        const verdict = await oracleCheck({ path: input }, opts);
        const oursText = error ? String((error as Error).message) : "accepted";
        const theirs = verdict.ok ? "accepted" : verdict.message;
        expect(error === null, `ours: ${oursText}\nwit-parser: ${theirs}`).toBe(verdict.ok);
      }

      for (const f of ["output.wit", "output.json", "error.txt"]) {
        if (update) rmSync(join(dir, f), { force: true });
      }
      if (ours === null) {
        expect(error).toBeInstanceOf(WitError);
        const rendered = `error[${(error as WitError).code}]: ${(error as WitError).render()}\n`;
        expectGolden(join(dir, "error.txt"), rendered.split(`${dir}/`).join(""));
        return;
      }
      const printed = printWit(ours.resolve, ours.packageId, { nestedDeps: true });
      const json = `${formatJson(toJson(ours.resolve))}\n`;
      expectGolden(join(dir, "output.wit"), printed);
      // Compared as data: the repository formatter may re-wrap the stored JSON.
      if (update) writeFileSync(join(dir, "output.json"), json);
      else expect(toJson(ours.resolve)).toEqual(JSON.parse(readFileSync(join(dir, "output.json"), "utf8")));

      // Round trip: the printed WIT resolves to the same model.
      const again = parseWitPackage(printed, opts);
      expect(canonicalModel(again.resolve)).toEqual(canonicalModel(ours.resolve));

      // World shapes: what wit-parser's component shows must appear in our elaborated world, in order.
      if (useOracle) await expectWorldsMatchOracle(ours, { path: input }, opts);
    });
  }
});
