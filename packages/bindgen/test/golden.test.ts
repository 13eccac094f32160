// Golden files: the guest bindings of a few worlds, file by file, under test/golden/<case>/generated/,
// each stored as `<file>.golden` so that tsc and biome leave the expected output alone.
// `UPDATE_GOLDEN=1` rewrites the expected files; review the diff.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type GuestOptions, generateGuestBindings } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { repoRoot, witDir } from "./helpers.js";

const root = fileURLToPath(new URL("./golden/", import.meta.url));
const update = process.env.UPDATE_GOLDEN === "1";
const SUFFIX = ".golden";

const CASES: { name: string; wit: string; world: string; opts?: GuestOptions }[] = [
  { name: "kinds", wit: join(witDir, "kinds"), world: "kinds" },
  {
    name: "world-items",
    wit: join(witDir, "items"),
    world: "items",
    opts: { aliases: { deps: ["log-line", "greeter"] } },
  },
  { name: "app-union", wit: join(repoRoot, "fixtures/wit/app"), world: "app", opts: { results: "union" } },
  {
    name: "app-one-alias",
    wit: join(repoRoot, "fixtures/wit/app"),
    world: "app",
    opts: { aliases: { "my-deps": ["example:math", "example:text/pattern@0.1.0"] } },
  },
];

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(SUFFIX))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe("guest bindings golden files", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { resolve, packageId } = await loadWitPackage(c.wit);
      const world = resolve.packages[packageId].worlds.get(c.world)!;
      const { files } = generateGuestBindings(resolve, world, c.opts);
      const dir = join(root, c.name, "generated");
      if (update) {
        rmSync(dir, { recursive: true, force: true });
        for (const [path, text] of files) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, `${path}${SUFFIX}`), text);
        }
        return;
      }
      const expected = listFiles(dir).map((f) => f.slice(0, -SUFFIX.length));
      expect(expected, `expected files of ${c.name} (run with UPDATE_GOLDEN=1)`).toEqual([...files.keys()].sort());
      for (const [path, text] of files) expect(text, path).toBe(readFileSync(join(dir, `${path}${SUFFIX}`), "utf8"));
    });
  }
});
