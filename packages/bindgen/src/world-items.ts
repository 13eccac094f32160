// A world's imports or exports as bindings see them: interfaces (named or inline) and world-level functions.
import {
  type InterfaceId,
  interfaceQualifiedName,
  type Resolve,
  type TypeId,
  type WitFunction,
  type WorldItem,
  type WorldKey,
} from "@wasm-compose/wit";
import { BindgenError } from "./errors.js";

/** An interface a world imports or exports. */
export interface WorldInterface {
  id: InterfaceId;
  /**
   * What componentize-js and jco call it: the qualified name with version (`example:text/pattern@0.1.0`),
   * or the world key of an inline interface (`import greeter: interface { … }` → `greeter`).
   */
  key: string;
  inline: boolean;
}

/** A world-level function (`import log: func(…)`); `key` is its kebab name. */
export interface WorldFunction {
  key: string;
  func: WitFunction;
}

/** A world's imports or its exports, by kind. */
export interface WorldItems {
  interfaces: WorldInterface[];
  functions: WorldFunction[];
  /** The world's own types by name (they are among its imports). */
  types: Map<string, TypeId>;
}

/** The items of `items` (a world's imports or exports), in order. */
export function worldItems(resolve: Resolve, items: Map<WorldKey, WorldItem>): WorldItems {
  const out: WorldItems = { interfaces: [], functions: [], types: new Map() };
  for (const [key, item] of items) {
    if (item.tag === "interface") {
      const inline = typeof key === "string";
      out.interfaces.push({ id: item.id, key: inline ? key : qualifiedName(resolve, item.id), inline });
    } else if (item.tag === "function") {
      out.functions.push({ key: String(key), func: item.func });
    } else if (typeof key === "string") {
      out.types.set(key, item.id);
    }
  }
  return out;
}

/** What declarations call interface `id`: its key among `listed` (the world's), else its qualified name. */
export function interfaceKey(resolve: Resolve, listed: WorldInterface[], id: InterfaceId): string {
  return listed.find((i) => i.id === id)?.key ?? qualifiedName(resolve, id);
}

/** The freestanding (non-async) functions of interface `id`: those an alias module may wrap. */
export function freestandingFunctions(resolve: Resolve, id: InterfaceId): WitFunction[] {
  return [...resolve.interfaces[id].functions.values()].filter((f) => f.kind.tag === "freestanding");
}

/** The qualified name of a named interface (with its version). */
export function qualifiedName(resolve: Resolve, id: InterfaceId): string {
  const q = interfaceQualifiedName(resolve, id);
  if (q === null)
    throw new BindgenError("UNSUPPORTED", `expected a named interface, found interface ${id} without a name`);
  return q;
}
