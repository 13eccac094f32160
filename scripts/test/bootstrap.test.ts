// The set-up steps of `npm test`: what a developer who is not root is told, and what counts as installed.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { debianPackages, ensureDebianPackages } from "../lib/bootstrap.mjs";

const bootstrap = fileURLToPath(new URL("../lib/bootstrap.mjs", import.meta.url));

describe("ensureDebianPackages", () => {
  it("does nothing when every package's file is there", () => {
    expect(ensureDebianPackages([{ name: "coreutils", file: "/bin/ls" }])).toEqual([]);
  });

  it("names the missing packages and the apt-get line for a user who is not root", () => {
    // Run as `nobody` in a real child process: the check must not try apt and must say what to install.
    const script = `
      const { ensureDebianPackages } = await import(${JSON.stringify(bootstrap)});
      try {
        ensureDebianPackages([
          { name: "coreutils", file: "/bin/ls" },
          { name: "no-such-package-a", file: "/nonexistent/a" },
          { name: "no-such-package-b", file: "/nonexistent/b" },
        ]);
        console.log("no error");
      } catch (e) { console.log(e.message); process.exitCode = e.exitCode; }`;
    const r = spawnSync(
      "setpriv",
      ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "--input-type=module", "-e", script],
      {
        encoding: "utf8",
        cwd: "/",
      },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("missing Debian packages: no-such-package-a no-such-package-b");
    expect(r.stdout).toContain("sudo apt-get update && sudo apt-get install -y no-such-package-a no-such-package-b");
    expect(r.stdout).not.toContain("coreutils");
  });

  it("lists every toolchain and service the tests use", () => {
    const names = debianPackages.map((p) => p.name);
    for (const n of ["clang", "lld", "wasi-libc", "rustc", "libstd-rust-dev-wasm32", "docker-registry", "skopeo"]) {
      expect(names).toContain(n);
    }
  });
});
