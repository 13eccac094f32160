// The `wasm-compose bindings` command (packages/cli/src/commands/bindings.ts), called as the CLI calls it.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures } from "../../../fixtures/lib/fixtures.mjs";
import { run } from "../../cli/src/commands/bindings.js";
import { type CommandSpec, commands, registerCommands } from "../../cli/src/commands.js";
import { Output } from "../../cli/src/output.js";
import { repoRoot, scratch } from "./helpers.js";

let dir: string;
let dispose: () => Promise<void>;
let paths: Record<string, string | undefined>;

/** Runs the command with JSON output and returns what it printed. */
async function bindings(args: string[], options: Record<string, unknown>): Promise<Record<string, unknown>> {
  let printed = "";
  const out = new Output({ json: true, quiet: false, debug: false }, (s) => {
    printed += s;
  });
  expect(await run(args, options, out)).toBe(0);
  return JSON.parse(printed);
}

beforeAll(async () => {
  ({ dir, dispose } = await scratch("cli"));
  paths = await ensureFixtures(["rust-pattern", "c-case"]);
}, 120_000);

afterAll(async () => {
  await dispose?.();
});

describe("wasm-compose bindings", () => {
  it("--guest on a component: an alias package for what it exports", async () => {
    const out = join(dir, "guest");
    const result = await bindings([paths["rust-pattern"]!], { guest: true, name: "rust-lib", output: out });
    expect(result).toMatchObject({
      kind: "guest",
      aliases: [{ name: "rust-lib", interfaces: ["example:text/pattern@0.1.0"] }],
    });
    expect(await readFile(join(out, "rust-lib/index.js"), "utf8")).toContain(
      'export { match, Matcher } from "example:text/pattern@0.1.0";',
    );
    expect(existsSync(join(out, ".wit-types/example-text-pattern@0.1.0.d.ts"))).toBe(true);
  });

  it("--guest on a WIT folder: one alias per imported package, or one named by --name", async () => {
    const wit = join(repoRoot, "fixtures/wit/app");
    const each = await bindings([wit], { guest: true, output: join(dir, "wit-each") });
    expect((each.aliases as { name: string }[]).map((a) => a.name)).toEqual(["math", "text"]);
    const one = await bindings([wit], { guest: true, name: "deps", output: join(dir, "wit-one") });
    expect(one.aliases).toEqual([
      {
        name: "deps",
        interfaces: [
          "example:math/arith@0.1.0",
          "example:math/stats@0.1.0",
          "example:text/pattern@0.1.0",
          "example:text/case@0.1.0",
          "example:text/words@0.1.0",
        ],
      },
    ]);
  });

  it("--host: a package folder that Node imports", async () => {
    const out = join(dir, "node_modules/case-lib");
    const result = await bindings([paths["c-case"]!], { host: true, name: "case-lib", output: out });
    expect(result).toMatchObject({ kind: "host", name: "case-lib", interfaces: ["example:text/case@0.1.0"] });
    const mod = await import(join(out, "index.js"));
    expect(mod.upper("abc")).toBe("ABC");
    expect(mod.case.lower("ABC")).toBe("abc");
  });

  it("--host --map: the component's other imports come from the given modules", async () => {
    // A dummy component (its functions trap): what is checked is where its glue imports from.
    const WIT = `package test:mapped@0.1.0;
interface dep { g: func() -> string; }
interface api { f: func() -> string; }
world mapped { import dep; import log: func(); export api; }`;
    const file = join(dir, "mapped.wasm");
    await writeFile(file, await componentNew(await componentEmbed({ dummy: true, witSource: WIT, world: "mapped" })));
    const out = join(dir, "node_modules/mapped");
    const map = ["test:mapped/dep@0.1.0=../../dep.js", "log=../../log.js"];
    const result = await bindings([file], { host: true, output: out, map });
    expect(result).toMatchObject({ name: "mapped", imports: ["../../dep.js", "../../log.js"] });
    const glue = await readFile(join(out, "component/component.js"), "utf8");
    expect(glue).toMatch(/from '..\/..\/log.js'/);
    const quiet = new Output({ json: true, quiet: true, debug: false }, () => {});
    await expect(run([file], { host: true, output: out, map: ["log"] }, quiet)).rejects.toThrow(
      /--map: expected <import>=<specifier>.*found log$/,
    );
    await expect(run([file], { guest: true, map: ["log=./log.js"] }, quiet)).rejects.toThrow(/only with --host/);
    // An entry that names no import is a typo that would surface only at run time: refused, with the imports.
    await expect(run([file], { host: true, output: out, map: ["lgo=./log.js"] }, quiet)).rejects.toThrow(
      "--map lgo=./log.js: the component imports nothing by that name (its imports: test:mapped/dep@0.1.0, log)",
    );
    // Without the version, and with `*`, as jco's map takes them.
    for (const key of ["test:mapped/dep", "test:mapped/*"]) {
      const mapped = (await bindings([file], { host: true, output: out, map: [`${key}=../../dep.js`] })) as {
        imports: string[];
      };
      expect(mapped.imports).toContain("../../dep.js");
    }
    await expect(run([file], { host: true, output: out, world: "mapped" }, quiet)).rejects.toThrow(
      /--world: a component has one world/,
    );
  });

  it("parses its command line into the options run expects, through registerCommands", async () => {
    let received: { spec: CommandSpec; args: string[]; options: Record<string, unknown> } | undefined;
    const program = new Command().exitOverride();
    expect(commands.some((c) => c.syntax === "bindings <input>")).toBe(true);
    registerCommands(program, async (spec, args, options) => {
      received = { spec, args, options };
    });
    const argv = ["bindings", "x.wasm", "--host", "--name", "lib", "-o", "out", "--results", "union"];
    await program.parseAsync([...argv, "--map", "a:b/c=./c.js", "--map", "d=./d.js"], { from: "user" });
    expect(received?.args).toEqual(["x.wasm"]);
    expect(received?.options).toEqual({
      host: true,
      name: "lib",
      output: "out",
      results: "union",
      map: ["a:b/c=./c.js", "d=./d.js"],
    });
    expect((await received!.spec.load()).run).toBe(run);
  });

  it("rejects a call without exactly one of --guest and --host", async () => {
    const out = new Output({ json: true, quiet: true, debug: false }, () => {});
    await expect(run([paths["c-case"]!], {}, out)).rejects.toThrow(/--guest\|--host/);
    await expect(run([paths["c-case"]!], { guest: true, host: true }, out)).rejects.toThrow(/usage/);
    await expect(run([join(repoRoot, "fixtures/wit/app")], { host: true }, out)).rejects.toThrow(/needs a component/);
  });
});
