// `wasm-compose wit`: canonical WIT, JSON, one world, features, a rendered error for bad input, and
// a component's world.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { componentEmbed, componentNew, componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { encodeWitPackage } from "@wasm-compose/component";
import { loadWitPackage, parseWit, printWit } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { main } from "../src/bin.js";

const appWit = fileURLToPath(new URL("../../../fixtures/wit/app", import.meta.url));
const fixtureComponent = fileURLToPath(new URL("../../../fixtures/prebuilt/rust-pattern.wasm", import.meta.url));

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe("wasm-compose wit", () => {
  it("prints a package folder with its deps as WIT that parses back", async () => {
    const r = await cli("wit", appWit);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("package example:app@0.1.0;");
    expect(r.stdout).toContain("import example:math/arith@0.1.0;");
    // The deps are printed as nested packages, so the output stands alone.
    const again = parseWit(r.stdout);
    expect(again.packages.map((p) => p.name.name).sort()).toEqual(["app", "math", "text"]);
  });

  it("prints one world with --world and JSON with --json", async () => {
    const one = await cli("wit", appWit, "--world", "app");
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("world app {");
    expect(one.stdout).not.toContain("interface arith");
    const json = await cli("--json", "wit", appWit);
    const doc = JSON.parse(json.stdout) as { packages: { name: string }[]; worlds: unknown[] };
    expect(doc.packages.map((p) => p.name)).toContain("example:app@0.1.0");
    expect(doc.worlds.length).toBeGreaterThan(0);
  });

  it("filters @unstable items by --features", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wit-cmd-"));
    const file = join(dir, "g.wit");
    await writeFile(file, "package a:b;\ninterface i {\n  @unstable(feature = fancy)\n  f: func();\n  g: func();\n}\n");
    expect((await cli("wit", file)).stdout).not.toContain("f: func");
    expect((await cli("wit", file, "--features", "fancy")).stdout).toContain("f: func");
    expect((await cli("wit", file, "--all-features")).stdout).toContain("f: func");
  });

  it("renders a bad input with file, line, caret and hint; exit 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wit-cmd-"));
    const file = join(dir, "bad.wit");
    await writeFile(file, "package a:b;\ninterface i {\n  record point { x: u32 }\n  f: func(p: piont);\n}\n");
    const r = await cli("wit", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:4:14`);
    expect(r.stderr).toContain("f: func(p: piont);");
    expect(r.stderr).toMatch(/\^/);
    expect(r.stderr).toMatch(/point/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reads a binary WIT package (.wasm) as the path", async () => {
    const { resolve, packageId } = await loadWitPackage(
      fileURLToPath(new URL("../../../fixtures/wit/math", import.meta.url)),
    );
    const dir = await mkdtemp(join(tmpdir(), "wit-cmd-"));
    const file = join(dir, "math.wasm");
    await writeFile(file, encodeWitPackage(resolve, packageId));
    const r = await cli("wit", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${printWit(resolve, packageId, { nestedDeps: true })}`);
  });

  it("names the file a binary format error was found in: a component, a WIT package in deps/", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wit-cmd-"));
    const trunc = join(dir, "trunc.wasm");
    await writeFile(trunc, (await readFile(fixtureComponent)).subarray(0, 3000));
    const r = await cli("wit", trunc);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error\\[BAD_SECTION_SIZE\\]: ${trunc}: `));
    const { resolve, packageId } = await loadWitPackage(
      fileURLToPath(new URL("../../../fixtures/wit/math", import.meta.url)),
    );
    const pkg = join(dir, "app");
    await mkdir(join(pkg, "deps"), { recursive: true });
    await writeFile(join(pkg, "app.wit"), "package t:app;\nworld w { import example:math/arith@0.1.0; }\n");
    const dep = join(pkg, "deps", "math.wasm");
    await writeFile(dep, encodeWitPackage(resolve, packageId).subarray(0, 40));
    const d = await cli("wit", pkg);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain(`${dep}: `);
  });

  it("prints a component's world with the packages it uses, which jco builds the same world from", async () => {
    for (const name of ["rust-pattern", "c-stats", "go-words"]) {
      const file = fileURLToPath(new URL(`../../../fixtures/prebuilt/${name}.wasm`, import.meta.url));
      const r = await cli("wit", file);
      expect(r.code).toBe(0);
      // The interfaces' definitions are there, nested after the world: the text stands alone.
      const again = parseWit(r.stdout);
      expect(again.packages.length).toBeGreaterThan(1);
      const rebuilt = await componentNew(await componentEmbed({ dummy: true, witSource: r.stdout, world: "root" }));
      const original = new Uint8Array(await readFile(file));
      expect(await componentWit(rebuilt)).toBe(await componentWit(original));
    }
    const json = await cli("--json", "wit", fixtureComponent);
    expect((JSON.parse(json.stdout) as { worlds: { name: string }[] }).worlds.map((w) => w.name)).toEqual(["root"]);
    const wrong = await cli("wit", fixtureComponent, "--world", "root");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/apply to WIT, not to a component/);
  });

  it("names the worlds there are when --world is wrong", async () => {
    const r = await cli("wit", appWit, "--world", "ap");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/world `ap` not found/);
    expect(r.stderr).toMatch(/app/);
  });
});
