// Mutation fuzzing of the reader, the world decoder and the metadata reader over real components
// (fixtures/build/*.wasm). Only ComponentError may escape; anything else is a crash, saved to
// packages/component/fuzz/crashes/. Usage: node fuzz/fuzz.mjs [iterations=100000] [seed=1] [--oracle]
// (after `npx tsc -b packages/component`). With --oracle, each mutated input under 1 MB is also read
// by jco's componentWit: a component jco reads must print the same through printComponentWit, and
// one jco reads must not be refused by us (inputs only we accept are counted apart: we read, jco
// also validates).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ComponentError,
  componentWorld,
  decodeWitPackage,
  encodeWitPackage,
  isWitPackage,
  parseComponent,
  printComponentWit,
  readMetadata,
} from "../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const oracle = process.argv.includes("--oracle");
const args = process.argv.slice(2).filter((a) => !a.startsWith("--") && a !== "component");
const iterations = Number(args[0] ?? 100_000);
let seed = Number(args[1] ?? 1) >>> 0 || 1;
let tools = oracle ? await (await import("./wit-oracle-core.mjs")).loadTools() : undefined;
const squash = (s) => s.replace(/\s+/g, " ").replace(/\{ \}/g, "{}").trim();
const disagreements = [];
let compared = 0;
let onlyOurs = 0;
const rand = (n) => {
  // xorshift32
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
};

const fixtures = join(here, "../../../fixtures/build");
const inputs = readdirSync(fixtures)
  .filter((f) => f.endsWith(".wasm"))
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(fixtures, f))) }))
  .filter((f) => f.bytes[6] === 1);
// A binary WIT package too, so its decoder is fuzzed.
for (const f of inputs.slice()) {
  const w = componentWorld(f.bytes);
  inputs.push({ name: `${f.name}.wit.wasm`, bytes: encodeWitPackage(w.resolve, w.package) });
}

/** Offsets outside core module bodies: where mutations reach the component-level reader. */
function componentLevelOffsets(bytes) {
  const skip = [];
  const walk = (c) => {
    for (const s of c.sections) {
      if (s.kind === "core-module") skip.push([s.range.offset, s.range.offset + s.range.length]);
      if (s.kind === "component") walk(s.component);
    }
  };
  walk(parseComponent(bytes));
  const spans = [];
  let at = 8;
  for (const [a, b] of skip.sort((x, y) => x[0] - y[0])) {
    if (a > at) spans.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < bytes.length) spans.push([at, bytes.length]);
  return spans;
}
for (const f of inputs) f.spans = componentLevelOffsets(f.bytes);

function pick(f) {
  // Mostly component-level bytes; sometimes anywhere (section headers of core modules included).
  if (rand(8) === 0) return 8 + rand(f.bytes.length - 8);
  const [a, b] = f.spans[rand(f.spans.length)];
  return a + rand(b - a);
}

function exercise(bytes) {
  const c = parseComponent(bytes);
  if (isWitPackage(c)) decodeWitPackage(c);
  else componentWorld(c);
  readMetadata(bytes);
}

let ok = 0;
let rejected = 0;
let crashes = 0;
let slowest = 0;
const codes = new Map();
const started = performance.now();
for (let i = 0; i < iterations; i++) {
  const f = inputs[rand(inputs.length)];
  const strategy = rand(10);
  let input = f.bytes;
  const saved = [];
  if (strategy < 6) {
    // Overwrite 1-8 bytes in place (restored afterwards: no copy of large inputs).
    for (let k = 1 + rand(8); k > 0; k--) {
      const at = pick(f);
      saved.push([at, input[at]]);
      const r = rand(4);
      input[at] = r === 0 ? 0 : r === 1 ? 0xff : r === 2 ? input[at] ^ (1 << rand(8)) : rand(256);
    }
  } else if (strategy < 8) {
    input = f.bytes.subarray(0, pick(f)); // truncation
  } else if (f.bytes.length < 1_000_000) {
    // Insert or delete a few bytes (small inputs only: this copies).
    const at = pick(f);
    const n = 1 + rand(4);
    input =
      strategy === 8
        ? new Uint8Array([
            ...f.bytes.subarray(0, at),
            ...Array.from({ length: n }, () => rand(256)),
            ...f.bytes.subarray(at),
          ])
        : new Uint8Array([...f.bytes.subarray(0, at), ...f.bytes.subarray(at + n)]);
  }
  const t0 = performance.now();
  try {
    exercise(input);
    ok++;
  } catch (e) {
    if (e instanceof ComponentError) {
      rejected++;
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    } else {
      crashes++;
      const dir = join(here, "crashes");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `crash-${i}.wasm`);
      writeFileSync(file, input);
      console.error(`crash on ${f.name} (iteration ${i}, saved ${file}):`, e);
    }
  }
  slowest = Math.max(slowest, performance.now() - t0);
  if (oracle && input.length < 1_000_000 && !f.name.endsWith(".wit.wasm")) await compare(input, f.name, i);
  for (const [at, b] of saved.reverse()) f.bytes[at] = b;
}
/** jco's componentWit against our printComponentWit on one input. */
async function compare(input, name, i) {
  let ours;
  try {
    ours = printComponentWit(input);
  } catch (e) {
    ours = e instanceof ComponentError ? e : undefined;
  }
  if (ours === undefined) return; // a crash, reported above
  let theirs;
  try {
    theirs = tools.componentWit(input);
  } catch (e) {
    if (/wasm trap/.test(String(e?.message ?? e))) tools = await (await import("./wit-oracle-core.mjs")).loadTools();
    theirs = undefined;
  }
  if (theirs === undefined) {
    if (typeof ours === "string") onlyOurs++;
    return;
  }
  if (typeof ours !== "string") {
    // componentWit reads some broken components (a truncated last section); jco's print validates.
    try {
      tools.print(input);
    } catch {
      return;
    }
  }
  compared++;
  const problem =
    typeof ours !== "string"
      ? `we refuse a component jco validates: ${ours.message}`
      : squash(ours) !== squash(theirs)
        ? "printComponentWit differs from componentWit"
        : null;
  if (problem !== null) {
    const dir = join(here, "crashes");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `oracle-${i}.wasm`);
    writeFileSync(file, input);
    disagreements.push({ name, file, problem, theirs, ours: typeof ours === "string" ? ours : undefined });
  }
}

const secs = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${iterations} inputs from ${inputs.length} components in ${secs}s: ${ok} accepted, ${rejected} rejected with ComponentError, ${crashes} crashes; slowest input ${slowest.toFixed(1)} ms`,
);
console.log("rejections by code:", Object.fromEntries(codes));
if (oracle) {
  console.log(
    `oracle: ${compared} inputs jco reads compared, ${onlyOurs} read by us only (jco also validates), ` +
      `${disagreements.length} disagreements`,
  );
  if (disagreements.length) {
    writeFileSync("component-fuzz-oracle-failures.json", JSON.stringify(disagreements.slice(0, 30), null, 2));
    console.log(`first: ${disagreements[0].name} ${disagreements[0].problem} (${disagreements[0].file})`);
  }
}
process.exit(crashes === 0 && disagreements.length === 0 ? 0 : 1);
