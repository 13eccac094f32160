// The build's bundles (scripts/build.mjs): what the packages' `exports` load must be the packages'
// whole public API, as tsc compiled it, and must share the other packages instead of copying them.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { entries } from "../build.mjs";

const packages = fileURLToPath(new URL("../../packages/", import.meta.url));
const load = (path: string) => import(/* @vite-ignore */ pathToFileURL(path).href) as Promise<Record<string, unknown>>;

describe("the bundles", () => {
  for (const [pkg, names] of Object.entries(entries)) {
    it(`${pkg}: each entry exports what tsc's output exports, and the package's exports point at it`, async () => {
      for (const name of names) {
        const compiled = await load(`${packages}${pkg}/dist/${name}.js`);
        const bundled = await load(`${packages}${pkg}/bundle/${name}.js`);
        expect(Object.keys(bundled).sort()).toEqual(Object.keys(compiled).sort());
      }
      const manifest = JSON.parse(readFileSync(`${packages}${pkg}/package.json`, "utf8"));
      expect(manifest.exports["."].default).toBe("./bundle/index.js");
      expect(manifest.exports["."].types).toBe("./dist/index.d.ts");
    });
  }

  it("leave the other @wasm-compose packages as imports, so a class is one class whoever loads it", async () => {
    const compose = readFileSync(`${packages}compose/bundle/index.js`, "utf8");
    expect(compose).toMatch(/from "@wasm-compose\/wit"/);
    expect(compose).not.toMatch(/class WitError/);
    // In plain Node (vitest maps the package names to the sources): the CLI's umbrella API and
    // the wit package hand out the same class.
    const script = `
      const wit = await import("@wasm-compose/wit");
      const umbrella = await import(${JSON.stringify(pathToFileURL(`${packages}cli/bundle/index.js`).href)});
      console.log(umbrella.wit.WitError === wit.WitError && umbrella.wit.parseWit === wit.parseWit);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packages, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("true");
  });
});
