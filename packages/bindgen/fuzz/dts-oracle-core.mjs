// The declaration fuzz's core (see dts-oracle.mjs), shared with a short test run.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { loadTools } from "../../component/fuzz/wit-oracle-core.mjs";
import { nextInput, rng } from "../../wit/fuzz/mutate.mjs";
import { STRICT_TSC_OPTIONS } from "../test/strict-tsc.mjs";

/**
 * Type-checks the guest bindings of `count` resolved, mutated inputs from `seed` (with `host`, the
 * host packages of jco's dummy components of those worlds); `wit` and `bindgen` are the packages'
 * entry points. Returns counts and failures.
 */
export async function dtsOracle({ wit, bindgen, texts, count, seed, host = false, start = 0 }) {
  let tools = host ? await loadTools() : undefined;
  const work = join(tmpdir(), `dts-oracle-${process.pid}-${seed}`);

  const rand = rng(seed);
  const failures = [];
  let checked = 0;
  let refused = 0;
  let program;
  let jcoStopped = null;
  let skippedHandles = 0;
  try {
    for (let n = 0; n < count && jcoStopped === null; n++) {
      const input = nextInput(texts, rand);
      let ours;
      try {
        ours = wit.parseWitPackage(input, { allFeatures: rand() < 0.3 });
      } catch {
        n--; // only inputs that resolve count
        continue;
      }
      if (n < start) continue; // replayed only to keep the random stream in step
      for (const [name, id] of [...ours.resolve.packages[ours.packageId].worlds].slice(0, 2)) {
        let files;
        try {
          if (host) {
            // jco 1.35 panics on a named handle type (`type h = own<r>;`) it must bind, and cannot run
            // again in this process after a panic: such worlds are left out.
            if (ours.resolve.types.some((t) => t.name !== null && t.kind.tag === "handle")) {
              skippedHandles++;
              continue;
            }
            let component;
            try {
              component = tools.componentNew(
                tools.componentEmbed({ dummy: true, witSource: input, world: wit.witIdent(name) }),
              );
            } catch (e) {
              // A wit-parser panic poisons the instance: load it afresh.
              if (/wasm trap/.test(String(e?.message ?? e))) tools = await loadTools();
              continue; // jco would not build it (the accept/reject fuzz compares that)
            }
            files = (await bindgen.generateHostPackage(component, { name: "fz" })).files;
            files = new Map(
              [...files].filter(([path]) => !path.startsWith("component/")).map(([p, t]) => [`fz/${p}`, t]),
            );
          } else files = bindgen.generateGuestBindings(ours.resolve, id).files;
        } catch (e) {
          if (host && e instanceof bindgen.BindgenError && /^jco could not/.test(e.message)) {
            // jco panicked (its own limits); its instance cannot be entered again in this process.
            jcoStopped = { n, world: name, input, error: e.message };
            break;
          }
          if (e instanceof bindgen.BindgenError) refused++;
          else failures.push({ n, world: name, input, error: `crash: ${e?.stack ?? e}` });
          continue;
        }
        const dir = join(work, `${n}-${name}`);
        const roots = [];
        for (const [path, text] of files) {
          const full = join(dir, "node_modules", path);
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, text);
          if (path.endsWith(".d.ts")) roots.push(full);
        }
        writeFileSync(join(dir, "package.json"), '{ "type": "module", "private": true }\n');
        program = ts.createProgram(roots, STRICT_TSC_OPTIONS, undefined, program);
        const diagnostics = ts.getPreEmitDiagnostics(program);
        checked++;
        if (diagnostics.length > 0) {
          const text = diagnostics
            .slice(0, 5)
            .map(
              (d) =>
                `${d.file ? d.file.fileName.slice(dir.length + 1) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
            )
            .join("\n");
          failures.push({ n, world: name, input, error: text });
        }
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { checked, refused, failures, jcoStopped, skippedHandles };
}
