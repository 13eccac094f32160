// Guest end to end: a TypeScript component imports the Rust and C fixtures through alias packages
// (`import { match } from "rust-lib"`), type-checks, is bundled with esbuild and our plugin,
// componentized with componentize-js, plugged with the fixture components into one component,
// and that component runs in Node through its generated host package, called from a type-checked
// TypeScript program: no import is wired by hand.
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { esbuildPlugin, generateGuestBindings, generateHostPackage, writeFiles } from "@wasm-compose/bindgen";
import { plug } from "@wasm-compose/compose";
import { loadWitPackage } from "@wasm-compose/wit";
import { build, transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures } from "../../../fixtures/lib/fixtures.mjs";
import { type Diagnostic, repoRoot, scratch, typecheck } from "./helpers.js";

const exec = promisify(execFile);

const WIT = `package test:guest@0.1.0;

interface api {
  run: func(input: string) -> string;
}

world guest {
  import example:text/pattern@0.1.0;
  import example:math/stats@0.1.0;
  export api;
}
`;

const APP = `
import { match, Matcher } from "rust-lib";
import { ComponentError, summarize } from "c-lib";
import { summarize as summarizeOrError } from "c-lib-union";
import type { api as Api } from "test:guest/guest@0.1.0";

function stats(words: string[]): string {
  try {
    const s = summarize(new Float64Array(words.map((w) => w.length)));
    return \`\${s.count}/\${s.max}\`;
  } catch (e) {
    return e instanceof ComponentError ? \`err:\${e.payload}\` : \`other:\${e}\`;
  }
}

export const api: Api.Exports = {
  run(input: string): string {
    const words = input.split(" ").filter((w) => w.length > 0);
    const m = new Matcher("*.rs");
    const hits = words.filter((w) => m.test(w)).length;
    m[Symbol.dispose]();
    const r = summarizeOrError(new Float64Array(words.length === 0 ? [] : [1]));
    const union = r.tag === "ok" ? \`ok:\${r.val.count}\` : \`err:\${r.val.length}\`;
    return [match("*.*", input), hits, stats(words), union, typeof Symbol.dispose].join(" ");
  },
};
`;

// componentize-js with no WASI at all: the guest imports only the two libraries.
const DISABLE_FEATURES: ("stdio" | "random" | "clocks" | "http" | "fetch-event")[] = [
  "stdio",
  "random",
  "clocks",
  "http",
  "fetch-event",
];

/** The Node program using the composed component as a library. */
const MAIN = `
import { api, run } from "guest-app";
const out: string[] = [run("lib.rs main.rs notes"), api.run("")];
console.log(JSON.stringify(out));
`;

let dir: string;
let dispose: () => Promise<void>;
let diagnostics: Diagnostic[];
let bundled: string;
let mainDiagnostics: Diagnostic[];
let wires: { import: string; plug: string }[];
let hostImports: string[];

beforeAll(async () => {
  ({ dir, dispose } = await scratch("guest"));
  const witDir = join(dir, "wit");
  await mkdir(join(witDir, "deps"), { recursive: true });
  await writeFile(join(witDir, "guest.wit"), WIT);
  await copyFile(join(repoRoot, "fixtures/wit/text/text.wit"), join(witDir, "deps/text.wit"));
  await copyFile(join(repoRoot, "fixtures/wit/math/math.wit"), join(witDir, "deps/math.wit"));
  const { resolve, packageId } = await loadWitPackage(witDir);
  const world = resolve.packages[packageId].worlds.get("guest")!;

  const bindings = generateGuestBindings(resolve, world, {
    aliases: { "rust-lib": "example:text/pattern", "c-lib": "example:math/stats@0.1.0" },
  });
  const union = generateGuestBindings(resolve, world, {
    aliases: { "c-lib-union": "example:math/stats" },
    results: "union",
  });
  await writeFiles(join(dir, "node_modules"), bindings.files);
  await writeFiles(
    join(dir, "node_modules"),
    new Map([...union.files].filter(([path]) => path.startsWith("c-lib-union/"))),
  );
  await writeFile(join(dir, "app.ts"), APP);
  diagnostics = typecheck(dir, ["app.ts"]);

  const out = await build({
    entryPoints: [join(dir, "app.ts")],
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "silent",
    plugins: [esbuildPlugin({ aliases: [...bindings.aliases, ...union.aliases] })],
  });
  bundled = out.outputFiles[0].text;
  const appJs = join(dir, "app.js");
  await writeFile(appJs, bundled);

  const { componentize } = await import("@bytecodealliance/componentize-js");
  const { component } = await componentize({
    sourcePath: appJs,
    witPath: witDir,
    worldName: "guest",
    disableFeatures: DISABLE_FEATURES,
  });

  // One component: the guest with the Rust and C libraries plugged into its imports.
  const paths = await ensureFixtures(["rust-pattern", "c-stats"]);
  const composed = plug({ bytes: component, name: "guest" }, [
    { bytes: await readFile(paths["rust-pattern"]!), name: "rust-pattern" },
    { bytes: await readFile(paths["c-stats"]!), name: "c-stats" },
  ]);
  wires = composed.wires;
  const host = await generateHostPackage(composed.bytes, {
    name: "guest-app",
    outDir: join(dir, "node_modules/guest-app"),
  });
  hostImports = host.imports;
  await writeFile(join(dir, "main.ts"), MAIN);
  await writeFile(join(dir, "globals.d.ts"), "declare const console: { log(...args: unknown[]): void };\n");
  mainDiagnostics = typecheck(dir, ["main.ts", "globals.d.ts"]);
  await writeFile(join(dir, "main.mjs"), (await transform(MAIN, { loader: "ts", format: "esm" })).code);
}, 300_000);

afterAll(async () => {
  await dispose?.();
});

describe("a guest importing dependencies through alias packages", () => {
  it("type-checks against the generated declarations", () => {
    expect(diagnostics).toEqual([]);
  });

  it("bundles to imports of the WIT specifiers only", () => {
    const imports = [...bundled.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]).sort();
    expect(new Set(imports)).toEqual(new Set(["example:math/stats@0.1.0", "example:text/pattern@0.1.0"]));
    expect(bundled).not.toMatch(/from "(rust-lib|c-lib)/);
  });

  it("is plugged with the fixtures into one component importing nothing", () => {
    expect(wires.map((w) => [w.import, w.plug])).toEqual([
      ["example:text/pattern@0.1.0", "rust-pattern"],
      ["example:math/stats@0.1.0", "c-stats"],
    ]);
    expect(hostImports).toEqual([]);
  });

  it("runs through its host package: functions, a resource, a thrown result error and a Result union", async () => {
    expect(mainDiagnostics).toEqual([]);
    const { stdout } = await exec(process.execPath, [join(dir, "main.mjs")], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual([
      "true 2 3/7 ok:1 symbol",
      "false 0 err:summarize: the list is empty err:28 symbol",
    ]);
  });
});
