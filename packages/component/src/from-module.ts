// Turns a core wasm module into a component: embed its WIT world, then wrap it (jco's wasm-tools,
// loaded only when first needed so importing this package stays cheap).
import { resolve } from "node:path";
import { loadWitPackage, parseWitPackage, type ResolvedPackage } from "@wasm-compose/wit";
import { witPackageSources } from "./decode/world.js";
import { ComponentError } from "./errors.js";

/** Where the WIT describing a module's world comes from. */
export type WitInput = { source: string } | { path: string };

/** Options for {@link embedWit} and {@link componentFromModule}. */
export interface ComponentFromModuleOptions {
  /** The WIT package that declares the world the module implements. */
  wit: WitInput;
  /** The world's name inside that package; optional when there is only one. */
  world?: string;
  /** Adapters by import module name, e.g. `["wasi_snapshot_preview1", bytes]`. */
  adapters?: Array<[string, Uint8Array]>;
  /** Canonical ABI string encoding of the module; `utf8` by default. */
  stringEncoding?: "utf8" | "utf16" | "compact-utf16";
}

type WasmTools = typeof import("@bytecodealliance/jco-transpile/wasm-tools");
let tools: Promise<WasmTools> | undefined;

/** Loads jco's wasm-tools on first use. */
export function wasmTools(): Promise<WasmTools> {
  tools ??= import("@bytecodealliance/jco-transpile/wasm-tools");
  return tools;
}

function witSpec(wit: WitInput): { witSource?: string; witPath?: string } {
  // jco's WASI file system sees the host through a root preopen only: relative paths fail.
  return "source" in wit ? { witSource: wit.source } : { witPath: resolve(wit.path) };
}

/**
 * Resolves the WIT with our own front end before jco sees it: a bad package gets a `WitError` with
 * its file and line, and a missing path or world a clear error. (jco panics on a path that does
 * not exist, and its wasm instance cannot be used again in that process.)
 */
async function checkWit(wit: WitInput, world: string | undefined): Promise<void> {
  const { resolve: r, packageId }: ResolvedPackage =
    "source" in wit
      ? parseWitPackage(wit.source)
      : await loadWitPackage(wit.path, { binaryPackage: (bytes) => witPackageSources(bytes) });
  const pkg = r.packages[packageId];
  const worlds = [...pkg.worlds.keys()];
  const where = "source" in wit ? "the WIT source" : wit.path;
  if (world === undefined) {
    if (worlds.length !== 1) {
      const found = worlds.length === 0 ? "none" : worlds.join(", ");
      throw new ComponentError(
        "BAD_WIT",
        `${where} must have exactly one world unless one is named; its worlds: ${found}`,
      );
    }
  } else if (!world.includes(":") && !pkg.worlds.has(world)) {
    throw new ComponentError("BAD_WIT", `no world "${world}" in ${where}; its worlds: ${worlds.join(", ") || "none"}`);
  }
}

/** jco's errors (plain objects or Errors without a code) as a ComponentError, the cause kept. */
function fromJco(what: string, err: unknown): ComponentError {
  if (err instanceof ComponentError) return err;
  const message = String((err as { message?: unknown })?.message ?? err).trim();
  return new ComponentError("INVALID_MODULE", `${what}: ${message}`, -1, { cause: err });
}

/** Adds the `component-type` custom section for `opts.world` to a core module (or an adapter module). */
export async function embedWit(
  module: Uint8Array,
  opts: Omit<ComponentFromModuleOptions, "adapters">,
): Promise<Uint8Array> {
  await checkWit(opts.wit, opts.world);
  const t = await wasmTools();
  try {
    return await t.componentEmbed({
      binary: module,
      ...witSpec(opts.wit),
      world: opts.world,
      stringEncoding: opts.stringEncoding,
    });
  } catch (err) {
    throw fromJco("cannot embed the world into the module", err);
  }
}

/** Builds a component from a core module that implements `opts.world` with the canonical ABI. */
export async function componentFromModule(module: Uint8Array, opts: ComponentFromModuleOptions): Promise<Uint8Array> {
  const embedded = await embedWit(module, opts);
  const t = await wasmTools();
  try {
    return await t.componentNew(embedded, opts.adapters);
  } catch (err) {
    throw fromJco("cannot make a component of the module", err);
  }
}
