// `wasm-compose inspect`: a real component, a core module, a WIT package, and bad input.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { componentWit, metadataAdd, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { main } from "../src/bin.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/prebuilt/${name}.wasm`, import.meta.url));

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

describe("wasm-compose inspect", () => {
  it("lists a component's exports with their function types", async () => {
    const r = await cli("inspect", fixture("rust-pattern"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("component, 19302 bytes");
    expect(r.stdout).toContain("example:text/pattern@0.1.0 (interface, 4 functions)");
    expect(r.stdout).toContain("match: func(pattern: string, text: string) -> bool");
    expect(r.stdout).toContain("[method]matcher.test: func(self: borrow<matcher>, text: string) -> bool");
  });

  it("prints a producer without a version as its name alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "inspect-meta-"));
    const file = join(dir, "meta.wasm");
    const bytes = new Uint8Array(await readFile(fixture("c-case")));
    await writeFile(file, await metadataAdd(bytes, [["language", [["JavaScript", ""]]]]));
    const r = await cli("inspect", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\n  language: JavaScript\n");
  });

  it("prints the same world as jco's componentWit with --wit", async () => {
    for (const name of ["rust-pattern", "c-stats", "go-words"]) {
      const r = await cli("inspect", fixture(name), "--wit");
      expect(r.code).toBe(0);
      const reference = await componentWit(new Uint8Array(await readFile(fixture(name))));
      const world = (s: string) => squash(s.slice(s.indexOf("world root")).split("}")[0]);
      expect(world(r.stdout)).toBe(world(reference));
    }
  });

  it("gives JSON with --json", async () => {
    const r = await cli("--json", "inspect", fixture("go-words"));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe("component");
    expect(JSON.stringify(doc.imports)).toContain("wasi:cli/environment@0.2.0");
    expect(JSON.stringify(doc.exports)).toContain("example:text/words@0.1.0");
  });

  it("recognises a core module", async () => {
    const dir = await mkdtemp(join(tmpdir(), "inspect-"));
    const file = join(dir, "core.wasm");
    await writeFile(file, await parse('(module (func (export "f") (result i32) i32.const 1))'));
    const r = await cli("inspect", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/core module/);
    // It has no WIT to print: --wit says so instead of printing the report as if asked for nothing.
    const wit = await cli("inspect", file, "--wit");
    expect(wit.code).toBe(1);
    expect(wit.stderr).toMatch(/core\.wasm is a core module, which has no WIT/);
  });

  it("fails with exit 1 and one clear line for a missing file or a file that is not wasm", async () => {
    const missing = await cli("inspect", "/nonexistent/x.wasm");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error[INVALID_INPUT]: cannot read /nonexistent/x.wasm: no such file or directory\n");
    const notWasm = await cli("inspect", fileURLToPath(new URL("../package.json", import.meta.url)));
    expect(notWasm.code).toBe(1);
    expect(notWasm.stderr).toMatch(/^error\[INVALID_INPUT\]: .*package\.json is not a WebAssembly binary\n$/);
  });

  it("reports a truncated component with exit 1 and the reader's error code", async () => {
    const dir = await mkdtemp(join(tmpdir(), "inspect-"));
    const file = join(dir, "truncated.wasm");
    await writeFile(file, (await readFile(fixture("rust-pattern"))).subarray(0, 100));
    const r = await cli("inspect", file);
    expect(r.code).toBe(1);
    // The reader knows a byte offset; the CLI adds the file.
    expect(r.stderr).toBe(`error[BAD_SECTION_SIZE]: ${file}: section 1 exceeds the input (at byte 8)\n`);
    const json = await cli("--json", "inspect", file);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe("BAD_SECTION_SIZE");
  });

  it("points WIT (a .wit file or a folder) at the wit command", async () => {
    const folder = fileURLToPath(new URL("../../../fixtures/wit/math", import.meta.url));
    const r = await cli("inspect", folder);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is WIT, not a WebAssembly binary: \`wasm-compose wit ${folder}\` prints it`);
  });

  it("asks for the file with exit 2 when it is missing", async () => {
    const r = await cli("inspect");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'file'/);
  });
});
