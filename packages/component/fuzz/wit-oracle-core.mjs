// The deep WIT oracle (see wit-oracle.mjs): for mutated WIT that our front end accepts, each world of
// the main package is embedded by jco twice, from the WIT source and from our binary encoding of the
// package; both dummy components must print the same, and our `printComponentWit` must print the
// source's component as jco's `componentWit` does. Shared by the fuzz script and a short test run.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { nextInput, pickFeatures, rng } from "../../wit/fuzz/mutate.mjs";

const vendor = join(
  dirname(dirname(createRequire(import.meta.url).resolve("@bytecodealliance/jco-transpile/wasm-tools"))),
  "vendor/wasm-tools.js",
);
let generation = 0;
const squash = (s) => s.replace(/\s+/g, " ").replace(/\{ \}/g, "{}").trim();

/** jco's wasm-tools with its synchronous API, instantiated afresh (a panic poisons an instance). */
export async function loadTools() {
  const m = await import(`${pathToFileURL(vendor).href}?g=${generation++}`);
  await m.$init;
  return m.tools;
}

/**
 * Runs `count` inputs from `seed`. `wit` and `component` are the two packages' entry points (built or
 * source). Returns counts and the inputs that differ.
 */
export async function deepOracle({ wit, component, texts, count, seed }) {
  let tools = await loadTools();
  const work = mkdtempSync(join(tmpdir(), "wit-deep-oracle-"));
  const pkgPath = join(work, "package.wasm");
  const printed = (witInput, world, features) => {
    try {
      const core = tools.componentEmbed({ dummy: true, ...witInput, world, features });
      const bytes = tools.componentNew(core);
      return { text: tools.print(bytes), bytes };
    } catch (e) {
      return { error: String(e?.message ?? e) };
    }
  };
  const rand = rng(seed);
  const failures = [];
  const counts = { compared: 0, decoded: 0, printed: 0, panics: 0, unencodable: 0, allExports: 0 };
  try {
    for (let n = 0; n < count; n++) {
      const input = nextInput(texts, rand);
      const picked = pickFeatures(input, rand);
      const features = picked.jco;
      const featureLabel = picked.label;
      let ours;
      try {
        ours = wit.parseWitPackage(input, picked.ours);
      } catch (e) {
        if (!(e instanceof wit.WitError)) failures.push({ n, input, error: `crash: ${e?.stack ?? e}` });
        continue;
      }
      const worlds = [...ours.resolve.packages[ours.packageId].worlds.keys()].slice(0, 3);
      let binary;
      try {
        binary = component.encodeWitPackage(ours.resolve, ours.packageId);
      } catch (e) {
        // What WIT allows and the binary format cannot hold (empty records, names the same but for case).
        if (e?.code === "UNENCODABLE") counts.unencodable++;
        else failures.push({ n, input, error: `encodeWitPackage failed: ${e?.stack ?? e}` });
        continue;
      }
      writeFileSync(pkgPath, binary);
      let reload = false;
      // Our printed WIT, which jco must embed as it embeds the source (the printer against wit-parser).
      let printedWit;
      try {
        printedWit = wit.printWit(ours.resolve, ours.packageId, { nestedDeps: true });
      } catch (e) {
        failures.push({ n, input, error: `printWit failed: ${e?.stack ?? e}` });
        continue;
      }
      const compare = (source, world, againstPrinted = false) => {
        const a = printed({ witSource: source }, world, features);
        if (a.error !== undefined) {
          if (/wasm trap/.test(a.error)) {
            // wit-parser's own panic: nothing to compare.
            reload = true;
            counts.panics++;
          } else
            failures.push({
              n,
              input: source,
              features: featureLabel,
              world,
              error: `we accept, jco fails: ${a.error}`,
            });
          return false;
        }
        const differ = (error, extra) => {
          failures.push({ n, input: source, features: featureLabel, world, error, ...extra });
          return false;
        };
        // A print jco made of another way in, against the source's.
        const sameAs = (other, what, extra = {}) => {
          if (other.error === undefined && a.text === other.text) return true;
          if (/wasm trap/.test(other.error ?? "")) reload = true;
          return differ(other.error ?? what, { source: a.text, ours: other.text, ...extra });
        };
        // Our decoder on jco's component: the world as jco prints it (whitespace aside).
        let mine;
        try {
          mine = component.printComponentWit(a.bytes);
        } catch (e) {
          mine = `printComponentWit failed: ${e?.stack ?? e}`;
        }
        const theirs = tools.componentWit(a.bytes);
        counts.decoded++;
        if (squash(mine) !== squash(theirs)) {
          return differ("printComponentWit differs from componentWit", { source: theirs, ours: mine });
        }
        counts.compared++;
        if (!sameAs(printed({ witPath: pkgPath }, world, features), "printed components differ")) return false;
        if (againstPrinted) {
          counts.printed++;
          const c = printed({ witSource: printedWit }, world, features);
          if (!sameAs(c, "jco embeds our printed WIT differently", { printedWit })) return false;
        }
        return true;
      };
      let ok = true;
      for (const name of worlds) {
        ok = compare(input, wit.witIdent(name), true);
        if (!ok) break;
      }
      // A dummy component leaves out what its worlds do not need, such as interfaces of types
      // alone; a world that exports every interface of the package brings them in.
      const ifaces = [...ours.resolve.packages[ours.packageId].interfaces.keys()];
      if (ok && ifaces.length > 0) {
        const all = `${input}\nworld wc-oracle-all {\n${ifaces.map((i) => `  export ${wit.witIdent(i)};\n`).join("")}}\n`;
        let again;
        try {
          again = wit.parseWitPackage(all, picked.ours);
          binary = component.encodeWitPackage(again.resolve, again.packageId);
        } catch {
          again = undefined;
        }
        if (again !== undefined) {
          writeFileSync(pkgPath, binary);
          if (compare(all, "wc-oracle-all")) counts.allExports++;
        }
      }
      if (reload) tools = await loadTools();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { ...counts, failures };
}
