// Golden-file tests of the WAC front end: every case under golden/<case>/ holds `input.wac` and either
// `expected.json` (the document, spans written `line:column+length@offset`) or `error.txt` (the rendered
// error). `UPDATE_GOLDEN=1` rewrites the expected files (then formats them with biome); review the diff.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseWac, referencedPackages, WacError } from "@wasm-compose/compose";
import { afterAll, describe, expect, it } from "vitest";
import { expectGolden, updateGolden } from "../../../../fixtures/lib/golden.js";
import { goldenJson } from "./golden-json.js";
import { printWac, withoutSpans } from "./print.js";
import { spanProblems } from "./spans.js";

const root = fileURLToPath(new URL("./golden/", import.meta.url));
const update = updateGolden;
const cases = readdirSync(root)
  .filter((c) => !c.startsWith("."))
  .sort();

afterAll(() => {
  if (update) execFileSync("npx", ["biome", "format", "--write", root], { stdio: "ignore" });
});

describe("wac golden cases", () => {
  for (const name of cases) {
    it(name, () => {
      const dir = join(root, name);
      const source = readFileSync(join(dir, "input.wac"), "utf8");
      if (update) for (const f of ["expected.json", "error.txt"]) rmSync(join(dir, f), { force: true });
      let error: unknown = null;
      let json = "";
      try {
        const doc = parseWac(source, { filename: "input.wac" });
        expect(spanProblems(doc, source)).toEqual([]);
        // Round trip: the printed document parses to the same tree.
        expect(withoutSpans(parseWac(printWac(doc)))).toEqual(withoutSpans(doc));
        json = goldenJson({ document: doc, referencedPackages: referencedPackages(doc) });
      } catch (e) {
        error = e;
      }
      // A case named `err-*` must fail and every other case must parse, so a rewrite cannot flip one silently.
      if (name.startsWith("err-")) {
        expect(error, "expected an error").toBeInstanceOf(WacError);
        const e = error as WacError;
        expectGolden(join(dir, "error.txt"), `error[${e.code}]: ${e.render()}\n`);
      } else {
        if (error !== null) throw error;
        expectGolden(join(dir, "expected.json"), json, "json");
      }
    });
  }
});
