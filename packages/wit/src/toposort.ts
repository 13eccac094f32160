// Topological sort with wit-parser's tie-breaking: among ready names, the earliest declared first.
import type { Ident } from "./ast.js";
import { didYouMean, WitError } from "./errors.js";

/**
 * Orders `deps` keys so every key follows its dependencies, preferring source order among ready
 * keys (wit-parser's ordering). Unknown names and cycles are errors.
 */
export function toposort(kind: string, deps: Map<string, Ident[]>): string[] {
  const keys = [...deps.keys()];
  const index = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) index.set(keys[i], i);
  if (inSourceOrder(keys, deps, index)) return keys;
  const remaining = new Array<number>(keys.length).fill(0);
  const reverse: number[][] = keys.map(() => []);
  keys.forEach((k, i) => {
    const edges = deps.get(k)!;
    remaining[i] = edges.length;
    for (const e of edges) {
      const j = index.get(e.name);
      if (j === undefined)
        throw new WitError("WIT_UNKNOWN", `${kind} \`${e.name}\` does not exist`, e, didYouMean(e.name, keys));
      reverse[j].push(i);
    }
  });
  // A binary min-heap of ready indices.
  const heap: number[] = [];
  const push = (v: number) => {
    heap.push(v);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p] <= heap[i]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  for (let i = 0; i < keys.length; i++) if (remaining[i] === 0) push(i);
  const order: string[] = [];
  while (heap.length > 0) {
    const i = pop();
    order.push(keys[i]);
    for (const j of reverse[i]) if (--remaining[j] === 0) push(j);
    reverse[i] = [];
  }
  if (order.length === keys.length) return order;
  for (let i = 0; i < keys.length; i++) {
    if (remaining[i] === 0) continue;
    for (const e of deps.get(keys[i])!) {
      if (remaining[index.get(e.name)!] === 0) continue;
      throw new WitError("WIT_CYCLE", `${kind} \`${e.name}\` depends on itself`, e);
    }
  }
  throw new Error("unreachable: cycle not found");
}

/**
 * Whether every dependency is declared before its user (the usual case): source order is then
 * the order, and also the one wit-parser picks, so the sort can be skipped.
 */
function inSourceOrder(keys: string[], deps: Map<string, Ident[]>, index: Map<string, number>): boolean {
  for (let i = 0; i < keys.length; i++) {
    const edges = deps.get(keys[i])!;
    for (let k = 0; k < edges.length; k++) {
      const j = index.get(edges[k].name);
      if (j === undefined || j >= i) return false;
    }
  }
  return true;
}
