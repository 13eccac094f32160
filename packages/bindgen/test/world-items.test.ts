// World-level functions, world-level types and inline interfaces, both sides: a TypeScript guest
// imports `log-line` (a world-level function) and `greeter` (an inline interface) through an alias
// package and exports `run-it` and `tools`, typed by the world's `Exports`; it is bundled and
// componentized. Its host package, whose imports come from local modules through jco's import map
// (`map`), is called by a Node TypeScript program. Both programs are type-checked first.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  BindgenError,
  esbuildPlugin,
  generateGuestBindings,
  generateHostPackage,
  writeFiles,
} from "@wasm-compose/bindgen";
import { parseWitPackage } from "@wasm-compose/wit";
import { build, transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, scratch, typecheck, witDir } from "./helpers.js";

const run = promisify(execFile);

/** The world (its docs and types, world-level functions, inline interfaces); also a golden case. */
const WIT = readFileSync(join(witDir, "items/items.wit"), "utf8");

const GUEST = `
import { greet, logLine, type Greeting } from "items-deps";
import type { Exports, Pair } from "test:items/items@0.1.0";

export const runIt: Exports["runIt"] = (x) => {
  if (x === 0) throw "zero";
  const g: Greeting = greet(\`n\${x}\`);
  const pair: Pair = { a: logLine(g.text) + g.times, b: g.text };
  return pair;
};
export const tools: Exports["tools"] = { shout: (s) => \`\${s.toUpperCase()}!\` };
`;

const BAD_GUEST = `
import type { Exports } from "test:items/items@0.1.0";
import { logLine } from "items-deps";
export const runIt: Exports["runIt"] = (x) => x;
logLine(1);
`;

const HOST = `
import { ComponentError, runIt, shout, tools, type Pair } from "items-lib";
import * as union from "items-union";

const out: Record<string, unknown> = {};
const p: Pair = runIt(2);
out.ok = p;
try {
  runIt(0);
} catch (e) {
  out.err = e instanceof ComponentError ? e.payload : String(e);
}
out.union = [union.runIt(3), union.runIt(0)];
out.tools = [tools.shout("hi"), shout("yo")];
console.log(JSON.stringify(out));
`;

const BAD_HOST = `
import { runIt } from "items-lib";
const s: string = runIt(1);
`;

// The host side of the guest's imports, given to jco's import map.
const LOG_LINE_JS = "export default function logLine(msg) { return msg.length; }\n";
const GREETER_JS = 'export function greet(name) { return { text: "hello " + name, times: 100 }; }\n';

let dir: string;
let dispose: () => Promise<void>;
let guestDiagnostics: Diagnostic[];
let hostDiagnostics: Diagnostic[];
let bundled: string;
let hostImports: string[];

beforeAll(async () => {
  ({ dir, dispose } = await scratch("world-items"));
  const { resolve, packageId } = parseWitPackage(WIT);
  const world = resolve.packages[packageId].worlds.get("items")!;
  const bindings = generateGuestBindings(resolve, world, { aliases: { "items-deps": ["log-line", "greeter"] } });
  await writeFiles(join(dir, "guest/node_modules"), bindings.files);
  await writeFile(join(dir, "guest/app.ts"), GUEST);
  await writeFile(join(dir, "guest/bad.ts"), BAD_GUEST);
  guestDiagnostics = typecheck(join(dir, "guest"), ["app.ts", "bad.ts"]);

  const out = await build({
    entryPoints: [join(dir, "guest/app.ts")],
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "silent",
    plugins: [esbuildPlugin(bindings)],
  });
  bundled = out.outputFiles[0].text;
  await writeFile(join(dir, "guest/app.js"), bundled);
  await writeFile(join(dir, "guest/items.wit"), WIT);
  const { componentize } = await import("@bytecodealliance/componentize-js");
  const { component } = await componentize({
    sourcePath: join(dir, "guest/app.js"),
    witPath: join(dir, "guest/items.wit"),
    worldName: "items",
    disableFeatures: ["stdio", "random", "clocks", "http", "fetch-event"],
  });

  await mkdir(join(dir, "impl"), { recursive: true });
  await writeFile(join(dir, "impl/log-line.js"), LOG_LINE_JS);
  await writeFile(join(dir, "impl/greeter.js"), GREETER_JS);
  // Specifiers as the glue (node_modules/<name>/component/component.js) imports them.
  const map = { "log-line": "../../../impl/log-line.js", greeter: "../../../impl/greeter.js" };
  const lib = await generateHostPackage(component, {
    name: "items-lib",
    outDir: join(dir, "node_modules/items-lib"),
    map,
  });
  hostImports = lib.imports;
  const name = "items-union";
  await generateHostPackage(component, { name, outDir: join(dir, "node_modules", name), map, results: "union" });
  await writeFile(join(dir, "main.ts"), HOST);
  await writeFile(join(dir, "bad.ts"), BAD_HOST);
  await writeFile(join(dir, "globals.d.ts"), "declare const console: { log(...args: unknown[]): void };\n");
  hostDiagnostics = typecheck(dir, ["main.ts", "bad.ts", "globals.d.ts"]);
  await writeFile(join(dir, "main.mjs"), (await transform(HOST, { loader: "ts", format: "esm" })).code);
}, 300_000);

afterAll(async () => {
  await dispose?.();
});

describe("world-level functions and inline interfaces", () => {
  it("guest: type-check, and a wrong export or argument type fails", () => {
    expect(guestDiagnostics.filter((d) => d.file === "app.ts")).toEqual([]);
    expect(guestDiagnostics.filter((d) => d.file === "bad.ts").map((d) => d.code)).toEqual([2322, 2345]);
  });

  it("guest: bundle to componentize-js's module names (the function as a default import)", () => {
    const imports = [...bundled.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(["greeter", "log-line"]));
    expect(bundled).toMatch(/^import \{ default as \w+ \} from "log-line";$/m);
    expect(bundled).not.toMatch(/from "items-deps"/);
  });

  it("host: the component's imports come from the import map", () => {
    expect(hostImports.sort()).toEqual(["../../../impl/greeter.js", "../../../impl/log-line.js"]);
  });

  it("host: type-check, and a wrong result type fails", () => {
    expect(hostDiagnostics.filter((d) => d.file !== "bad.ts")).toEqual([]);
    expect(hostDiagnostics.filter((d) => d.file === "bad.ts")).toEqual([
      expect.objectContaining({
        code: 2322,
        message: expect.stringContaining("'Pair' is not assignable to type 'string'"),
      }),
    ]);
  });

  it("run: the world's function (throwing or a Result union) and the inline interface", async () => {
    const { stdout } = await run(process.execPath, [join(dir, "main.mjs")], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({
      ok: { a: 108, b: "hello n2" },
      err: "zero",
      union: [
        { tag: "ok", val: { a: 108, b: "hello n3" } },
        { tag: "err", val: "zero" },
      ],
      tools: ["HI!", "YO!"],
    });
  });

  it("guest: with results union, an imported world function returns a Result of the world's types", async () => {
    const { resolve, packageId } = parseWitPackage(`package test:u@0.1.0;
world u {
  record pair { a: u32 }
  import fetch-pair: func(n: u32) -> result<pair, string>;
}`);
    const world = resolve.packages[packageId].worlds.get("u")!;
    const union = generateGuestBindings(resolve, world, { aliases: { lib: "fetch-pair" }, results: "union" });
    const s = await scratch("world-union");
    await writeFiles(join(s.dir, "node_modules"), union.files);
    const program = `import { fetchPair } from "lib";
const r = fetchPair(1);
export const a: number = r.tag === "ok" ? r.val.a : r.val.length;
export const bad: string = fetchPair(2);
`;
    await writeFile(join(s.dir, "u.ts"), program);
    const diagnostics = typecheck(s.dir, ["u.ts"]);
    await s.dispose();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 2322 })]);
    expect(diagnostics[0].message).toContain("Type 'Result<Pair, string>' is not assignable to type 'string'");
  });

  it("refuses an alias target the world does not import", () => {
    const { resolve, packageId } = parseWitPackage(WIT);
    const world = resolve.packages[packageId].worlds.get("items")!;
    expect(() => generateGuestBindings(resolve, world, { aliases: { x: "run-it" } })).toThrow(BindgenError);
  });
});
