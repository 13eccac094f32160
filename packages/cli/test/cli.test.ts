// The CLI skeleton: help, version, exit codes, and how errors are printed.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/bin.js";
import { errorJson, formatError, UsageError } from "../src/errors.js";

const bin = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe("wasm-compose CLI", () => {
  it("prints help listing the global options, exit 0", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wasm-compose/);
    for (const flag of ["--json", "--quiet", "--debug", "--version"]) expect(r.stdout).toContain(flag);
  });

  it("prints help when called with no arguments", async () => {
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: wasm-compose");
  });

  it("prints the package version", async () => {
    const r = await cli("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("rejects an unknown command or flag with exit code 2 and one line on stderr", async () => {
    for (const argv of [["frobnicate"], ["--no-such-flag"]]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stdout).toBe("");
    }
  });

  it("runs as a real process through the bin script", () => {
    const ok = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim()).toBe(pkg.version);
    const bad = spawnSync(process.execPath, [bin, "frobnicate"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("error formatting", () => {
  class Located extends Error {
    readonly code = "SOME_CODE";
    render() {
      return "bad thing\n --> a.wit:1:2";
    }
  }

  it("shows a coded error's rendered form and code, with no stack", () => {
    const text = formatError(new Located("bad thing"), false);
    expect(text).toBe("error[SOME_CODE]: bad thing\n --> a.wit:1:2");
    expect(text).not.toContain(" at ");
  });

  it("shows the stack with --debug", () => {
    const e = new Error("boom");
    expect(formatError(e, true)).toContain(e.stack);
  });

  it("turns errors into JSON with a code", () => {
    expect(errorJson(new UsageError("missing <path>"))).toEqual({
      error: { code: "USAGE", message: "missing <path>" },
    });
    expect(errorJson(new Error("x"))).toEqual({ error: { code: "INTERNAL", message: "x" } });
  });
});
