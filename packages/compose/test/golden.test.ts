// Golden-file tests: each folder under golden/ holds components as WIT (`<name>.wit`, world
// `<name>-world`), a `case.json` saying what to compose, and the expected result: `error.txt` for a
// failing composition, `composed.wit` (and `encoded.wat`) for one that succeeds. UPDATE_GOLDEN=1
// rewrites the expected files; review the diff.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { componentWit, print, transpile } from "@bytecodealliance/jco";
import { CompositionError, CompositionGraph, type InstanceId, plug } from "@wasm-compose/compose";
import { describe, expect, it } from "vitest";
import { componentFromWit } from "./wit-components.js";

const root = join(import.meta.dirname, "golden");
const update = process.env.UPDATE_GOLDEN === "1";

type Case =
  | { op: "plug"; socket: string; plugs: string[] }
  | { op: "instantiate"; instances: string[]; openImports?: boolean }
  | {
      op: "wire";
      instances: string[];
      wires: { to: string; import: string; from: string; export: string }[];
    };

async function load(dir: string, name: string): Promise<Uint8Array> {
  return componentFromWit(readFileSync(join(dir, `${name}.wit`), "utf8"), `${name}-world`);
}

async function run(dir: string, c: Case): Promise<Uint8Array> {
  if (c.op === "plug") {
    const socket = { name: c.socket, bytes: await load(dir, c.socket) };
    const plugs = await Promise.all(c.plugs.map(async (p) => ({ name: p, bytes: await load(dir, p) })));
    return plug(socket, plugs).bytes;
  }
  const g = new CompositionGraph();
  const insts = new Map<string, InstanceId>();
  for (const n of c.instances) {
    const id = g.addComponent(await load(dir, n), { name: n });
    insts.set(n, g.instantiate(id, { openImports: c.op === "instantiate" ? (c.openImports ?? true) : true }));
  }
  if (c.op === "wire") {
    for (const w of c.wires) g.setArgument(insts.get(w.to)!, w.import, g.alias(insts.get(w.from)!, w.export));
    // The first instance is the composition's face.
    const main = insts.get(c.instances[0])!;
    for (const e of g.componentOf(main).exports.keys()) g.export(g.alias(main, e));
  } else {
    for (const i of insts.values()) for (const e of g.componentOf(i).exports.keys()) g.export(g.alias(i, e));
  }
  return g.encode();
}

function check(dir: string, file: string, actual: string): void {
  const path = join(dir, file);
  if (update) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden compositions", () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    const files = readdirSync(dir);
    it(name, async () => {
      const c = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Case;
      const failing = name.startsWith("err-");
      let bytes: Uint8Array | null = null;
      let error: unknown = null;
      try {
        bytes = await run(dir, c);
      } catch (e) {
        error = e;
      }
      if (failing) {
        expect(error).toBeInstanceOf(CompositionError);
        const e = error as CompositionError;
        check(dir, "error.txt", `${e.code}: ${e.message}\n${JSON.stringify(e.details, null, 2)}\n`);
        return;
      }
      if (error !== null) throw error;
      // jco's transpile rejects invalid components.
      await transpile(bytes!, { name: "composed", quiet: true });
      check(dir, "composed.wit", await componentWit(bytes!));
      if (update ? c.op !== "instantiate" || name.startsWith("open-") : files.includes("encoded.wat"))
        check(dir, "encoded.wat", await print(bytes!));
    });
  }
});
