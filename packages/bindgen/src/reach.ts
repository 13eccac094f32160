// Which interfaces declarations need: the given ones, and those owning a type they or world-level functions use.
import type { InterfaceId, Resolve, Type, TypeId, WitFunction } from "@wasm-compose/wit";

/**
 * `roots` and every interface owning a named type reachable from them or from `functions` (a world's
 * own functions), roots first, in discovery order.
 */
export function reachableInterfaces(
  resolve: Resolve,
  roots: InterfaceId[],
  functions: WitFunction[] = [],
): InterfaceId[] {
  const out = new Set<InterfaceId>(roots);
  const seenTypes = new Set<TypeId>();
  const queue = [...roots];
  const visit = (ty: Type | null) => {
    if (typeof ty !== "number" || seenTypes.has(ty)) return;
    seenTypes.add(ty);
    const def = resolve.types[ty];
    if (def.owner.tag === "interface" && !out.has(def.owner.id)) {
      out.add(def.owner.id);
      queue.push(def.owner.id);
    }
    const k = def.kind;
    switch (k.tag) {
      case "record":
        for (const f of k.fields) visit(f.type);
        break;
      case "variant":
        for (const c of k.cases) visit(c.type);
        break;
      case "tuple":
        for (const t of k.types) visit(t);
        break;
      case "handle":
        visit(k.resource);
        break;
      case "result":
        visit(k.ok);
        visit(k.err);
        break;
      case "map":
        visit(k.key);
        visit(k.value);
        break;
      case "option":
      case "list":
      case "fixed-size-list":
      case "type":
      case "future":
      case "stream":
        visit(k.type);
        break;
      default:
        break;
    }
  };
  const visitFunction = (f: WitFunction) => {
    for (const p of f.params) visit(p.type);
    visit(f.result);
  };
  functions.forEach(visitFunction);
  while (queue.length > 0) {
    const iface = resolve.interfaces[queue.shift()!];
    for (const id of iface.types.values()) visit(id);
    for (const f of iface.functions.values()) visitFunction(f);
  }
  return [...out];
}
