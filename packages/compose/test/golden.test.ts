// Golden-file tests. Graph cases: each folder under golden/ holds components as WIT (`<name>.wit`,
// world `<name>-world`), a `case.json` saying what to compose, and the expected result: `error.txt`
// for a failing composition, `composed.wit` (and `encoded.wat`) for one that succeeds. WAC cases
// (`wac-*`): an `input.wac` composed with the packages of wac-deps/ (and the case's own `deps/`),
// expecting `encoded.wat` (jco's print, nested components' bodies and producers left out) or `error.txt` (the rendered
// WacError and the code of the CompositionError behind it). UPDATE_GOLDEN=1 rewrites the expected
// files; review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { componentWit, print, transpile } from "@bytecodealliance/jco";
import {
  CompositionError,
  CompositionGraph,
  composeWac,
  type InstanceId,
  plug,
  WacError,
  type WacPackage,
} from "@wasm-compose/compose";
import { parseWitPackage } from "@wasm-compose/wit";
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

/**
 * The packages under `deps/<ns>/<pkg>.wit`: a component of the file's world `component` when it
 * has one, else the WIT package itself (types only, e.g. for `targets`).
 */
async function wacPackages(...roots: string[]): Promise<Map<string, WacPackage>> {
  const out = new Map<string, WacPackage>();
  for (const deps of roots) {
    if (!existsSync(deps)) continue;
    for (const ns of readdirSync(deps).sort()) {
      for (const file of readdirSync(join(deps, ns)).sort()) {
        const wit = readFileSync(join(deps, ns, file), "utf8");
        const name = `${ns}:${file.replace(/\.wit$/, "")}`;
        const pkg = parseWitPackage(wit);
        const isComponent = pkg.resolve.packages[pkg.packageId].worlds.has("component");
        out.set(
          name,
          isComponent
            ? { kind: "component", bytes: await componentFromWit(wit, "component") }
            : { kind: "wit", resolve: pkg.resolve, package: pkg.packageId },
        );
      }
    }
  }
  return out;
}

/**
 * jco's print of what the encoder wrote: nested components (the inputs' bytes, copied) shown as
 * `(component (;n;) ...)`, no `producers` section (it names tool versions), input digests elided.
 */
function normaliseWat(wat: string): string {
  const out: string[] = [];
  let until: string | null = null;
  for (const line of wat.split("\n")) {
    if (until !== null) {
      if (line === until) until = null;
      continue;
    }
    const nested = /^ {2}\(component (\(;\d+;\))/.exec(line);
    if (nested !== null) {
      out.push(`  (component ${nested[1]} ...)`);
      until = "  )";
    } else if (/^ {2}\(@producers/.test(line)) until = "  )";
    else out.push(line);
  }
  // The inputs' digests change with the jco that built them; the encoder's part is where they go.
  return out.join("\n").replace(/(\\22sha256\\22:\\22)[0-9a-f]{64}/g, "$1<sha256>");
}

async function runWac(dir: string, name: string): Promise<void> {
  const packages = await wacPackages(join(import.meta.dirname, "wac-deps"), join(dir, "deps"));
  let result: ReturnType<typeof composeWac> | null = null;
  let error: unknown = null;
  try {
    result = composeWac(readFileSync(join(dir, "input.wac"), "utf8"), {
      packages: (n) => packages.get(n) ?? null,
      filename: "input.wac",
    });
  } catch (e) {
    error = e;
  }
  if (name.startsWith("wac-err-")) {
    expect(error).toBeInstanceOf(WacError);
    const e = error as WacError & { cause?: unknown };
    const cause = e.cause instanceof CompositionError ? `caused by: ${e.cause.code}\n` : "";
    check(dir, "error.txt", `error[${e.code}]: ${e.render()}\n${cause}`);
    return;
  }
  if (error !== null) throw error;
  await transpile(result!.bytes, { name: "composed", quiet: true });
  check(dir, "encoded.wat", normaliseWat(await print(result!.bytes)));
}

describe("golden compositions", () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    const files = readdirSync(dir);
    if (files.includes("input.wac")) {
      it(name, () => runWac(dir, name));
      continue;
    }
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
