// Guest end to end: a TypeScript component imports the Rust and C fixtures through alias packages
// (`import { match } from "rust-lib"`), type-checks, is bundled with esbuild and our plugin,
// componentized with componentize-js, and runs in Node with its imports wired to the fixtures.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { esbuildPlugin, generateGuestBindings, writeFiles } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures } from "../../../fixtures/lib/fixtures.mjs";
import { type Transpiled, transpileFixture } from "../../../fixtures/lib/transpile.mjs";
import { type Diagnostic, repoRoot, scratch, typecheck } from "./helpers.js";

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

interface Api {
  run(input: string): string;
}
interface GuestModule {
  instantiate(
    getCoreModule: (path: string) => Promise<object>,
    imports: Record<string, unknown>,
  ): Promise<{ api: Api }>;
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } };

let dir: string;
let dispose: () => Promise<void>;
let diagnostics: Diagnostic[];
let bundled: string;
let api: Api;
const transpiled: Transpiled<unknown>[] = [];

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
  const componentPath = join(dir, "guest.wasm");
  await writeFile(componentPath, component);

  const paths = await ensureFixtures(["rust-pattern", "c-stats"]);
  const lib = async (path: string, name: string) => {
    const t = await transpileFixture<Record<string, unknown>>(path, name);
    transpiled.push(t);
    return t.module[name];
  };
  const app = await transpileFixture<GuestModule>(componentPath, "guest", { instantiation: "async" });
  transpiled.push(app);
  const instance = await app.module.instantiate(async (file) => wasm.compile(await readFile(join(app.dir, file))), {
    "example:text/pattern": await lib(paths["rust-pattern"]!, "pattern"),
    "example:math/stats": await lib(paths["c-stats"]!, "stats"),
  });
  api = instance.api;
}, 300_000);

afterAll(async () => {
  for (const t of transpiled) await t.dispose();
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

  it("runs: functions, a resource, a thrown result error and a Result union", () => {
    expect(api.run("lib.rs main.rs notes")).toBe("true 2 3/7 ok:1 symbol");
    expect(api.run("")).toBe("false 0 err:summarize: the list is empty err:28 symbol");
  });
});
