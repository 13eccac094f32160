// `wasm-compose bindings` never harms what is already on disk: it refuses to replace the user's own
// files, keeps --name inside the output folder, names the path when the output cannot be written
// (and leaves nothing behind), and tells inputs apart by their content, not their file name.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { encodeWitPackage } from "@wasm-compose/component";
import { loadWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/bin.js";

const fixture = (p: string) => fileURLToPath(new URL(`../../../fixtures/${p}`, import.meta.url));
const cCase = fixture("prebuilt/c-case.wasm");
const appWit = fixture("wit/app");

let root: string;
let n = 0;
/** A fresh, empty folder for one case. */
async function fresh(): Promise<string> {
  const dir = join(root, `t${n++}`);
  await mkdir(dir);
  return dir;
}

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** Every file under `dir` with its contents. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(dir.length + 1)] = await readFile(path, "latin1");
    }
  }
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "bindings-safety-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("bindings keeps the user's own files", () => {
  it("--host -o . in a project folder: refused, exit 1, package.json and index.js untouched", async () => {
    const dir = await fresh();
    await writeFile(join(dir, "package.json"), '{"name":"my-project"}\n');
    await writeFile(join(dir, "index.js"), "console.log('mine');\n");
    const before = await snapshot(dir);
    const r = await cli("bindings", cCase, "--host", "-o", dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[OUTPUT_EXISTS\]: /);
    expect(r.stderr).toContain(join(dir, "package.json"));
    expect(r.stderr).toContain(join(dir, "index.js"));
    expect(r.stdout).toBe("");
    expect(await snapshot(dir)).toEqual(before);
  });

  it("--guest --name . -o .: refused before anything is written", async () => {
    const dir = await fresh();
    await writeFile(join(dir, "package.json"), '{"name":"my-project"}\n');
    await writeFile(join(dir, "index.js"), "console.log('mine');\n");
    const before = await snapshot(dir);
    const r = await cli("--json", "bindings", cCase, "--guest", "--name", ".", "-o", dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: "BAD_INPUT", message: expect.stringContaining("expected an npm package name") },
    });
    expect(await snapshot(dir)).toEqual(before);
  });

  it("regenerates over its own earlier output, host and guest", async () => {
    const dir = await fresh();
    const host = join(dir, "host");
    expect((await cli("bindings", cCase, "--host", "-o", host)).code).toBe(0);
    const again = await cli("bindings", cCase, "--host", "--name", "case-lib", "-o", host);
    expect(again.code).toBe(0);
    expect(JSON.parse(await readFile(join(host, "package.json"), "utf8")).name).toBe("case-lib");
    expect(await readFile(join(host, "index.js"), "utf8")).toContain('// The "case-lib" package.');

    const guest = join(dir, "guest");
    for (const results of ["throw", "union"]) {
      const r = await cli("bindings", cCase, "--guest", "--name", "case-lib", "-o", guest, "--results", results);
      expect(r.code).toBe(0);
    }
    expect(await readdir(guest)).toEqual([".wit-types", "case-lib"]);
  });
});

describe("bindings --guest --name stays inside the output folder", () => {
  it("refuses a name with path traversal or a space, creating nothing", async () => {
    const dir = await fresh();
    for (const [name, out] of [
      ["../../evil", join(dir, "a/g6")],
      ["Bad Name", join(dir, "gb")],
      ["/tmp/abs", join(dir, "ga")],
    ]) {
      const r = await cli("bindings", cCase, "--guest", "--name", name, "-o", out);
      expect(r.code, name).toBe(1);
      expect(r.stderr).toBe(
        `error[BAD_INPUT]: alias: expected an npm package name (lower case, e.g. rust-lib or @scope/rust-lib), found "${name}"\n`,
      );
    }
    expect(await readdir(dir)).toEqual([]);
    expect(existsSync(join(dir, "../evil"))).toBe(false);
    // The same check on a WIT folder's alias.
    const wit = await cli("bindings", appWit, "--guest", "--name", "../up", "-o", join(dir, "w"));
    expect(wit.code).toBe(1);
    expect(existsSync(join(dir, "w"))).toBe(false);
  });
});

describe("bindings names an output path it cannot write, and leaves nothing behind", () => {
  it("--host -o <an existing file>", async () => {
    const dir = await fresh();
    const file = join(dir, "cc.wasm");
    await copyFile(cCase, file);
    const r = await cli("bindings", file, "--host", "-o", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error[OUTPUT_EXISTS]: cannot write into ${file}: it is a file, not a folder; nothing was written\n`,
    );
    expect(await readdir(dir)).toEqual(["cc.wasm"]);
  });

  it("--guest where the alias folder is an existing file: no .wit-types left behind", async () => {
    const dir = await fresh();
    const out = join(dir, "g8");
    await mkdir(out);
    await writeFile(join(out, "c-case"), "a file of mine\n");
    const r = await cli("bindings", cCase, "--guest", "--name", "c-case", "-o", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[OUTPUT_EXISTS]: cannot write into ${join(out, "c-case")}: it is a file`);
    expect(r.stderr).not.toContain("EEXIST");
    expect(await snapshot(out)).toEqual({ "c-case": "a file of mine\n" });
  });
});

describe("bindings tells inputs apart by content", () => {
  it("--host on a component whose name does not end in .wasm", async () => {
    const dir = await fresh();
    const bin = join(dir, "case.bin");
    await copyFile(cCase, bin);
    const r = await cli("--json", "bindings", bin, "--host", "-o", join(dir, "out"));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { name: string; interfaces: string[] };
    // Named after the file without its extension, as `c-case.wasm` gives `c-case`.
    expect(result).toMatchObject({ name: "case", interfaces: ["example:text/case@0.1.0"] });
    expect(await readFile(join(dir, "out/index.js"), "utf8")).toContain("export const { upper, lower }");
  });

  it("--guest on a component and on a binary WIT package, whatever their names", async () => {
    const dir = await fresh();
    const bin = join(dir, "case.bin");
    await copyFile(cCase, bin);
    const fromComponent = await cli("--json", "bindings", bin, "--guest", "-o", join(dir, "g1"));
    expect(fromComponent.code).toBe(0);
    expect(JSON.parse(fromComponent.stdout).aliases).toEqual([
      { name: "case", interfaces: ["example:text/case@0.1.0"] },
    ]);

    const { resolve, packageId } = await loadWitPackage(appWit);
    const pkg = join(dir, "app.witpkg");
    await writeFile(pkg, encodeWitPackage(resolve, packageId));
    const fromPackage = await cli("--json", "bindings", pkg, "--guest", "-o", join(dir, "g2"));
    const fromFolder = await cli("--json", "bindings", appWit, "--guest", "-o", join(dir, "g3"));
    expect(fromPackage.code).toBe(0);
    expect(JSON.parse(fromPackage.stdout).aliases).toEqual(JSON.parse(fromFolder.stdout).aliases);
    expect(await readFile(join(dir, "g2/math/index.d.ts"), "utf8")).toBe(
      await readFile(join(dir, "g3/math/index.d.ts"), "utf8"),
    );
  });

  it("--guest on WIT text in a file named .wasm", async () => {
    const dir = await fresh();
    const file = join(dir, "api.wasm");
    await writeFile(file, "package a:b;\ninterface i { f: func() -> u32; }\nworld w { import i; }\n");
    const r = await cli("--json", "bindings", file, "--guest", "-o", join(dir, "g"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).aliases).toEqual([{ name: "b", interfaces: ["a:b/i"] }]);
  });

  it("refuses a binary that is not a component or a WIT package, without quoting its bytes", async () => {
    const dir = await fresh();
    const gz = join(dir, "case.wit");
    await writeFile(gz, gzipSync("package a:b;\n"));
    const r = await cli("bindings", gz, "--guest", "-o", join(dir, "g"));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error[INVALID_INPUT]: ${gz}: expected a component, a binary WIT package or WIT text, found a binary file (no \\0asm magic)\n`,
    );

    // The smallest core module: the magic and version 1.
    const core = join(dir, "core.wasm");
    await writeFile(core, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const m = await cli("bindings", core, "--guest", "-o", join(dir, "g"));
    expect(m.code).toBe(1);
    expect(m.stderr).toContain("found a core module");
    expect(existsSync(join(dir, "g"))).toBe(false);
  });

  it("--host on WIT (a folder or a binary package): it needs a component to run, exit 1", async () => {
    const dir = await fresh();
    const folder = await cli("bindings", appWit, "--host", "-o", join(dir, "h"));
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(`error[INVALID_INPUT]: --host needs a component to run, found a folder: ${appWit}\n`);
    const { resolve, packageId } = await loadWitPackage(appWit);
    const pkg = join(dir, "app.wasm");
    await writeFile(pkg, encodeWitPackage(resolve, packageId));
    const binary = await cli("bindings", pkg, "--host", "-o", join(dir, "h"));
    expect(binary.code).toBe(1);
    expect(binary.stderr).toContain("found a binary WIT package (types only)");
    expect(existsSync(join(dir, "h"))).toBe(false);
  });
});
