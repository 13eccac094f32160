// Subtype checks between WIT-level items of two components: interfaces (the found side may have
// more items), functions and value types (structural), resources by identity. Each side says
// what identity its resources have, so a resource `use`d from another interface is the same
// resource wherever it is reached from.
import {
  dealias,
  type InterfaceId,
  type Resolve,
  type Type,
  type TypeId,
  type WitFunction,
  type WorldId,
  type WorldItem,
  witType,
  worldKeyName,
} from "@wasm-compose/wit";
import { TypeMismatch } from "../errors.js";

/** One side of a comparison: the resolve its types live in and how its resources are identified. */
export interface TypeSide {
  resolve: Resolve;
  /** A key that is equal for two resources exactly when they are the same resource. */
  resourceKey(resource: TypeId): string;
}

/** WIT spelling of a type reference (named types by name). */
export function typeText(resolve: Resolve, t: Type | null): string {
  if (t === null) return "nothing";
  // A resource says what it is; everything else reads as WIT spells it.
  if (typeof t !== "string") {
    const def = resolve.types[t];
    if (def.name !== null && def.kind.tag === "resource") return `resource ${def.name}`;
  }
  return witType(resolve, t);
}

function kindName(resolve: Resolve, t: Type): string {
  if (typeof t === "string") return t;
  const k = resolve.types[t].kind;
  return k.tag === "handle" ? k.handle : k.tag;
}

/**
 * Compares two value types for equality (the component model's value subtyping is equality for
 * everything WIT can express). `a` is the expected side. Returns the mismatch, or `null`.
 * With `resourceDefs`, two resource definitions are compared by identity too (for type exports).
 */
export function equalTypes(a: TypeSide, ta: Type, b: TypeSide, tb: Type, resourceDefs = false): TypeMismatch | null {
  const x = dealias(a.resolve, ta);
  const y = dealias(b.resolve, tb);
  const mismatch = () => new TypeMismatch([], typeText(a.resolve, ta), typeText(b.resolve, tb));
  if (typeof x === "string" || typeof y === "string") return x === y ? null : mismatch();
  const kx = a.resolve.types[x].kind;
  const ky = b.resolve.types[y].kind;
  if (kx.tag !== ky.tag) {
    return new TypeMismatch(
      [],
      `${kindName(a.resolve, x)} ${typeText(a.resolve, ta)}`,
      `${kindName(b.resolve, y)} ${typeText(b.resolve, tb)}`,
    );
  }
  const sub = (seg: string, p: Type | null, q: Type | null): TypeMismatch | null => {
    if (p === null || q === null) {
      return p === q ? null : new TypeMismatch([seg], typeText(a.resolve, p), typeText(b.resolve, q));
    }
    return equalTypes(a, p, b, q)?.within(seg) ?? null;
  };
  const names = (what: string, p: string[], q: string[]): TypeMismatch | null =>
    p.length === q.length && p.every((n, i) => n === q[i])
      ? null
      : new TypeMismatch([], `${what} ${p.join(", ")}`, `${what} ${q.join(", ")}`);
  switch (kx.tag) {
    case "resource":
      if (!resourceDefs) return null;
      return a.resourceKey(x) === b.resourceKey(y) ? null : resourceMismatch(a, x, b, y);
    case "handle": {
      const hy = ky as typeof kx;
      if (kx.handle !== hy.handle) return mismatch();
      const rx = dealias(a.resolve, kx.resource) as TypeId;
      const ry = dealias(b.resolve, hy.resource) as TypeId;
      return a.resourceKey(rx) === b.resourceKey(ry) ? null : resourceMismatch(a, rx, b, ry);
    }
    case "record": {
      const fy = (ky as typeof kx).fields;
      const bad = names(
        "fields",
        kx.fields.map((f) => f.name),
        fy.map((f) => f.name),
      );
      if (bad !== null) return bad.within(`record ${typeText(a.resolve, ta)}`);
      for (let i = 0; i < kx.fields.length; i++) {
        const m = sub(`field ${kx.fields[i].name}`, kx.fields[i].type, fy[i].type);
        if (m !== null) return m;
      }
      return null;
    }
    case "variant": {
      const cy = (ky as typeof kx).cases;
      const bad = names(
        "cases",
        kx.cases.map((c) => c.name),
        cy.map((c) => c.name),
      );
      if (bad !== null) return bad.within(`variant ${typeText(a.resolve, ta)}`);
      for (let i = 0; i < kx.cases.length; i++) {
        const m = sub(`case ${kx.cases[i].name}`, kx.cases[i].type, cy[i].type);
        if (m !== null) return m;
      }
      return null;
    }
    case "flags":
      return names(
        "flags",
        kx.flags.map((f) => f.name),
        (ky as typeof kx).flags.map((f) => f.name),
      );
    case "enum":
      return names(
        "enum",
        kx.cases.map((c) => c.name),
        (ky as typeof kx).cases.map((c) => c.name),
      );
    case "tuple": {
      const ty = (ky as typeof kx).types;
      if (kx.types.length !== ty.length) return mismatch();
      for (let i = 0; i < ty.length; i++) {
        const m = sub(`tuple element ${i}`, kx.types[i], ty[i]);
        if (m !== null) return m;
      }
      return null;
    }
    case "option":
      return sub("option", kx.type, (ky as typeof kx).type);
    case "list":
      return sub("list element", kx.type, (ky as typeof kx).type);
    case "fixed-size-list": {
      const y2 = ky as typeof kx;
      return kx.size !== y2.size ? mismatch() : sub("list element", kx.type, y2.type);
    }
    case "map": {
      const y2 = ky as typeof kx;
      return sub("map key", kx.key, y2.key) ?? sub("map value", kx.value, y2.value);
    }
    case "result": {
      const y2 = ky as typeof kx;
      return sub("ok", kx.ok, y2.ok) ?? sub("err", kx.err, y2.err);
    }
    case "future":
    case "stream":
      return sub(kx.tag, kx.type, (ky as typeof kx).type);
    default:
      return null;
  }
}

function resourceMismatch(a: TypeSide, x: TypeId, b: TypeSide, y: TypeId): TypeMismatch {
  return new TypeMismatch(
    [],
    `resource ${a.resolve.types[x].name} of ${a.resourceKey(x)}`,
    `resource ${b.resolve.types[y].name} of ${b.resourceKey(y)}`,
  );
}

/** Compares two functions: parameters by position and name, then the result. */
export function equalFunctions(a: TypeSide, fa: WitFunction, b: TypeSide, fb: WitFunction): TypeMismatch | null {
  if (fa.params.length !== fb.params.length) {
    return new TypeMismatch([], `${fa.params.length} parameters`, `${fb.params.length}`);
  }
  for (let i = 0; i < fa.params.length; i++) {
    const p = fa.params[i];
    const q = fb.params[i];
    if (p.name !== q.name) return new TypeMismatch([`param ${i}`], `name ${p.name}`, `name ${q.name}`);
    const m = equalTypes(a, p.type, b, q.type);
    if (m !== null) return m.within(`param ${p.name}`);
  }
  if (fa.result === null || fb.result === null) {
    return fa.result === fb.result
      ? null
      : new TypeMismatch(["result"], typeText(a.resolve, fa.result), typeText(b.resolve, fb.result));
  }
  return equalTypes(a, fa.result, b, fb.result)?.within("result") ?? null;
}

/**
 * Checks that the interface `fi` (found, e.g. an instance's export) can be given where `ei`
 * (expected, e.g. an import) is wanted: every type and function of `ei` must be in `fi` with an
 * equal type; `fi` may have more. Returns the first mismatch, or `null`.
 */
export function checkInterface(
  expected: TypeSide,
  ei: InterfaceId,
  found: TypeSide,
  fi: InterfaceId,
): TypeMismatch | null {
  const e = expected.resolve.interfaces[ei];
  const f = found.resolve.interfaces[fi];
  for (const [name, t] of e.types) {
    const u = f.types.get(name);
    if (u === undefined) return new TypeMismatch([`type ${name}`], "a type", "nothing");
    const m = equalTypes(expected, t, found, u, true);
    if (m !== null) return m.within(`type ${name}`);
  }
  for (const [name, fn] of e.functions) {
    const g = f.functions.get(name);
    if (g === undefined) return new TypeMismatch([`func ${name}`], "a function", "nothing");
    const m = equalFunctions(expected, fn, found, g);
    if (m !== null) return m.within(`func ${name}`);
  }
  return null;
}

/** Compares two world items of the same name (`expected` is where the item is wanted). */
export function checkItem(expected: TypeSide, e: WorldItem, found: TypeSide, f: WorldItem): TypeMismatch | null {
  const kind = (i: WorldItem) =>
    i.tag === "interface" ? "an instance" : i.tag === "function" ? "a function" : "a type";
  if (e.tag !== f.tag) return new TypeMismatch([], kind(e), kind(f));
  if (e.tag === "interface" && f.tag === "interface") return checkInterface(expected, e.id, found, f.id);
  if (e.tag === "function" && f.tag === "function") return equalFunctions(expected, e.func, found, f.func);
  if (e.tag === "type" && f.tag === "type") return equalTypes(expected, e.id, found, f.id, true);
  return null;
}

/** One way a component type does not fit another, by the item's import or export name. */
export interface ComponentTypeProblem {
  dir: "import" | "export";
  name: string;
  /** `missing` (an export that is required), `unexpected` (an import not allowed), or a mismatch. */
  problem: "missing" | "unexpected" | TypeMismatch;
}

/**
 * Checks that the component type (world) `found` can be used where `expected` is wanted:
 * contravariant in imports (`found` may import only what `expected` imports, and must accept
 * what it is given) and covariant in exports (`found` exports at least what `expected` does).
 */
export function checkComponentType(
  expected: TypeSide,
  ew: WorldId,
  found: TypeSide,
  fw: WorldId,
): ComponentTypeProblem[] {
  const named = (side: TypeSide, m: Map<string | InterfaceId, WorldItem>) =>
    new Map([...m].map(([k, v]) => [worldKeyName(side.resolve, k), v] as const));
  const problems: ComponentTypeProblem[] = [];
  const allowed = named(expected, expected.resolve.worlds[ew].imports);
  for (const [name, item] of named(found, found.resolve.worlds[fw].imports)) {
    const given = allowed.get(name);
    if (given === undefined) problems.push({ dir: "import", name, problem: "unexpected" });
    else {
      // Contravariance: what the expected type's user gives must fit what `found` wants.
      const m = checkItem(found, item, expected, given);
      if (m !== null) problems.push({ dir: "import", name, problem: m });
    }
  }
  const offered = named(found, found.resolve.worlds[fw].exports);
  for (const [name, item] of named(expected, expected.resolve.worlds[ew].exports)) {
    const have = offered.get(name);
    if (have === undefined) problems.push({ dir: "export", name, problem: "missing" });
    else {
      const m = checkItem(expected, item, found, have);
      if (m !== null) problems.push({ dir: "export", name, problem: m });
    }
  }
  return problems;
}
