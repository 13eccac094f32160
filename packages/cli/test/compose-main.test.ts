// compose, plug and targets through the CLI's `main`, on the real fixtures.
import { execFileSync, spawn } from "node:child_process";
import { access, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { print } from "@bytecodealliance/jco";
import { encodeWitPackage } from "@wasm-compose/component";
import { loadWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures, fixturePath, repoRoot } from "../../../fixtures/lib/fixtures.mjs";
import { main } from "../src/bin.js";

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

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

  it("draws the graph as SVG with Graphviz", async () => {
    const wac = join(tmp, "one.wac");
    await writeFile(wac, "package t:one;\nlet a = new example:arith {};\nexport a.arith;\n");
    const svg = join(tmp, "one.svg");
    const args = [
      "--dep",
      `example:arith=${fixturePath("rust-arith")}`,
      "--no-registries",
      "-o",
      join(tmp, "one.wasm"),
    ];
    const r = await cli("compose", wac, ...args, "--graph", svg);
    expect(r.code).toBe(0);
    const text = await readFile(svg, "utf8");
    expect(text).toMatch(/<svg[^>]*>/);
    // Graphviz lays out the nodes the DOT names: the instance and the export.
    expect(text).toContain("<title>instance:a</title>");
    expect(text).toContain("example:math/arith@0.1.0");
  });
});

describe("wasm-compose compose: outputs and what it reports", () => {
  const TITLE =
    "package t:titled;\nlet c = new example:case {};\nlet t = new example:title { ... };\nexport t.title;\n";
  const deps = () => [
    "--dep",
    `example:case=${fixturePath("c-case")}`,
    "--dep",
    `example:title=${fixturePath("rust-title")}`,
    "--no-registries",
  ];

  it("refuses outputs that are an input or each other, and an unknown graph format, writing nothing", async () => {
    const wac = join(tmp, "same.wac");
    await writeFile(wac, TITLE);
    const over = await cli("compose", wac, ...deps(), "-o", wac);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain(`-o ${wac} is the same file as the input ${wac}`);
    expect(await readFile(wac, "utf8")).toBe(TITLE);
    const out = join(tmp, "same.wasm");
    const dot = join(tmp, "same.dot");
    const both = await cli("compose", wac, ...deps(), "-o", dot, "--graph", dot);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`--graph ${dot} is the same file as the -o ${dot}`);
    expect(await exists(dot)).toBe(false);
    const both2 = await cli("compose", wac, ...deps(), "--registry", "127.0.0.1:1", "-o", out);
    expect(both2.code).toBe(2);
    expect(both2.stderr).toContain("--registry and --no-registries cannot go together");
    const png = await cli("compose", wac, ...deps(), "-o", out, "--graph", join(tmp, "g.png"));
    expect(png.code).toBe(2);
    expect(png.stderr).toMatch(/expected a \.dot, \.gv or \.svg file/);
    expect(await exists(out)).toBe(false);
  });

  it("leaves no component behind when the graph cannot be written, and no temporary file", async () => {
    const wac = join(tmp, "nograph.wac");
    await writeFile(wac, TITLE);
    const out = join(tmp, "nograph.wasm");
    const r = await cli("compose", wac, ...deps(), "-o", out, "--graph", join(tmp, "missing-dir", "g.dot"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*missing-dir.*g\.dot: no such file or directory/);
    expect(await exists(out)).toBe(false);
    expect((await readdir(tmp)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses an output that is a file found in the deps folder, or a link to an input", async () => {
    const wac = join(tmp, "depsdir.wac");
    await writeFile(wac, TITLE);
    const depsDir = join(tmp, "depsdir");
    await mkdir(join(depsDir, "example"), { recursive: true });
    const caseFile = join(depsDir, "example", "case.wasm");
    const original = await readFile(fixturePath("c-case"));
    await writeFile(caseFile, original);
    const titleDep = ["--dep", `example:title=${fixturePath("rust-title")}`, "--no-registries"];
    const over = await cli("compose", wac, "--deps-dir", depsDir, ...titleDep, "-o", caseFile);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain(`-o ${caseFile} is the same file as the input ${caseFile}`);
    expect(Buffer.compare(await readFile(caseFile), original)).toBe(0);
    const linked = join(tmp, "linked.wac");
    await symlink(wac, linked);
    const viaLink = await cli("compose", wac, "--deps-dir", depsDir, ...titleDep, "-o", linked);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain(`-o ${linked} is the same file as the input ${wac}`);
    expect(await readFile(wac, "utf8")).toBe(TITLE);
  });

  it("reports the components it imports with --import-dependencies, as inspect lists them", async () => {
    const wac = join(tmp, "imported.wac");
    await writeFile(
      wac,
      "package t:titled;\nlet c = new example:case {};\nlet t = new example:title { case: c.case };\nexport t.title;\n",
    );
    const out = join(tmp, "imported.wasm");
    const r = await cli("--json", "compose", wac, ...deps(), "--import-dependencies", "-o", out);
    expect(r.stderr).toBe("");
    const imports = (JSON.parse(r.stdout) as { imports: string[] }).imports;
    expect(imports).toEqual(["unlocked-dep=<example:case>", "unlocked-dep=<example:title>"]);
    // jco sees the same imports in the component.
    const printed = await print(await readFile(out));
    expect([...printed.matchAll(/^ {2}\(import "([^"]+)"/gm)].map((m) => m[1])).toEqual(imports);
    const shown = JSON.parse((await cli("--json", "inspect", out)).stdout) as {
      imports: { name: string; kind: string }[];
    };
    expect(shown.imports).toEqual(imports.map((name) => ({ name, kind: "component" })));
  });

  it("keeps a WAC error's composition cause in --json: its code and details", async () => {
    const wac = join(tmp, "mismatch.wac");
    await writeFile(
      wac,
      "package t:mismatch;\nlet a = new example:arith {};\nlet t = new example:title { case: a.arith, ... };\nexport t.title;\n",
    );
    const r = await cli(
      "--json",
      "compose",
      wac,
      ...deps(),
      "--dep",
      `example:arith=${fixturePath("rust-arith")}`,
      "-o",
      join(tmp, "mismatch.wasm"),
    );
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout) as {
      error: { code: string; line: number; cause?: { code: string; details?: Record<string, unknown> } };
    };
    expect(error.line).toBe(3);
    expect(error.cause?.code).toBe("TYPE_MISMATCH");
    expect(error.cause?.details).toBeDefined();
  });

  it("tells how to give a package it cannot find", async () => {
    const wac = join(tmp, "unknown.wac");
    await writeFile(wac, "package t:unknown;\nlet c = new example:nosuch {};\nexport c.case;\n");
    const r = await cli("compose", wac, "--no-registries", "--deps-dir", tmp, "-o", join(tmp, "unknown.wasm"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("package `example:nosuch` not found");
    expect(r.stderr).toContain(`help: give it with --dep ns:pkg=path or put it in the deps folder (${tmp})`);
  });

  it("says the registry is unreachable, not that the package does not exist", async () => {
    const wac = join(tmp, "unreachable.wac");
    await writeFile(wac, "package t:far;\nlet c = new example:case {};\nexport c.case;\n");
    const r = await cli("compose", wac, "--registry", "127.0.0.1:1", "--deps-dir", tmp, "-o", join(tmp, "far.wasm"));
    expect(r.code).toBe(1);
    // (A note may come first: a registry.json this machine found for the host before.)
    expect(r.stderr).toMatch(/^error\[NETWORK_ERROR\]/m);
    expect(r.stderr).not.toContain("not found");
  });
});

describe("plug output errors", () => {
  it("names the output and the reason, without temporary file names", async () => {
    const r = await cli(
      "plug",
      fixturePath("rust-title"),
      "--plug",
      fixturePath("c-case"),
      "-o",
      `${fixturePath("c-case")}/x.wasm`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error[INVALID_INPUT]: cannot write ${fixturePath("c-case")}/x.wasm: a part of the path is not a directory\n`,
    );
  });
});

describe("plug inputs and outputs", () => {
  it("refuses an output that is the socket or a plug, and a component given twice, writing nothing", async () => {
    const socket = join(tmp, "socket.wasm");
    const plugFile = join(tmp, "plug.wasm");
    await writeFile(socket, await readFile(fixturePath("rust-title")));
    await writeFile(plugFile, await readFile(fixturePath("c-case")));
    const before = [await readFile(socket), await readFile(plugFile)];
    const overSocket = await cli("plug", socket, "--plug", plugFile, "-o", socket);
    expect(overSocket.code).toBe(2);
    expect(overSocket.stderr).toContain(`-o ${socket} is the same file as the input ${socket}`);
    const overPlug = await cli("plug", socket, "--plug", plugFile, "-o", plugFile);
    expect(overPlug.code).toBe(2);
    expect(overPlug.stderr).toContain(`-o ${plugFile} is the same file as the input ${plugFile}`);
    const twice = await cli("plug", socket, "--plug", plugFile, "--plug", plugFile, "-o", join(tmp, "twice.wasm"));
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${plugFile} is given twice`);
    expect(await exists(join(tmp, "twice.wasm"))).toBe(false);
    expect(Buffer.compare(await readFile(socket), before[0])).toBe(0);
    expect(Buffer.compare(await readFile(plugFile), before[1])).toBe(0);
  });
});

describe("plug output paths", () => {
  it("writes through a symbolic link and into a FIFO in place, and refuses -o -", async () => {
    const dir = await mkdtemp(join(tmp, "outputs-"));
    const args = ["plug", fixturePath("rust-title"), "--plug", fixturePath("c-case")];
    const real = join(dir, "real.wasm");
    await writeFile(real, "old");
    await symlink(real, join(dir, "link.wasm"));
    expect((await cli(...args, "-o", join(dir, "link.wasm"))).code).toBe(0);
    expect((await lstat(join(dir, "link.wasm"))).isSymbolicLink()).toBe(true);
    const plugged = await readFile(real);
    expect(plugged.subarray(0, 4)).toEqual(Buffer.from("\0asm"));

    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("sh", ["-c", 'cat "$0" > "$1"', fifo, join(dir, "from-fifo")]);
    const read = new Promise((done) => reader.on("exit", done));
    expect((await cli(...args, "-o", fifo)).code).toBe(0);
    await read;
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readFile(join(dir, "from-fifo"))).toEqual(plugged);

    const dash = await cli(...args, "-o", "-");
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain("-o -: writing to standard output is not supported");
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
    expect(ok.stdout).toBe(`${app} targets example:app/app@0.1.0\n`);
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
    expect(r.stderr).toMatch(/^error\[NOTHING_PLUGGED\]: no import of "go-words"/);
  });
});

describe("wasm-compose targets with a binary WIT package", () => {
  it("checks a component against a world read from a .wasm WIT package", async () => {
    const { resolve, packageId } = await loadWitPackage(join(repoRoot, "fixtures/wit/app"));
    const pkg = join(tmp, "app-wit.wasm");
    await writeFile(pkg, encodeWitPackage(resolve, packageId));
    const paths = await ensureFixtures(["js-app"]);
    const ok = await cli("targets", paths["js-app"]!, "--wit", pkg, "--world", "app");
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    // The WIT package itself is not a component to check, and says so.
    const itself = await cli("targets", pkg, "--wit", pkg, "--world", "app");
    expect(itself.code).toBe(1);
    expect(itself.stderr).toBe(
      `error[INVALID_INPUT]: ${pkg} is a WIT package, not a component: targets checks a component against a world\n`,
    );
    const socket = await cli("plug", pkg, "--plug", fixturePath("c-case"), "-o", join(tmp, "never.wasm"));
    expect(socket.stderr).toBe(
      `error[INVALID_INPUT]: ${pkg}: a WIT package (types only), not a component that can be instantiated\n`,
    );
    const bad = await cli("targets", fixturePath("go-words"), "--wit", pkg, "--world", "app");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("import wasi:cli/environment@0.2.0: not allowed by world app");
  });
});
