// World elaboration: the transitive imports a world's items need, in wit-parser's order.
import { WitError } from "./errors.js";
import type {
  InterfaceId,
  Resolve,
  Stability,
  TypeId,
  TypeOwner,
  World,
  WorldId,
  WorldItem,
  WorldKey,
} from "./model.js";

/** The interface a `use`d type comes from, when `id` is an alias of another owner's type. */
export function typeInterfaceDep(resolve: Resolve, id: TypeId): InterfaceId | null {
  const ty = resolve.types[id];
  if (ty.kind.tag !== "type" || typeof ty.kind.type !== "number") return null;
  const other = resolve.types[ty.kind.type];
  if (sameOwner(ty.owner, other.owner)) return null;
  return other.owner.tag === "interface" ? other.owner.id : null;
}

export function sameOwner(a: TypeOwner, b: TypeOwner): boolean {
  if (a.tag !== b.tag) return false;
  return a.tag === "none" || a.id === (b as { id: number }).id;
}

/** Interfaces `id` uses types from, in order (with repeats). */
export function interfaceDirectDeps(resolve: Resolve, id: InterfaceId): InterfaceId[] {
  const out: InterfaceId[] = [];
  resolve.interfaces[id].types.forEach((t) => {
    const d = typeInterfaceDep(resolve, t);
    if (d !== null) out.push(d);
  });
  return out;
}

function sortKey(resolve: Resolve, item: WorldItem): number {
  switch (item.tag) {
    case "interface":
      return 0;
    case "type": {
      const ty = resolve.types[item.id];
      if (
        ty.kind.tag === "type" &&
        typeof ty.kind.type === "number" &&
        !sameOwner(resolve.types[ty.kind.type].owner, ty.owner)
      )
        return 1;
      return 2;
    }
    case "function":
      return "resource" in item.func.kind ? 4 : 3;
  }
}

function stableSort(resolve: Resolve, m: Map<WorldKey, WorldItem>): [WorldKey, WorldItem][] {
  return [...m]
    .map((e, i) => [e, sortKey(resolve, e[1]), i] as const)
    .sort((a, b) => a[1] - b[1] || a[2] - b[2])
    .map((x) => x[0]);
}

/** Adds the interfaces a world's imports and exports need, in dependency order (wit-parser's elaboration). */
export function elaborateWorld(resolve: Resolve, worldId: WorldId): void {
  const world: World = resolve.worlds[worldId];
  const imports = new Map<WorldKey, WorldItem>();
  const addImport = (key: WorldKey, id: InterfaceId, stability: Stability) => {
    if (imports.has(key)) return;
    for (const dep of interfaceDirectDeps(resolve, id)) addImport(dep, dep, stability);
    imports.set(key, { tag: "interface", id, stability });
  };
  for (const [key, item] of stableSort(resolve, world.imports)) {
    if (item.tag === "interface") addImport(key, item.id, item.stability);
    else if (item.tag === "function") imports.set(key, item);
    else {
      const dep = typeInterfaceDep(resolve, item.id);
      if (dep !== null) addImport(dep, dep, resolve.types[item.id].stability);
      imports.set(key, item);
    }
  }
  const exports = new Map<WorldKey, WorldItem>();
  const exportIfaces = new Map<InterfaceId, { key: WorldKey; stability: Stability }>();
  for (const [key, item] of world.exports) {
    if (item.tag === "interface") exportIfaces.set(item.id, { key, stability: item.stability });
    else exports.set(key, item);
  }
  const required = new Set<InterfaceId>();
  const add = (id: InterfaceId, key: WorldKey, asExport: boolean, stability: Stability): boolean => {
    if (exports.has(key)) return asExport;
    if (!asExport && required.has(id)) return true;
    for (const dep of interfaceDirectDeps(resolve, id)) {
      if (!add(dep, dep, asExport && exportIfaces.has(dep), stability)) return false;
    }
    const item: WorldItem = { tag: "interface", id, stability };
    if (asExport) {
      if (required.has(id)) return false;
      exports.set(key, item);
    } else {
      required.add(id);
      imports.set(key, item);
    }
    return true;
  };
  for (const [id, { key, stability }] of exportIfaces) {
    if (!add(id, key, true, stability)) {
      const name = typeof key === "string" ? key : interfaceName(resolve, key);
      throw new WitError(
        "WIT_INVALID",
        `interface \`${name}\` transitively depends on an interface in incompatible ways`,
      );
    }
  }
  world.imports = new Map(stableSort(resolve, imports));
  world.exports = exports;
}

function interfaceName(resolve: Resolve, id: InterfaceId): string {
  const i = resolve.interfaces[id];
  if (i.name === null || i.package === null) return `interface-${id}`;
  const p = resolve.packages[i.package].name;
  return `${p.namespace}:${p.name}/${i.name}${p.version ? `@${p.version}` : ""}`;
}
