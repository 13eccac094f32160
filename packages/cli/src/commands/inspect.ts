// `wasm-compose inspect <file.wasm> [--wit] [--json]`: what a wasm file is (component, core module
// or WIT package), its size, imports and exports with their types, metadata; `--wit` prints WIT.
// A package name or reference (no such path) is pulled and shown.

import { stat } from "node:fs/promises";
import {
  binaryKind,
  componentWorld,
  decodeWitPackage,
  isWitPackage,
  parseComponent,
  parseCoreModuleInterface,
  printComponentWit,
  readMetadata,
} from "@wasm-compose/component";
import {
  interfaceQualifiedName,
  packageNameToString,
  type Resolve,
  type WitFunction,
  type WorldItem,
  type WorldKey,
  witType,
  worldKeyName,
} from "@wasm-compose/wit";
import type { CommandRun } from "../commands.js";
import { InputError, UsageError } from "../errors.js";
import { inFile } from "../files.js";
import type { Output } from "../output.js";
import { readInput } from "../pulled.js";

/** One import or export as shown. */
interface ItemInfo {
  name: string;
  kind: "interface" | "function" | "type" | "func" | "table" | "memory" | "global" | "tag" | string;
  /** A function's signature, or the functions of an interface. */
  type?: string;
  functions?: { name: string; type: string }[];
}

/** `func(a: t, ...) -> r` */
export function signatureText(resolve: Resolve, f: WitFunction): string {
  const params = f.params.map((p) => `${p.name}: ${witType(resolve, p.type)}`).join(", ");
  return `func(${params})${f.result === null ? "" : ` -> ${witType(resolve, f.result)}`}`;
}

function worldItems(resolve: Resolve, items: Map<WorldKey, WorldItem>): ItemInfo[] {
  return [...items].map(([key, item]) => {
    const name = worldKeyName(resolve, key);
    if (item.tag === "function") return { name, kind: "function", type: signatureText(resolve, item.func) };
    if (item.tag === "type") return { name, kind: "type" };
    const iface = resolve.interfaces[item.id];
    return {
      name: interfaceQualifiedName(resolve, item.id) ?? name,
      kind: "interface",
      functions: [...iface.functions.values()].map((f) => ({ name: f.name, type: signatureText(resolve, f) })),
    };
  });
}

function itemLines(items: ItemInfo[]): string[] {
  const lines: string[] = [];
  for (const i of items) {
    if (i.kind === "interface") {
      const n = i.functions?.length ?? 0;
      lines.push(`  ${i.name} (interface, ${n} function${n === 1 ? "" : "s"})`);
      for (const f of i.functions ?? []) lines.push(`    ${f.name}: ${f.type}`);
    } else lines.push(`  ${i.name}: ${i.type ?? i.kind}`);
  }
  return lines.length ? lines : ["  (none)"];
}

export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [file] = args;
  if (!file) throw new UsageError("usage: wasm-compose inspect <file.wasm> [--wit] [--json]");
  const info = await stat(file).catch(() => null);
  if (info !== null && (info.isDirectory() || file.endsWith(".wit"))) {
    throw new InputError(`${file} is WIT, not a WebAssembly binary: \`wasm-compose wit ${file}\` prints it`);
  }
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  const { bytes } = await readInput(file, registry, signal, (line) => out.note(line));
  const wantWit = options.wit === true;
  const json = options.json === true || out.options.json;
  return inFile(file, () => show(file, bytes, wantWit, json, out));
};

/** Prints what `bytes` (read from `file`) hold; binary format errors are thrown. */
function show(file: string, bytes: Uint8Array, wantWit: boolean, json: boolean, out: Output): number {
  const kind = binaryKind(bytes);
  if (kind === "unknown") throw new InputError(`${file} is not a WebAssembly binary`);

  const metadata = readMetadata(bytes);
  const metaJson = {
    ...Object.fromEntries(Object.entries(metadata).filter(([k, v]) => k !== "producers" && v !== null)),
    producers: Object.fromEntries([...metadata.producers].map(([f, m]) => [f, Object.fromEntries(m)])),
  };
  const metaLines = Object.entries(metaJson).flatMap(([k, v]) =>
    k === "producers"
      ? Object.entries(v as Record<string, Record<string, string>>).map(
          ([f, m]) =>
            `  ${f}: ${Object.entries(m)
              .map(([n, ver]) => (ver === "" ? n : `${n} ${ver}`))
              .join(", ")}`,
        )
      : [`  ${k}: ${String(v)}`],
  );

  let report: Record<string, unknown>;
  let text: string[];
  if (kind === "module") {
    if (wantWit) {
      throw new InputError(
        `${file} is a core module, which has no WIT: only a component or a WIT package does (a core module becomes a component with componentFromModule)`,
      );
    }
    const m = parseCoreModuleInterface(bytes);
    const imports = m.imports.map((i) => ({
      name: `${i.module} ${i.name}`,
      module: i.module,
      field: i.name,
      kind: i.kind,
    }));
    const exports = m.exports.map((e) => ({ name: e.name, kind: e.kind }));
    report = { file, kind: "core module", size: bytes.length, imports, exports, metadata: metaJson };
    text = [
      `${file}: core module, ${bytes.length} bytes`,
      "imports:",
      ...itemLines(imports),
      "exports:",
      ...itemLines(exports),
    ];
  } else {
    const binary = parseComponent(bytes);
    if (isWitPackage(binary)) {
      const p = decodeWitPackage(binary);
      const pkg = p.resolve.packages[p.package];
      report = {
        file,
        kind: "WIT package",
        size: bytes.length,
        package: packageNameToString(pkg.name),
        interfaces: [...pkg.interfaces.keys()],
        worlds: [...pkg.worlds.keys()],
        metadata: metaJson,
      };
      text = [
        `${file}: WIT package ${packageNameToString(pkg.name)}, ${bytes.length} bytes`,
        `interfaces: ${[...pkg.interfaces.keys()].join(", ") || "(none)"}`,
        `worlds: ${[...pkg.worlds.keys()].join(", ") || "(none)"}`,
      ];
    } else {
      const w = componentWorld(binary);
      const world = w.resolve.worlds[w.world];
      // Components, modules and values come after what the world holds (WIT has no words for them).
      const others = (direction: "import" | "export"): ItemInfo[] =>
        w.others.filter((o) => o.direction === direction).map((o) => ({ name: o.name, kind: o.sort }));
      const imports = [...worldItems(w.resolve, world.imports), ...others("import")];
      const exports = [...worldItems(w.resolve, world.exports), ...others("export")];
      report = { file, kind: "component", size: bytes.length, imports, exports, metadata: metaJson };
      text = [
        `${file}: component, ${bytes.length} bytes`,
        "imports:",
        ...itemLines(imports),
        "exports:",
        ...itemLines(exports),
      ];
    }
    if (wantWit) {
      const wit = printComponentWit(binary);
      report.wit = wit;
      if (!json) {
        out.data(wit, report);
        return 0;
      }
    }
  }
  if (metaLines.length) text.push("metadata:", ...metaLines);
  out.data(text.join("\n"), report);
  return 0;
}
