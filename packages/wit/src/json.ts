// toJson: the Resolve as wit-parser serializes it (`wasm-tools component wit --json`).
import {
  type Docs,
  type FunctionKind,
  packageNameToString,
  type Resolve,
  type Stability,
  type TypeDefKind,
  type TypeOwner,
  type WitFunction,
  type WorldItem,
  type WorldKey,
} from "./model.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function withDocs(obj: { [k: string]: Json }, docs: Docs): { [k: string]: Json } {
  if (docs !== null) obj.docs = { contents: docs };
  return obj;
}

function stabilityJson(s: Stability): Json {
  if (s.tag === "stable") {
    const o: { [k: string]: Json } = { since: s.since };
    if (s.deprecated !== null) o.deprecated = s.deprecated;
    return { stable: o };
  }
  if (s.tag === "unstable") {
    const o: { [k: string]: Json } = { feature: s.feature };
    if (s.deprecated !== null) o.deprecated = s.deprecated;
    return { unstable: o };
  }
  return null;
}

function withStability(obj: { [k: string]: Json }, s: Stability): { [k: string]: Json } {
  if (s.tag !== "unknown") obj.stability = stabilityJson(s);
  return obj;
}

function ownerJson(o: TypeOwner): Json {
  return o.tag === "none" ? null : { [o.tag]: o.id };
}

function kindJson(k: TypeDefKind): Json {
  switch (k.tag) {
    case "record":
      return { record: { fields: k.fields.map((f) => withDocs({ name: f.name, type: f.type }, f.docs)) } };
    case "resource":
      return "resource";
    case "handle":
      return { handle: { [k.handle]: k.resource } };
    case "flags":
      return { flags: { flags: k.flags.map((f) => withDocs({ name: f.name }, f.docs)) } };
    case "tuple":
      return { tuple: { types: k.types } };
    case "variant":
      return { variant: { cases: k.cases.map((c) => withDocs({ name: c.name, type: c.type }, c.docs)) } };
    case "enum":
      return { enum: { cases: k.cases.map((c) => withDocs({ name: c.name }, c.docs)) } };
    case "option":
      return { option: k.type };
    case "result":
      return { result: { ok: k.ok, err: k.err } };
    case "list":
      return { list: k.type };
    case "map":
      return { map: [k.key, k.value] };
    case "fixed-size-list":
      return { "fixed-size-list": [k.type, k.size] };
    case "future":
      return { future: k.type };
    case "stream":
      return { stream: k.type };
    case "type":
      return { type: k.type };
    case "unknown":
      return "unknown";
  }
}

function functionKindJson(k: FunctionKind): Json {
  return "resource" in k ? { [k.tag]: k.resource } : k.tag;
}

function functionJson(f: WitFunction): { [k: string]: Json } {
  const o: { [k: string]: Json } = {
    name: f.name,
    kind: functionKindJson(f.kind),
    params: f.params.map((p) => ({ name: p.name, type: p.type })),
  };
  if (f.result !== null) o.result = f.result;
  withDocs(o, f.docs);
  return withStability(o, f.stability);
}

function worldKeyJson(k: WorldKey): string {
  return typeof k === "string" ? k : `interface-${k}`;
}

function worldItemJson(item: WorldItem): Json {
  switch (item.tag) {
    case "interface":
      return { interface: withStability({ id: item.id }, item.stability) };
    case "function":
      return { function: functionJson(item.func) };
    case "type":
      return { type: item.id };
  }
}

function mapJson<K, V>(m: Map<K, V>, key: (k: K) => string, value: (v: V) => Json): { [k: string]: Json } {
  const o: { [k: string]: Json } = {};
  for (const [k, v] of m) o[key(k)] = value(v);
  return o;
}

/** The JSON document wit-parser's `Resolve` serializes to. */
export function toJson(resolve: Resolve): unknown {
  return {
    worlds: resolve.worlds.map((w) =>
      withStability(
        withDocs(
          {
            name: w.name,
            imports: mapJson(w.imports, worldKeyJson, worldItemJson),
            exports: mapJson(w.exports, worldKeyJson, worldItemJson),
            package: w.package,
          },
          w.docs,
        ),
        w.stability,
      ),
    ),
    interfaces: resolve.interfaces.map((i) => {
      const o: { [k: string]: Json } = {
        name: i.name,
        types: mapJson(i.types, String, (t) => t),
        functions: mapJson(i.functions, String, functionJson),
      };
      withDocs(o, i.docs);
      withStability(o, i.stability);
      o.package = i.package;
      return o;
    }),
    types: resolve.types.map((t) => {
      const o: { [k: string]: Json } = { name: t.name, kind: kindJson(t.kind), owner: ownerJson(t.owner) };
      withDocs(o, t.docs);
      return withStability(o, t.stability);
    }),
    packages: resolve.packages.map((p) => {
      const o = withDocs({ name: packageNameToString(p.name) }, p.docs);
      o.interfaces = mapJson(p.interfaces, String, (x) => x);
      o.worlds = mapJson(p.worlds, String, (x) => x);
      return o;
    }),
  };
}
