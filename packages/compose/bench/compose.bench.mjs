// Composition speed: plugging the Rust, C and Go libraries into the 12 MB componentize-js app,
// against the physical limit measured in the same process (reading the inputs and writing the
// output bytes); peak memory against the output size; and 10/25/50 small components chained in
// one graph (the cost per component should stay flat).
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import { CompositionGraph, plug } from "@wasm-compose/compose";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "../../../fixtures");
const appPath = join(fixtures, "build/js-app.wasm");
if (!existsSync(appPath)) {
  console.log("no fixtures/build/js-app.wasm: run `npm run fixtures` first");
  process.exit(0);
}
const libPaths = ["rust-arith", "rust-pattern", "c-stats", "c-case", "go-words"].map((n) =>
  join(fixtures, "prebuilt", `${n}.wasm`),
);
const tmp = mkdtempSync(join(tmpdir(), "compose-bench-"));
const outPath = join(tmp, "out.wasm");
const sha256 = (b) => createHash("sha256").update(b).digest("hex");
/** The file's bytes, without a second copy. */
const read = (p) => {
  const b = readFileSync(p);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

let outSize = 0;
/** The limit: read every input and write as many bytes as the composition has. */
const limit = () => {
  const app = read(appPath);
  const libs = libPaths.map(read);
  const out = new Uint8Array(outSize);
  out.set(app);
  writeFileSync(outPath, out);
  return libs.length;
};
/** The real thing: read, plug (with digests), write. */
const compose = () => {
  const socket = { name: "js-app", bytes: read(appPath), sha256: undefined };
  const plugs = libPaths.map((p) => ({ name: p, bytes: read(p) }));
  const { bytes } = plug(socket, plugs, { sha256, name: "app" });
  writeFileSync(outPath, bytes);
  outSize = bytes.length;
};

const first = time(compose);
const runs = 15;
const ours = [];
const base = [];
for (let i = 0; i < runs; i++) {
  base.push(time(limit));
  ours.push(time(compose));
}
const inputBytes = [appPath, ...libPaths].reduce((n, p) => n + read(p).length, 0);
console.log(`inputs ${(inputBytes / 1e6).toFixed(1)} MB, output ${(outSize / 1e6).toFixed(1)} MB`);
console.log(`first composition: ${first.toFixed(1)} ms`);
console.log(
  `median of ${runs}: plug ${median(ours).toFixed(1)} ms, read inputs + write output ${median(base).toFixed(1)} ms, ratio ${(median(ours) / median(base)).toFixed(2)}x (goal <= 2x)`,
);
// Memory beyond the inputs: read them, collect garbage, then compose and see what the heap and
// the array buffers grew by (the largest of 5 runs; a collection during a run makes it smaller).
{
  const socket = { name: "js-app", bytes: read(appPath) };
  const plugs = libPaths.map((p) => ({ name: p, bytes: read(p) }));
  let grew = 0;
  for (let i = 0; i < 5; i++) {
    global.gc?.();
    global.gc?.();
    const before = process.memoryUsage();
    const { bytes } = plug(socket, plugs, { sha256, name: "app" });
    const after = process.memoryUsage();
    grew = Math.max(grew, after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers));
    outSize = bytes.length;
  }
  console.log(
    `memory beyond the inputs while composing: ${(grew / 1e6).toFixed(1)} MB = ${(grew / outSize).toFixed(2)}x the output (goal <= 3x)`,
  );
}

// Many small components: a chain of N filters over one interface, each its own registered component.
const wit = `package test:chain@0.1.0;
interface step { run: func(values: list<u32>, label: string) -> result<list<u32>, string>; }
world base { export step; }
world middle { import step; export step; }
`;
const baseC = await componentNew(await componentEmbed({ dummy: true, witSource: wit, world: "base" }));
const middleC = await componentNew(await componentEmbed({ dummy: true, witSource: wit, world: "middle" }));
const chain = (n) => {
  const g = new CompositionGraph();
  let prev = g.instantiate(g.addComponent(baseC, { name: "base" }));
  for (let i = 1; i < n; i++) {
    const inst = g.instantiate(g.addComponent(middleC, { name: `middle-${i}` }));
    g.setArgument(inst, "test:chain/step@0.1.0", g.alias(prev, "test:chain/step@0.1.0"));
    prev = inst;
  }
  g.export(g.alias(prev, "test:chain/step@0.1.0"));
  return g.encode({ sha256 });
};
for (let i = 0; i < 15; i++) chain(50);
for (const n of [10, 25, 50, 100]) {
  // Best of 15: the machine is shared, and the minimum is the least disturbed run.
  const ms = Math.min(...Array.from({ length: 15 }, () => time(() => chain(n))));
  console.log(
    `${n} small components chained: best ${ms.toFixed(2)} ms (${((ms / n) * 1000).toFixed(0)} us per component)`,
  );
}
rmSync(tmp, { recursive: true, force: true });
