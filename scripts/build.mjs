// `npm run build`: compiles every package with `tsc -b` (dist/: JS, declarations, source maps), then
// bundles each package's entry points into packages/<package>/bundle/ with esbuild. The packages'
// `exports` and the CLI's bin point at the bundles: Node's ESM loader pays for every module it
// resolves, reads and compiles, so one file per entry (and one chunk per CLI command, loaded when
// that command runs) starts faster than the dozens of files tsc writes. The other @wasm-compose
// packages stay imports, so every package is loaded once, whoever imports it; so do npm
// dependencies, but for the CLI's own command-line parser.
// Source maps chain through tsc's to the TypeScript sources.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root, run } from "./lib/bootstrap.mjs";

/** Each package's entry points (files in dist/, without `.js`). */
export const entries = {
  wit: ["index"],
  component: ["index"],
  // `output-path`: the CLI writes its outputs with it without loading the registry client.
  oci: ["index", "output-path"],
  compose: ["index"],
  bindgen: ["index"],
  cli: ["index", "bin"],
};

/** Bundles the compiled packages (dist/ must be current). */
export async function bundle() {
  const { build } = await import("esbuild");
  await Promise.all(
    Object.entries(entries).map(async ([pkg, names]) => {
      // Chunk names carry content hashes: a fresh folder leaves no chunk of an earlier build behind.
      await rm(join(root, "packages", pkg, "bundle"), { recursive: true, force: true });
      await build({
        entryPoints: names.map((n) => join(root, "packages", pkg, "dist", `${n}.js`)),
        outdir: join(root, "packages", pkg, "bundle"),
        bundle: true,
        // Code that two entries share, and each module loaded through `import()` (the CLI's
        // commands), goes into a chunk of its own.
        splitting: true,
        format: "esm",
        platform: "node",
        target: "node20",
        // The CLI takes commander in: as a package it is CommonJS behind an ES wrapper, which
        // costs a few ms more to load.
        // Its `require`s of Node's modules go to a real `require`.
        ...(pkg === "cli"
          ? {
              external: ["@wasm-compose/*"],
              banner: {
                js: 'import { createRequire as __cliRequire } from "node:module"; const require = __cliRequire(import.meta.url);',
              },
            }
          : { packages: "external" }),
        sourcemap: "linked",
        logLevel: "warning",
      });
    }),
  );
}

/** `tsc -b`, then the bundles. */
export async function buildAll() {
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b"]);
  await bundle();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildAll();
