// The WAC fuzzer's core (see fuzz.mjs), shared with a short test run.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTools } from "../../component/fuzz/wit-oracle-core.mjs";
import { mutate, rng } from "../../wit/fuzz/mutate.mjs";

const here = fileURLToPath(new URL("..", import.meta.url));

/**
 * Composes `count` mutated golden `input.wac` files from `seed` with `compose.composeWac`; `wit` is
 * the WIT package's entry point. Returns counts and failures (crashes, slow inputs, invalid output).
 */
export async function wacFuzz({ wit, compose, count, seed }) {
  let tools = await loadTools();
  /** The packages of `deps/<ns>/<pkg>.wit` folders: a component of world `component`, else the WIT package. */
  function packagesOf(...roots) {
    const out = new Map();
    for (const deps of roots) {
      if (!existsSync(deps)) continue;
      for (const ns of readdirSync(deps).sort()) {
        for (const file of readdirSync(join(deps, ns)).sort()) {
          const text = readFileSync(join(deps, ns, file), "utf8");
          const pkg = wit.parseWitPackage(text);
          const isComponent = pkg.resolve.packages[pkg.packageId].worlds.has("component");
          out.set(
            `${ns}:${file.replace(/\.wit$/, "")}`,
            isComponent
              ? {
                  kind: "component",
                  bytes: tools.componentNew(tools.componentEmbed({ dummy: true, witSource: text, world: "component" })),
                }
              : { kind: "wit", resolve: pkg.resolve, package: pkg.packageId },
          );
        }
      }
    }
    return out;
  }

  const golden = join(here, "test/golden");
  const cases = readdirSync(golden)
    .filter((d) => existsSync(join(golden, d, "input.wac")))
    .map((d) => ({
      name: d,
      text: readFileSync(join(golden, d, "input.wac"), "utf8"),
      packages: packagesOf(join(here, "test/wac-deps"), join(golden, d, "deps")),
    }));
  const texts = cases.map((c) => c.text);

  const rand = rng(seed);
  const failures = [];
  let composed = 0;
  let rejected = 0;
  let slowest = 0;
  for (let n = 0; n < count; n++) {
    const c = cases[Math.floor(rand() * cases.length)];
    const input = rand() < 0.1 ? c.text : mutate(c.text, rand, texts);
    const start = performance.now();
    let bytes;
    try {
      bytes = compose.composeWac(input, {
        packages: (name) => c.packages.get(name) ?? null,
        filename: "input.wac",
      }).bytes;
    } catch (e) {
      if (e instanceof compose.WacError) rejected++;
      else failures.push({ n, case: c.name, input, error: `crash: ${e?.stack ?? e}` });
      continue;
    } finally {
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      if (ms > 1000) failures.push({ n, case: c.name, input, error: `took ${ms.toFixed(0)} ms` });
    }
    composed++;
    try {
      // print only parses; componentWit decodes the component and so runs the validator.
      tools.print(bytes);
      tools.componentWit(bytes);
    } catch (e) {
      if (/wasm trap/.test(String(e?.message ?? e))) tools = await loadTools();
      failures.push({ n, case: c.name, input, error: `jco rejects the composition: ${e?.message ?? e}` });
    }
  }
  return { cases: cases.length, composed, rejected, slowest, failures };
}
