// `wasm-compose plug <socket.wasm> --plug <a.wasm> [--plug ...] -o out.wasm`: satisfies the
// socket's imports with the plugs' exports (plugs may satisfy each other's) and writes one component.
// The socket and each plug may also be a package name or reference, pulled when no such path exists.
import { type PlugInput, plug } from "@wasm-compose/compose";
import type { CommandRun } from "../commands.js";
import { UsageError } from "../errors.js";
import { distinctOutputs, sha256Hex as sha256, writeOutputFile } from "../files.js";
import type { Output } from "../output.js";
import { readInput } from "../pulled.js";

/** A file, or a package pulled from a registry (or the local store) when no such path exists. */
async function input(
  path: string,
  registry: string | undefined,
  out: Output,
  signal?: AbortSignal,
): Promise<PlugInput> {
  const { bytes, name } = await readInput(path, registry, signal, (line) => out.note(line));
  return { bytes, name, source: path, sha256: sha256(bytes) };
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Runs `plug`; composition problems throw the `CompositionError`, which the CLI prints (exit 1). */
export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [socketPath] = args;
  if (socketPath === undefined) throw new UsageError("missing <socket>: the component whose imports to satisfy");
  const plugPaths = list(options.plug);
  if (plugPaths.length === 0) throw new UsageError("missing --plug <file>: at least one component to plug in");
  if (typeof options.output !== "string")
    throw new UsageError("missing -o, --output <file>: where to write the result");
  const twice = plugPaths.find((p, i) => plugPaths.indexOf(p) !== i || p === socketPath);
  if (twice !== undefined) throw new UsageError(`${twice} is given twice: each component is plugged once`);
  await distinctOutputs([{ flag: "-o", path: options.output }], [socketPath, ...plugPaths]);
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  const socket = await input(socketPath, registry, out, signal);
  const plugs = await Promise.all(plugPaths.map((p) => input(p, registry, out, signal)));
  const result = plug(socket, plugs, { sha256, name: typeof options.name === "string" ? options.name : socket.name });
  await writeOutputFile(options.output, result.bytes);
  const imports = result.graph.resolve().imports.map((i) => i.name);
  const lines = [
    ...result.wires.map(
      (w) => `plugged ${w.consumer}: ${w.import} <- ${w.plug}${w.export === w.import ? "" : ` (${w.export})`}`,
    ),
    ...result.unused.map((u) => `unused plug: ${u}`),
    `wrote ${options.output} (${result.bytes.length} bytes, ${imports.length} import${imports.length === 1 ? "" : "s"} left open)`,
  ];
  out.result(lines.join("\n"), {
    output: options.output,
    size: result.bytes.length,
    wires: result.wires,
    unused: result.unused,
    imports,
  });
  return 0;
};
