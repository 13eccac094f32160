// The README's first command: `npm run demo` runs the whole story and prints the app's report.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("npm run demo", () => {
  it("publishes, pulls, plugs and runs the polyglot app", { timeout: 180_000 }, () => {
    const r = spawnSync(process.execPath, ["scripts/demo.mjs"], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const pkg of ["demo:arith", "demo:pattern", "demo:stats", "demo:case", "demo:words"]) {
      expect(r.stdout).toContain(`$ wasm-compose publish`);
      expect(r.stdout).toContain(`$ wasm-compose pull ${pkg}@^0.1`);
    }
    expect(r.stdout).toMatch(/wrote .*app\.wasm \(\d+ bytes, 10 imports left open\)/);
    expect(r.stdout).toContain("reversed: app.js with app.wasm into words.go stats.c lib.rs compose");
    expect(r.stdout).toContain("lengths: count 8, mean 6.25, min 4, max 8");
    expect(r.stdout).toContain("globs: *.rs=1 *.c=1 *.go=1 *.js=1 *.wa?m=1");
  });
});
