// World elaboration: the transitive imports a world's items need, in wit-parser's order.
import { type Span, WitError } from "./errors.js";
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

/**
 * Adds the interfaces a world's imports and exports need, in dependency order (wit-parser's
 * elaboration). `spanOf` says where an export is written, for the error when one cannot be added.
 */
export function elaborateWorld(
  resolve: Resolve,
  worldId: WorldId,
  spanOf: (key: WorldKey) => Span | null = () => null,
): void {
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
  // Every exported interface in order; only those exported under their own name (not a plain
  // name such as `export cache: store;`) stand in for a dependency of another export.
  const exportIfaces: { key: WorldKey; id: InterfaceId; stability: Stability }[] = [];
  const exportedById = new Set<InterfaceId>();
  for (const [key, item] of world.exports) {
    if (item.tag === "interface") {
      exportIfaces.push({ key, id: item.id, stability: item.stability });
      if (typeof key === "number") exportedById.add(item.id);
    } else exports.set(key, item);
  }
  const required = new Set<InterfaceId>();
  // For a better error: which export first made each interface an import, and what clashed.
  const requiredBy = new Map<InterfaceId, { by: WorldKey; via: InterfaceId | null }>();
  let current: WorldKey = 0;
  let clash: InterfaceId | null = null;
  let clashVia: InterfaceId | null = null;
  const add = (
    id: InterfaceId,
    key: WorldKey,
    asExport: boolean,
    stability: Stability,
    via: InterfaceId | null = null,
  ): boolean => {
    if (exports.has(key)) {
      if (!asExport) {
        clash = id;
        clashVia = via;
      }
      return asExport;
    }
    if (!asExport && required.has(id)) return true;
    for (const dep of interfaceDirectDeps(resolve, id)) {
      if (!add(dep, dep, asExport && exportedById.has(dep), stability, id)) return false;
    }
    const item: WorldItem = { tag: "interface", id, stability };
    if (asExport) {
      if (required.has(id)) {
        clash = id;
        clashVia = requiredBy.get(id)?.via ?? null;
        return false;
      }
      exports.set(key, item);
    } else {
      required.add(id);
      if (!requiredBy.has(id)) requiredBy.set(id, { by: current, via });
      imports.set(key, item);
    }
    return true;
  };
  const keyName = (key: WorldKey) => (typeof key === "string" ? key : interfaceName(resolve, key));
  // How the world would name an interface: plainly in its own package (a qualified name there is a cycle).
  const refName = (id: InterfaceId) => {
    const i = resolve.interfaces[id];
    return i.package === world.package && i.name !== null ? i.name : interfaceName(resolve, id);
  };
  for (const { key, id, stability } of exportIfaces) {
    current = key;
    if (!add(id, key, true, stability)) {
      throw new WitError(
        "WIT_INVALID",
        `interface \`${keyName(key)}\` transitively depends on an interface in incompatible ways`,
        spanOf(key),
        clash === null
          ? null
          : clashHint(
              clash,
              requiredBy.get(clash)?.by ?? key,
              exportedById.has(clash) ? clashVia : null,
              keyName,
              refName,
            ),
      );
    }
  }
  world.imports = new Map(stableSort(resolve, imports));
  world.exports = exports;
}

/** Why an interface cannot be both imported and exported here, and what to change. */
function clashHint(
  id: InterfaceId,
  by: WorldKey,
  /** Set when `id` is exported under its own name: the imported interface that needs it. */
  via: InterfaceId | null,
  keyName: (key: WorldKey) => string,
  refName: (id: InterfaceId) => string,
): string {
  const name = keyName(id);
  const user = keyName(by);
  return via !== null
    ? `\`${user}\` reaches \`${name}\` through \`${keyName(via)}\`, which this world imports, so it would get an imported copy besides the export; add \`export ${refName(via)};\` so that every export uses the exported one`
    : `\`${name}\` is imported because \`${user}\` depends on it, and exporting it as well would give the exports two copies (an export under a plain name does not stand in for it); add \`export ${refName(id)};\` so that they share the exported one`;
}

function interfaceName(resolve: Resolve, id: InterfaceId): string {
  const i = resolve.interfaces[id];
  if (i.name === null || i.package === null) return `interface-${id}`;
  const p = resolve.packages[i.package].name;
  return `${p.namespace}:${p.name}/${i.name}${p.version ? `@${p.version}` : ""}`;
}
