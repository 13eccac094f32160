// Host packages for names jco treats specially: reserved words (`delete`) and the world's own
// exported functions, one of them named as an exported interface (whose namespace then takes its
// package's name). The components are dummies (jco componentEmbed + componentNew: their functions
// trap), so this checks declarations and wiring, not behaviour.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import { generateHostPackage } from "@wasm-compose/bindgen";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, scratch, typecheck } from "./helpers.js";

const run = promisify(execFile);

const WIT = `package test:names@1.0.0;

interface ops {
  delete: func(x: u32) -> u32;
  keep: func(%type: string) -> string;
}

world names {
  export ops;
  export top-level: func(x: u32) -> result<u32, string>;
}

world clash {
  export ops;
  export ops: func() -> u32;
}
`;

const PROGRAM = `
import { ops, topLevel, keep } from "names-lib";
const f: (x: number) => number = ops.delete;
const g: (x: number) => number = topLevel;
const h: (t: string) => string = keep;
console.log(JSON.stringify([typeof f, typeof g, typeof h]));
`;

// \`ops\` is the world's function; the interface is the namespace \`namesOps\`.
const CLASH = `
import { ops, namesOps } from "clash-lib";
const f: () => number = ops;
const g: (x: number) => number = namesOps.delete;
console.log(JSON.stringify([typeof f, typeof g]));
`;

const BAD = `
import { topLevel } from "names-lib";
const s: string = topLevel(1);
`;

let dir: string;
let dispose: () => Promise<void>;
let diagnostics: Diagnostic[];

beforeAll(async () => {
  ({ dir, dispose } = await scratch("host-names"));
  const component = await componentNew(await componentEmbed({ dummy: true, witSource: WIT, world: "names" }));
  await generateHostPackage(component, { name: "names-lib", outDir: join(dir, "node_modules/names-lib") });
  const clash = await componentNew(await componentEmbed({ dummy: true, witSource: WIT, world: "clash" }));
  await generateHostPackage(clash, { name: "clash-lib", outDir: join(dir, "node_modules/clash-lib") });
  await writeFile(join(dir, "main.ts"), PROGRAM);
  await writeFile(join(dir, "clash.ts"), CLASH);
  await writeFile(join(dir, "bad.ts"), BAD);
  await writeFile(join(dir, "globals.d.ts"), "declare const console: { log(...args: unknown[]): void };\n");
  diagnostics = typecheck(dir, ["main.ts", "clash.ts", "bad.ts", "globals.d.ts"]);
  await writeFile(join(dir, "main.mjs"), (await transform(PROGRAM, { loader: "ts", format: "esm" })).code);
  await writeFile(join(dir, "clash.mjs"), (await transform(CLASH, { loader: "ts", format: "esm" })).code);
}, 120_000);

afterAll(async () => {
  await dispose?.();
});

describe("host package names", () => {
  it("declare a reserved-word function in its namespace and the world's functions at the top", () => {
    expect(diagnostics.filter((d) => d.file !== "bad.ts")).toEqual([]);
    expect(diagnostics.filter((d) => d.file === "bad.ts")).toEqual([
      expect.objectContaining({
        code: 2322,
        message: expect.stringContaining("'number' is not assignable to type 'string'"),
      }),
    ]);
  });

  it("wire them to what jco exports", async () => {
    const { stdout } = await run(process.execPath, [join(dir, "main.mjs")], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual(["function", "function", "function"]);
    const clash = await run(process.execPath, [join(dir, "clash.mjs")], { cwd: dir });
    expect(JSON.parse(clash.stdout)).toEqual(["function", "function"]);
  });
});
