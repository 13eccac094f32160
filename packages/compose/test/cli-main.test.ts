// The three commands through the CLI's `main`, registered with the CommandSpec lines proposed for
// packages/cli/src/commands.ts (added here only if the table does not have them yet).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures, fixturePath, repoRoot } from "../../../fixtures/lib/fixtures.mjs";
import { main } from "../../cli/src/bin.js";
import { type CommandSpec, commands } from "../../cli/src/commands.js";

const PROPOSED: CommandSpec[] = [
  {
    syntax: "plug <socket>",
    summary:
      "Plug components into a socket component's imports (plugs may satisfy each other's) and write one component",
    options: [
      { flags: "--plug <file...>", description: "a component whose exports satisfy imports (repeatable)" },
      { flags: "-o, --output <file>", description: "where to write the composed component" },
      { flags: "--name <name>", description: "the component-name of the result (default: the socket's file name)" },
    ],
    load: () => import("../../cli/src/commands/plug.js"),
  },
  {
    syntax: "compose <file>",
    summary: "Compose components as a WAC document says and write one component",
    options: [
      {
        flags: "--dep <ns:pkg=path...>",
        description: "a package's file: a component, a binary WIT package, a .wit file or a WIT folder (repeatable)",
      },
      {
        flags: "--deps-dir <dir>",
        description: "where other packages are: <dir>/<ns>/<pkg>[@<version>].wasm, or WIT",
        defaultValue: "deps",
      },
      { flags: "--registry <host>", description: "pull packages without a file from this registry" },
      { flags: "--no-registries", description: "never pull packages from registries" },
      { flags: "--import-dependencies", description: "import the components instead of embedding them" },
      { flags: "-o, --output <file>", description: "where to write the composed component" },
      { flags: "--graph <file>", description: "also write the composition graph (.dot; .svg needs @viz-js/viz)" },
    ],
    load: () => import("../../cli/src/commands/compose.js"),
  },
  {
    syntax: "targets <file>",
    summary: "Check that a component fits a world: only allowed imports, every required export",
    options: [
      { flags: "--wit <path>", description: "the WIT file or folder with the world" },
      { flags: "--world <name>", description: "the world (needed when the package has several)" },
    ],
    load: () => import("../../cli/src/commands/targets.js"),
  },
];

for (const spec of PROPOSED) {
  const verb = spec.syntax.split(" ")[0];
  if (!commands.some((c) => c.syntax.split(" ")[0] === verb)) commands.push(spec);
}

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "compose-main-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("wasm-compose compose", () => {
  it("takes repeated --dep flags and --no-registries, and writes the graph as DOT", async () => {
    const wac = join(tmp, "two.wac");
    await writeFile(
      wac,
      "package t:two;\nlet a = new example:arith {};\nlet s = new example:stats {};\nexport a.arith;\nexport s.stats;\n",
    );
    const out = join(tmp, "two.wasm");
    const dot = join(tmp, "two.dot");
    const r = await cli(
      "compose",
      wac,
      "--dep",
      `example:arith=${fixturePath("rust-arith")}`,
      "--dep",
      `example:stats=${fixturePath("c-stats")}`,
      "--no-registries",
      "-o",
      out,
      "--graph",
      dot,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0 imports left open");
    expect(await readFile(dot, "utf8")).toContain('"instance:s" -> "export:example:math/stats@0.1.0"');
    const missing = await cli("compose", wac, "--no-registries", "-o", out, "--deps-dir", tmp);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("package `example:arith` not found");
    expect(missing.stderr).toContain("--> ");
  });
});

describe("wasm-compose plug / targets", () => {
  it("plugs with repeated --plug flags, then checks the result against a world", async () => {
    const app = (await ensureFixtures(["js-app"]))["js-app"]!;
    const out = join(tmp, "app.wasm");
    const libs = (["rust-arith", "rust-pattern", "c-stats", "c-case", "go-words"] as const).map((n) => fixturePath(n));
    const r = await cli("plug", app, ...libs.flatMap((l) => ["--plug", l]), "-o", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("plugged js-app: example:text/pattern@0.1.0 <- rust-pattern");
    expect(r.stdout).toMatch(/wrote .*app\.wasm \(\d+ bytes, 10 imports left open\)/);
    // The app's world allows the five libraries, not WASI: the composed app does not fit it.
    const t = await cli("targets", out, "--wit", join(repoRoot, "fixtures/wit/app"), "--world", "app");
    expect(t.code).toBe(1);
    expect(t.stderr).toContain("import wasi:cli/environment@0.2.0: not allowed by world app");
    const ok = await cli("targets", app, "--wit", join(repoRoot, "fixtures/wit/app"));
    expect(ok.code).toBe(0);
  });

  it("prints a composition error with its code and exit code 1", async () => {
    const r = await cli(
      "plug",
      fixturePath("go-words"),
      "--plug",
      fixturePath("rust-arith"),
      "-o",
      join(tmp, "x.wasm"),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[nothing-plugged\]: no import of "go-words"/);
  });
});
