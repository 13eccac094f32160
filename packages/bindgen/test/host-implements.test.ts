// A host package for a component that imports one interface twice under plain names
// (`import primary: counter; import secondary: counter;`): the program gives each name its own
// implementation through the import map, and the component's code calls both.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { componentEmbed, componentNew, parse } from "@bytecodealliance/jco";
import { generateHostPackage, type HostPackage } from "@wasm-compose/bindgen";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, scratch, typecheck } from "./helpers.js";

const run = promisify(execFile);

const WIT = `package ex:hostnamed@1.0.0;
interface counter {
  next: func() -> u32;
}
world app {
  import primary: counter;
  import secondary: counter;
  export run: func() -> u32;
}
`;

// run() = primary.next() + 1000 * secondary.next(), in a hand-written core module.
const CORE = `(module
  (import "cm32p2|primary" "next" (func $primary (result i32)))
  (import "cm32p2|secondary" "next" (func $secondary (result i32)))
  (memory (export "cm32p2_memory") 0)
  (func (export "cm32p2||run") (result i32)
    (i32.add (call $primary) (i32.mul (call $secondary) (i32.const 1000)))))`;

const PRIMARY = "let n = 0;\nexport function next() {\n  return ++n;\n}\n";
const SECONDARY = "export function next() {\n  return 7;\n}\n";
const PROGRAM = `
import { run } from "counter-app";
const r: number = run();
console.log(JSON.stringify([r, run()]));
`;

let dir: string;
let dispose: () => Promise<void>;
let pkg: HostPackage;
let diagnostics: Diagnostic[];

beforeAll(async () => {
  ({ dir, dispose } = await scratch("host-implements"));
  const core = await parse(CORE);
  const component = await componentNew(await componentEmbed({ binary: core, witSource: WIT, world: "app" }));
  // Relative map entries are relative to the package's component/component.js.
  pkg = await generateHostPackage(component, {
    name: "counter-app",
    outDir: join(dir, "node_modules/counter-app"),
    map: { primary: "../../../primary.js", secondary: "../../../secondary.js" },
  });
  await writeFile(join(dir, "primary.js"), PRIMARY);
  await writeFile(join(dir, "secondary.js"), SECONDARY);
  await writeFile(join(dir, "main.ts"), PROGRAM);
  await writeFile(join(dir, "globals.d.ts"), "declare const console: { log(...args: unknown[]): void };\n");
  diagnostics = typecheck(dir, ["main.ts", "globals.d.ts"]);
  await writeFile(join(dir, "main.mjs"), (await transform(PROGRAM, { loader: "ts", format: "esm" })).code);
}, 120_000);

afterAll(async () => {
  await dispose?.();
});

describe("host package with plain-named imports of one interface", () => {
  it("imports each name from its own module and declares the export", () => {
    expect(pkg.imports).toEqual(["../../../primary.js", "../../../secondary.js"]);
    expect(diagnostics).toEqual([]);
  });

  it("runs with each name bound to its own implementation", async () => {
    const { stdout } = await run(process.execPath, [join(dir, "main.mjs")], { cwd: dir });
    // primary counts 1, 2; secondary is always 7.
    expect(JSON.parse(stdout)).toEqual([1 + 7 * 1000, 2 + 7 * 1000]);
  });
});

describe("host package exporting one interface under its own name and a plain name", () => {
  it("exports both, each wired to jco's export of that name", async () => {
    const wit = `package ex:twice@1.0.0;
interface store {
  get: func() -> u32;
}
world twice {
  export store;
  export cache: store;
}
`;
    const component = await componentNew(await componentEmbed({ dummy: true, witSource: wit, world: "twice" }));
    const out = join(dir, "node_modules/twice-lib");
    await generateHostPackage(component, { name: "twice-lib", outDir: out });
    await writeFile(
      join(dir, "twice.mjs"),
      'import * as m from "twice-lib";\nconsole.log(JSON.stringify(Object.keys(m).sort().map((k) => [k, typeof m[k]?.get])));\n',
    );
    const { stdout } = await run(process.execPath, [join(dir, "twice.mjs")], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual([
      ["ComponentError", "undefined"],
      ["cache", "function"],
      ["store", "function"],
    ]);
    expect(typecheck(dir, ["node_modules/twice-lib/index.d.ts"])).toEqual([]);
  });
});
