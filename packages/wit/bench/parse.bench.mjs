// Benchmarks parseWit against wit-parser in jco (componentEmbed({dummy: true, witSource})) on the
// same inputs: a generated package of N interfaces, and the WASI 0.2.12 packages. First calls run
// in fresh child processes (one per side and run, alternating, so both see the same load); warm
// calls run in this process.
// Usage: `npm run bench -- wit` or node packages/wit/bench/parse.bench.mjs [interfaces=200] [--runs=5]
// (runs the built package, as users import it; `npm run bench` builds first).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 200);
const RUNS = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 5);
/** What users import: the package entry point. */
const ENTRY = "@wasm-compose/wit";

/** A package of `n` interfaces with records, variants, enums, flags, resources, docs and uses. */
export function generate(n) {
  const parts = ["/// A generated package for benchmarks.\npackage bench:generated@1.0.0;\n"];
  for (let i = 0; i < n; i++) {
    const dep = i > 0 ? `  use iface${i - 1}.{rec${i - 1}};\n` : "";
    parts.push(`
/// Interface number ${i}, with a bit of everything.
interface iface${i} {
${dep}  /// A record with several fields.
  record rec${i} {
    /// the id
    id: u64,
    name: string,
    tags: list<string>,
    score: option<f64>,
    pair: tuple<u32, s16>,${i > 0 ? `\n    prev: rec${i - 1},` : ""}
  }
  /// What can go wrong.
  variant err${i} {
    not-found(string),
    invalid(rec${i}),
    io(list<u8>),
    timeout,
  }
  enum color${i} { red, green, blue, cyan, magenta }
  flags perms${i} { read, write, exec, admin }
  type id${i} = u64;
  /// A resource with methods.
  resource conn${i} {
    constructor(addr: string, port: u16);
    /// Sends bytes.
    send: func(data: list<u8>) -> result<u32, err${i}>;
    recv: func(max: u32) -> result<list<u8>, err${i}>;
    open: static func(addr: string) -> result<conn${i}, err${i}>;
    close: func();
  }
  get${i}: func(id: id${i}) -> result<rec${i}, err${i}>;
  put${i}: func(r: rec${i}, c: color${i}, p: perms${i}) -> result<_, err${i}>;
  list${i}: func(filter: option<string>, limit: u32) -> list<rec${i}>;
}
`);
  }
  parts.push("\nworld bench {\n");
  for (let i = 0; i < n - 1; i++) parts.push(`  import iface${i};\n`);
  parts.push(`  export iface${n - 1};\n`);
  parts.push("}\n");
  return parts.join("");
}

/** The WASI 0.2.12 packages shipped with jco, as one source: wasi:cli main, the rest nested. */
function wasiSource() {
  const jco = dirname(dirname(createRequire(import.meta.url).resolve("@bytecodealliance/jco")));
  const dir = join(jco, "lib/wit/builtin/0.2.12");
  const read = (p) => readFileSync(join(dir, p, "package.wit"), "utf8");
  const nested = readdirSync(dir)
    .filter((p) => p !== "wasi-cli")
    .map((p) => `${read(p).replace(/^package ([^;]+);/m, "package $1 {")}\n}\n`);
  return `${read("wasi-cli")}\n${nested.join("\n")}`;
}

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}
async function timeAsync(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
function warm(fn, ms = 1500) {
  for (let i = 0; i < 10; i++) fn();
  const times = [];
  const end = performance.now() + ms;
  while (performance.now() < end || times.length < 5) times.push(time(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
const childSide = process.argv.find((a) => a.startsWith("--first="))?.slice(8);
const childInput = process.argv.find((a) => a.startsWith("--input="))?.slice(8);
if (isMain && childSide) await firstCall(childSide, childInput);
else if (isMain) await main();

/**
 * Child mode: times the first call of one side in this fresh process, module loading included
 * (wall and CPU time; CPU time counts every thread, so also background compilation and GC).
 */
async function firstCall(side, input) {
  const wasi = input === "wasi";
  const source = wasi ? wasiSource() : generate(N);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let loaded;
  if (side === "ours") {
    const ours = await import(ENTRY);
    loaded = performance.now();
    ours.parseWit(source);
  } else {
    const jco = await import("@bytecodealliance/jco-transpile/wasm-tools");
    loaded = performance.now();
    await jco.componentEmbed(
      wasi ? { dummy: true, witSource: source, world: "command" } : { dummy: true, witSource: source },
    );
  }
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ wall, cpu: (c.user + c.system) / 1000, load: loaded - t0 }));
}

/** Best and median first-call times of each side over `runs` fresh processes each. */
function firstCalls(runs, input) {
  const self = fileURLToPath(import.meta.url);
  const times = { ours: [], jco: [] };
  for (let i = 0; i < runs; i++) {
    for (const side of ["ours", "jco"]) {
      const args = [self, String(N), `--first=${side}`, `--input=${input}`];
      const out = execFileSync(process.execPath, args, { encoding: "utf8" });
      times[side].push(JSON.parse(out));
    }
  }
  const stats = (side, key) => {
    const xs = times[side].map((t) => t[key]).sort((a, b) => a - b);
    return { best: xs[0], median: xs[Math.floor(xs.length / 2)] };
  };
  return {
    wall: { ours: stats("ours", "wall"), jco: stats("jco", "wall") },
    cpu: { ours: stats("ours", "cpu"), jco: stats("jco", "cpu") },
    load: { ours: stats("ours", "load"), jco: stats("jco", "load") },
  };
}

async function main() {
  const inputs = [
    { name: `generated (${N} interfaces)`, source: generate(N) },
    { name: "WASI 0.2.12 (cli + deps)", source: wasiSource(), world: "command" },
  ];

  // First calls: both sides load their code on first use, each in a fresh process.
  const kb = (s) => `${(Buffer.byteLength(s) / 1024).toFixed(0)} KB`;
  for (const [input, { name, source }] of [
    ["generated", inputs[0]],
    ["wasi", inputs[1]],
  ]) {
    const load = loadavg()[0];
    const first = firstCalls(RUNS, input);
    console.log(
      `first call (fresh process, module load included; best / median of ${RUNS}; load average ${load.toFixed(1)}), ${name}, ${kb(source)}:`,
    );
    const f = (x) => x.toFixed(1);
    for (const key of ["wall", "cpu"]) {
      const { ours: a, jco: b } = first[key];
      console.log(
        `  ${key.padEnd(4)} parseWit ${f(a.best)} / ${f(a.median)} ms, wit-parser ${f(b.best)} / ${f(b.median)} ms: ${(b.best / a.best).toFixed(1)}x / ${(b.median / a.median).toFixed(1)}x`,
      );
    }
    // Where a first call goes: loading the code, then the call itself, running cold.
    const { ours: l, jco: lj } = first.load;
    console.log(`  of the wall time, module load (median): parseWit ${f(l.median)} ms, wit-parser ${f(lj.median)} ms`);
  }

  const ours = await import(ENTRY);
  const jco = await import("@bytecodealliance/jco-transpile/wasm-tools");
  for (const { name, source, world } of inputs) {
    const a = warm(() => ours.parseWit(source));
    const t0 = performance.now();
    const jcoTimes = [];
    while (performance.now() - t0 < 3000 || jcoTimes.length < 5) {
      jcoTimes.push(await timeAsync(() => jco.componentEmbed({ dummy: true, witSource: source, world })));
    }
    jcoTimes.sort((x, y) => x - y);
    const b = jcoTimes[Math.floor(jcoTimes.length / 2)];
    console.log(`warm (median), ${name}, ${kb(source)}:`);
    console.log(`  parseWit ${a.toFixed(2)} ms, wit-parser ${b.toFixed(2)} ms: ${(b / a).toFixed(1)}x`);
  }

  console.log("parseWit scaling (warm median, ms per 100 KB):");
  for (const n of [N / 4, N / 2, N, N * 2].map(Math.round)) {
    const src = generate(n);
    const t = warm(() => ours.parseWit(src), 800);
    console.log(
      `  ${n} interfaces, ${kb(src)}: ${t.toFixed(2)} ms (${((t / Buffer.byteLength(src)) * 102400).toFixed(2)})`,
    );
  }
}
