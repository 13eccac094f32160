// The reference oracle: wasm-tools' wit-parser as shipped in jco, used to check accept/reject and world shapes.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ResolvedPackage, witIdent, worldKeyName } from "@wasm-compose/wit";
import { expect } from "vitest";

interface Tools {
  componentEmbed(opts: object): Uint8Array;
  componentNew(bytes: Uint8Array, adapters?: unknown): Uint8Array;
  componentWit(bytes: Uint8Array): string;
}

// A panic inside wit-parser poisons its component instance ("cannot enter component instance"),
// so the wasm-tools component is instantiated afresh after a trap.
const vendor = join(
  dirname(dirname(createRequire(import.meta.url).resolve("@bytecodealliance/jco-transpile/wasm-tools"))),
  "vendor/wasm-tools.js",
);
let tools: Promise<Tools> | null = null;
let generation = 0;
function load(): Promise<Tools> {
  tools ??= (async () => {
    const m = await import(/* @vite-ignore */ `${pathToFileURL(vendor).href}?g=${generation}`);
    await m.$init;
    return m.tools as Tools;
  })();
  return tools;
}
function reset(): void {
  generation++;
  tools = null;
}

/** What wit-parser says about an input: accepted, or rejected with its message. */
export type OracleVerdict = { ok: true } | { ok: false; message: string };

type Features = { features?: string[]; allFeatures?: boolean };

function featureSet(f: Features) {
  if (f.allFeatures) return { tag: "all" as const };
  return { tag: "list" as const, val: f.features ?? [] };
}

// Errors raised after the package resolved fine: no world to embed, or several to choose from.
const RESOLVED_BUT_NO_WORLD = /contains no worlds|multiple worlds|one must be explicitly chosen/;

/** Accept/reject by the real wit-parser. `input` is WIT text or a path (file or folder). */
export async function oracleCheck(input: { source?: string; path?: string }, f: Features = {}): Promise<OracleVerdict> {
  const { componentEmbed } = await load();
  try {
    componentEmbed({
      dummy: true,
      ...(input.source !== undefined ? { witSource: input.source } : { witPath: input.path }),
      features: featureSet(f),
    });
    return { ok: true };
  } catch (e) {
    const message = String((e as Error).message ?? e);
    if (/wasm trap/.test(message)) reset();
    if (RESOLVED_BUT_NO_WORLD.test(message)) return { ok: true };
    return { ok: false, message };
  }
}

/**
 * The import and export names wit-parser gives world `world` once embedded in a dummy component
 * (interfaces a dummy module does not need may be left out).
 */
export async function oracleWorldNames(
  input: { source?: string; path?: string },
  world: string,
  f: Features = {},
): Promise<{ imports: string[]; exports: string[] }> {
  const { componentEmbed, componentNew, componentWit } = await load();
  const core = componentEmbed({
    dummy: true,
    ...(input.source !== undefined ? { witSource: input.source } : { witPath: input.path }),
    world,
    features: featureSet(f),
  });
  const text = componentWit(componentNew(core));
  const imports: string[] = [];
  const exports: string[] = [];
  let depth = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (depth === 1) {
      const m = /^(import|export) ([^:;\s]+(?::[^/;\s]+\/[^;\s]+)?)/.exec(line);
      if (m) (m[1] === "import" ? imports : exports).push(m[2].replace(/:$/, "").replaceAll("%", ""));
    }
    for (const ch of line) {
      if (ch === "{") depth++;
      else if (ch === "}") depth--;
    }
  }
  return { imports, exports };
}

/**
 * Checks every world of the main package against wit-parser: each import and export name the
 * embedded component shows must be in our elaborated world, in the same relative order.
 */
export async function expectWorldsMatchOracle(
  ours: ResolvedPackage,
  input: { source?: string; path?: string },
  f: Features = {},
): Promise<void> {
  const { resolve, packageId } = ours;
  for (const [name, id] of resolve.packages[packageId].worlds) {
    const w = resolve.worlds[id];
    const theirs = await oracleWorldNames(input, witIdent(name), f);
    const mine = (m: typeof w.imports) =>
      [...m]
        .filter(([, item]) => item.tag !== "type")
        .map(([k]) => worldKeyName(resolve, k))
        .filter((n) => !n.startsWith("["));
    for (const [a, b] of [
      [mine(w.imports), theirs.imports],
      [mine(w.exports), theirs.exports],
    ] as const) {
      const pos = b.map((n) => a.indexOf(n));
      expect(
        pos.every((p) => p >= 0),
        `world ${name}: ours ${a} vs wit-parser ${b}`,
      ).toBe(true);
      expect([...pos].sort((x, y) => x - y)).toEqual(pos);
    }
  }
}
