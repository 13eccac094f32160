// Set-up steps shared by `npm test` and `npm run demo`: npm dependencies, Debian packages, a build.
// Plain Node with no npm imports, because it runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const root = fileURLToPath(new URL("../..", import.meta.url));

/** Prints a step's name and how long it took. */
export async function step(name, fn) {
  const started = performance.now();
  process.stdout.write(`\n▸ ${name}\n`);
  const result = await fn();
  process.stdout.write(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

/** Runs a command in the repository root with inherited output; throws when it fails. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const e = new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
    e.exitCode = r.status ?? 1;
    throw e;
  }
}

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
export function ensureNpmDependencies() {
  const lock = join(root, "package-lock.json");
  const installed = join(root, "node_modules", ".package-lock.json");
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return false;
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  return true;
}

/**
 * Debian packages the tests need, each with a file that shows it is installed
 * (checking files is faster than asking dpkg and works in any container).
 */
export const debianPackages = [
  { name: "clang", file: "/usr/bin/clang" },
  { name: "lld", file: "/usr/bin/wasm-ld" },
  { name: "wasi-libc", file: "/usr/include/wasm32-wasi/stdlib.h" },
  {
    name: "libclang-rt-14-dev-wasm32",
    file: "/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a",
  },
  { name: "rustc", file: "/usr/bin/rustc" },
  { name: "libstd-rust-dev-wasm32", file: "/usr/lib/rustlib/wasm32-unknown-unknown" },
  { name: "docker-registry", file: "/usr/bin/docker-registry" },
  { name: "apache2-utils", file: "/usr/bin/htpasswd" },
  { name: "skopeo", file: "/usr/bin/skopeo" },
  { name: "openssl", file: "/usr/bin/openssl" },
];

/** Installs the missing Debian packages with apt as root; otherwise says which ones to install. */
export function ensureDebianPackages(packages = debianPackages) {
  const missing = packages.filter((p) => !existsSync(p.file)).map((p) => p.name);
  if (missing.length === 0) return [];
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    const e = new Error(
      `missing Debian packages: ${missing.join(" ")}\n` +
        `install them as root, then run again:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(" ")}`,
    );
    e.exitCode = 1;
    throw e;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-q"], { env });
  run("apt-get", ["install", "-y", "-q", ...missing], { env });
  return missing;
}

/** The version of an installed npm package, or undefined. */
export function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}
