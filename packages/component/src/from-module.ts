// Turns a core wasm module into a component: embed its WIT world, then wrap it (jco's wasm-tools,
// loaded only when first needed so importing this package stays cheap).
import { resolve } from "node:path";

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

/** Adds the `component-type` custom section for `opts.world` to a core module (or an adapter module). */
export async function embedWit(
  module: Uint8Array,
  opts: Omit<ComponentFromModuleOptions, "adapters">,
): Promise<Uint8Array> {
  const t = await wasmTools();
  return t.componentEmbed({
    binary: module,
    ...witSpec(opts.wit),
    world: opts.world,
    stringEncoding: opts.stringEncoding,
  });
}

/** Builds a component from a core module that implements `opts.world` with the canonical ABI. */
export async function componentFromModule(module: Uint8Array, opts: ComponentFromModuleOptions): Promise<Uint8Array> {
  const t = await wasmTools();
  const embedded = await embedWit(module, opts);
  return t.componentNew(embedded, opts.adapters);
}
