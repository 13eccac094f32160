// Mutations of WIT sources for fuzzing the front end; shared by fuzz/fuzz.mjs and test/fuzz.test.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  "package",
  "interface",
  "world",
  "use",
  "import",
  "export",
  "include",
  "with",
  "as",
  "type",
  "record",
  "variant",
  "enum",
  "flags",
  "resource",
  "func",
  "async",
  "static",
  "constructor",
  "own",
  "borrow",
  "list",
  "map",
  "option",
  "result",
  "tuple",
  "future",
  "stream",
  "error-context",
  "string",
  "u32",
  "_",
  "{",
  "}",
  "(",
  ")",
  "<",
  ">",
  ",",
  ";",
  ":",
  ".",
  "/",
  "@",
  "=",
  "->",
  "%",
  "*",
  "-",
  "+",
  "@since(version = 1.0.0)",
  "@unstable(feature = x)",
  "@deprecated(version = 0.1.0)",
  "a:b/c@1.0.0",
  "1.0.0",
  "0",
  "4294967296",
  "///",
  "/*",
  "*/",
  "//",
  "/**",
  "\n",
  " ",
  "\u202e",
  "é",
  "\u0000",
  "x",
  "foo-bar",
  "Foo",
  "a--b",
];

/** Every `.wit` file under `dir`, recursively (the golden corpus). */
export function corpus(dir) {
  const out = [];
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (n.endsWith(".wit")) out.push(readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/** One random mutation (or a few stacked) of `src`. */
export function mutate(src, rand, corpusTexts) {
  const pick = (n) => Math.floor(rand() * n);
  let s = src;
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    const i = pick(s.length + 1);
    const j = Math.min(s.length, i + pick(40));
    switch (pick(8)) {
      case 0: // delete a range
        s = s.slice(0, i) + s.slice(j);
        break;
      case 1: // duplicate a range
        s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
        break;
      case 2: // insert a token
        s = `${s.slice(0, i)} ${TOKENS[pick(TOKENS.length)]} ${s.slice(i)}`;
        break;
      case 3: // replace a character
        s = s.slice(0, i) + String.fromCharCode(pick(128)) + s.slice(i + 1);
        break;
      case 4: // truncate
        s = s.slice(0, i);
        break;
      case 5: {
        // swap two lines
        const lines = s.split("\n");
        const a = pick(lines.length);
        const b = pick(lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        s = lines.join("\n");
        break;
      }
      case 6: {
        // splice in a piece of another corpus file
        const other = corpusTexts[pick(corpusTexts.length)];
        const k = pick(other.length);
        s = s.slice(0, i) + other.slice(k, k + pick(200)) + s.slice(i);
        break;
      }
      default: {
        // replace one identifier-like word with another from the token list
        const m = /[a-z][a-z0-9-]*/g;
        const words = [...s.matchAll(m)];
        if (words.length === 0) break;
        const w = words[pick(words.length)];
        s = s.slice(0, w.index) + TOKENS[pick(TOKENS.length)] + s.slice(w.index + w[0].length);
      }
    }
  }
  return s;
}

/** Swaps one or two identifier-like words for other words of the same text: inputs that mostly still parse. */
export function swapWords(src, rand) {
  const words = [...src.matchAll(/[a-z%@][a-z0-9-]*/g)];
  let s = src;
  for (let k = 0; k < 1 + Math.floor(rand() * 2) && words.length > 0; k++) {
    const w = words[Math.floor(rand() * words.length)];
    const r = words[Math.floor(rand() * words.length)];
    if (w.index + w[0].length > s.length) break;
    s = s.slice(0, w.index) + r[0] + s.slice(w.index + w[0].length);
  }
  return s;
}

/** A corpus input mutated either destructively (`mutate`) or gently (`swapWords`). */
export function nextInput(texts, rand) {
  const base = texts[Math.floor(rand() * texts.length)];
  return rand() < 0.5 ? swapWords(base, rand) : mutate(base, rand, texts);
}

/**
 * Runs `count` mutated inputs through `parse`; every input must end in a value or a `WitError`
 * (checked with `isWitError`) within `limitMs`; `onAccept(value, input, opts)` may check accepted
 * inputs further (its throws count as failures). Returns counts and the failures found.
 */
export function fuzz({ parse, isWitError, texts, count, seed, limitMs = 1000, onAccept = null }) {
  const rand = rng(seed);
  const failures = [];
  let accepted = 0;
  let rejected = 0;
  let slowest = 0;
  for (let n = 0; n < count; n++) {
    const input = nextInput(texts, rand);
    const allFeatures = rand() < 0.3;
    const t0 = performance.now();
    try {
      const value = parse(input, { allFeatures });
      accepted++;
      if (onAccept) onAccept(value, input, { allFeatures });
    } catch (e) {
      if (isWitError(e)) rejected++;
      else failures.push({ n, input, error: String(e?.stack ?? e) });
    }
    const dt = performance.now() - t0;
    if (dt > slowest) slowest = dt;
    if (dt > limitMs) failures.push({ n, input, error: `took ${dt.toFixed(0)} ms` });
  }
  return { accepted, rejected, failures, slowest };
}

/**
 * Which feature gates to enable for an input, the same for us and for wit-parser: all of them
 * (30%), a random subset of the `feature = x` names the input mentions (25%), or none.
 */
export function pickFeatures(input, rand) {
  const r = rand();
  if (r < 0.3) return { ours: { allFeatures: true }, jco: { tag: "all" }, label: "all" };
  if (r < 0.55) {
    const names = [...new Set([...input.matchAll(/feature\s*=\s*([A-Za-z0-9-]+)/g)].map((m) => m[1]))];
    const val = names.filter(() => rand() < 0.5);
    return { ours: { features: val }, jco: { tag: "list", val }, label: `[${val.join(", ")}]` };
  }
  return { ours: {}, jco: { tag: "list", val: [] }, label: "none" };
}
