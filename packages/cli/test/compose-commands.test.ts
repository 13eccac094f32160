// The CLI's `plug`, `compose` and `targets` command modules, run directly on the real fixtures.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWorld } from "@wasm-compose/component";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures, fixturePath, repoRoot } from "../../../fixtures/lib/fixtures.mjs";
import { run as composeCommand } from "../src/commands/compose.js";
import { run as plugCommand } from "../src/commands/plug.js";
import { run as targetsCommand } from "../src/commands/targets.js";
import { Output } from "../src/output.js";

function capture(json = false) {
  const o = { stdout: "", stderr: "" };
  const out = new Output(
    { json, quiet: false, debug: false },
    (s) => (o.stdout += s),
    (s) => (o.stderr += s),
  );
  return { o, out };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "compose-cli-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("plug command", () => {
  it("fails clearly when no plug fits the socket", async () => {
    // rust-pattern plugged into nothing: the socket is go-words (WASI imports only) -> nothing plugged.
    const { out } = capture();
    await expect(
      plugCommand([fixturePath("go-words")], { plug: [fixturePath("rust-arith")], output: join(tmp, "x.wasm") }, out),
    ).rejects.toMatchObject({ code: "NOTHING_PLUGGED" });
  });

  it("writes the composed app and reports the wiring as JSON", async () => {
    const app = join(repoRoot, "fixtures/build/js-app.wasm");
    const output = join(tmp, "app.wasm");
    const { o, out } = capture(true);
    const plugs = (["rust-arith", "rust-pattern", "c-stats", "c-case", "go-words"] as const).map((n) => fixturePath(n));
    expect(await plugCommand([app], { plug: plugs, output }, out)).toBe(0);
    const json = JSON.parse(o.stdout);
    expect(json.wires).toHaveLength(5);
    expect(json.unused).toEqual([]);
    expect(json.imports.every((i: string) => i.startsWith("wasi:"))).toBe(true);
    const world = componentWorld(new Uint8Array(await readFile(output)));
    expect([...world.resolve.worlds[world.world].exports.keys()]).toHaveLength(1);
  });

  it("asks for the missing pieces", async () => {
    const { out } = capture();
    await expect(plugCommand([], {}, out)).rejects.toMatchObject({ code: "USAGE" });
    await expect(plugCommand(["a.wasm"], {}, out)).rejects.toMatchObject({ code: "USAGE" });
    await expect(plugCommand(["a.wasm"], { plug: ["b.wasm"] }, out)).rejects.toMatchObject({ code: "USAGE" });
    await expect(plugCommand(["missing.wasm"], { plug: ["b.wasm"], output: "o.wasm" }, out)).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});

describe("targets command", () => {
  it("accepts a library against its own world", async () => {
    const { o, out } = capture();
    const code = await targetsCommand(
      [fixturePath("rust-arith")],
      { wit: join(repoRoot, "fixtures/wit/math"), world: "arith-lib" },
      out,
    );
    expect(o.stderr).toBe("");
    expect(code).toBe(0);
    expect(o.stdout).toContain("targets example:math");
  });

  it("lists every problem when the component does not fit", async () => {
    const { o, out } = capture();
    const code = await targetsCommand(
      [fixturePath("go-words")],
      { wit: join(repoRoot, "fixtures/wit/math"), world: "arith-lib" },
      out,
    );
    expect(code).toBe(1);
    expect(o.stderr).toContain("import wasi:io/streams@0.2.0: not allowed by world arith-lib");
    expect(o.stderr).toContain("export example:math/arith@0.1.0: required by world arith-lib, not exported");
  });
});

describe("compose command", () => {
  it("finds packages with --dep and in the deps folder (versioned files first), writes the result and a DOT graph", async () => {
    const paths = await ensureFixtures(["js-app"]);
    const deps = join(tmp, "deps");
    await mkdir(join(deps, "example"), { recursive: true });
    await copyFile(fixturePath("rust-arith"), join(deps, "example", "arith@0.1.0.wasm"));
    // An unversioned file that must lose to the versioned one.
    await copyFile(fixturePath("c-case"), join(deps, "example", "arith.wasm"));
    await copyFile(fixturePath("c-stats"), join(deps, "example", "stats.wasm"));
    await copyFile(fixturePath("rust-pattern"), join(deps, "example", "pattern.wasm"));
    await copyFile(fixturePath("c-case"), join(deps, "example", "case.wasm"));
    await copyFile(fixturePath("go-words"), join(deps, "example", "words.wasm"));
    const wac = join(tmp, "app.wac");
    await writeFile(
      wac,
      `package example:composed;
let words = new example:words { ... };
let stats = new example:stats {};
let app = new example:app {
  arith: new example:arith@0.1.0 {}.arith,
  ...stats,
  pattern: new example:pattern {}.pattern,
  case: new example:case {}.case,
  ...words,
};
export app.report;
`,
    );
    const output = join(tmp, "composed.wasm");
    const graph = join(tmp, "composed.dot");
    const { o, out } = capture(true);
    const code = await composeCommand(
      [wac],
      { dep: [`example:app=${paths["js-app"]}`], depsDir: deps, output, graph },
      out,
    );
    expect(code).toBe(0);
    const json = JSON.parse(o.stdout);
    expect(json.exports).toEqual(["example:app/report@0.1.0"]);
    expect(json.imports.every((i: string) => i.startsWith("wasi:"))).toBe(true);
    const dot = await readFile(graph, "utf8");
    expect(dot).toMatch(/^digraph "example:composed" \{/);
    expect(dot).toContain('"instance:app" -> "export:example:app/report@0.1.0"');
    expect(dot).toContain('"instance:example:arith" -> "instance:app" [label="example:math/arith@0.1.0"];');
    expect(dot).toContain('"import:wasi:io/streams@0.2.0" -> "instance:words" [label="wasi:io/streams@0.2.0"];');
  });

  it("reports a package it cannot find", async () => {
    const wac = join(tmp, "missing.wac");
    await writeFile(wac, "package t:m;\nlet x = new example:nowhere {};\n");
    const { out } = capture();
    await expect(composeCommand([wac], { output: join(tmp, "m.wasm"), depsDir: tmp }, out)).rejects.toMatchObject({
      code: "WAC_UNKNOWN",
    });
  });
});
