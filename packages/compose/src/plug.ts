// `plug`: satisfies a socket component's imports with other components' exports, transitively
// (plugs may satisfy each other's imports), by exact name first, then by a semver-compatible name.
import { type EncodeOptions, encodeGraph } from "./encode.js";
import { CompositionError } from "./errors.js";
import { type ComponentId, CompositionGraph, type InstanceId } from "./graph.js";
import { compareVersions, parseInterfaceName, semverCompatible } from "./names.js";

/** A component given to {@link plug}: its bytes and how it is named in errors and provenance. */
export interface PlugInput {
  bytes: Uint8Array;
  name: string;
  version?: string | null;
  source?: string | null;
  sha256?: string | null;
}

/** One import satisfied by `plug`. */
export interface PlugWire {
  /** The instance whose import was satisfied (the socket or a plug). */
  consumer: string;
  import: string;
  /** The plug that satisfied it, and its export's name. */
  plug: string;
  export: string;
}

/** What {@link plugGraph} built. */
export interface PlugPlan {
  graph: CompositionGraph;
  socket: InstanceId;
  wires: PlugWire[];
  /** Plugs that satisfied nothing (left out of the composition). */
  unused: string[];
}

/** The result of {@link plug}: the composed component and how it was wired. */
export interface PlugResult extends PlugPlan {
  bytes: Uint8Array;
}

/** Builds the graph `plug` encodes; throws a {@link CompositionError}. */
export function plugGraph(socket: PlugInput, plugs: PlugInput[]): PlugPlan {
  const graph = new CompositionGraph();
  const add = (p: PlugInput) =>
    graph.addComponent(p.bytes, { name: p.name, version: p.version, source: p.source, sha256: p.sha256 });
  const socketId = add(socket);
  const plugIds = plugs.map(add);
  const socketInst = graph.instantiate(socketId);
  const instances = new Map<ComponentId, InstanceId>();
  const wires: PlugWire[] = [];
  const queue: InstanceId[] = [socketInst];
  while (queue.length > 0) {
    const consumer = queue.shift()!;
    const self = graph.componentOf(consumer).id;
    for (const imp of graph.componentOf(consumer).imports.keys()) {
      const found = findPlug(graph, plugIds, self, imp, graph.instanceName(consumer));
      if (found === null) continue;
      let inst = instances.get(found.component);
      if (inst === undefined) {
        inst = graph.instantiate(found.component);
        instances.set(found.component, inst);
        queue.push(inst);
      }
      graph.setArgument(consumer, imp, graph.alias(inst, found.export));
      wires.push({
        consumer: graph.instanceName(consumer),
        import: imp,
        plug: graph.instanceName(inst),
        export: found.export,
      });
    }
  }
  if (!wires.some((w) => w.consumer === graph.instanceName(socketInst))) {
    const offered = plugIds.flatMap((id) => [...graph.components[id].exports.keys()]);
    throw new CompositionError(
      "NOTHING_PLUGGED",
      `no import of "${socket.name}" is satisfied by the plugs (socket imports: ${[...graph.components[socketId].imports.keys()].join(", ") || "none"}; plugs export: ${offered.join(", ") || "nothing"})`,
      { node: socket.name, candidates: plugs.map((p) => p.name) },
    );
  }
  for (const name of graph.components[socketId].exports.keys()) graph.export(graph.alias(socketInst, name));
  const unused = plugIds.filter((id) => !instances.has(id)).map((id) => graph.components[id].name);
  return { graph, socket: socketInst, wires, unused };
}

/** Plugs `plugs` into `socket` and encodes the result. */
export function plug(socket: PlugInput, plugs: PlugInput[], opts: EncodeOptions = {}): PlugResult {
  const plan = plugGraph(socket, plugs);
  return { ...plan, bytes: encodeGraph(plan.graph, opts) };
}

function findPlug(
  graph: CompositionGraph,
  plugs: ComponentId[],
  self: ComponentId,
  imp: string,
  consumer: string,
): { component: ComponentId; export: string } | null {
  const others = plugs.filter((id) => id !== self);
  const exact = others.filter((id) => graph.components[id].exports.has(imp));
  if (exact.length === 1) return { component: exact[0], export: imp };
  if (exact.length > 1) throw ambiguous(graph, imp, consumer, exact);
  const compatible: { component: ComponentId; export: string }[] = [];
  const wanted = parseInterfaceName(imp)?.version;
  if (wanted === undefined || wanted === null) return null;
  for (const id of others) {
    let best: string | null = null;
    for (const name of graph.components[id].exports.keys()) {
      const v = parseInterfaceName(name)?.version;
      if (v === undefined || v === null || !semverCompatible(imp, name) || compareVersions(v, wanted) < 0) continue;
      if (best === null || compareVersions(v, parseInterfaceName(best)!.version!) > 0) best = name;
    }
    if (best !== null) compatible.push({ component: id, export: best });
  }
  if (compatible.length > 1) {
    throw ambiguous(
      graph,
      imp,
      consumer,
      compatible.map((c) => c.component),
    );
  }
  return compatible[0] ?? null;
}

function ambiguous(graph: CompositionGraph, imp: string, consumer: string, ids: ComponentId[]): CompositionError {
  const names = ids.map((id) => graph.components[id].name);
  return new CompositionError(
    "AMBIGUOUS_PLUG",
    `import "${imp}" of "${consumer}" is exported by more than one plug: ${names.join(", ")}`,
    { node: consumer, import: imp, candidates: names },
  );
}
