// Plug oracle: for mutated WIT (the wit golden corpus) with an interface `I`, jco builds a provider
// that exports `I` and a consumer that imports it; `plug` wires them, and the result must validate
// (jco's print), show the world jco's componentWit expects (the consumer's imports without `I`, plus
// the provider's, and the consumer's exports), and print the same through our decoder.

import { loadTools } from "../../component/fuzz/wit-oracle-core.mjs";
import { nextInput, rng } from "../../wit/fuzz/mutate.mjs";

const squash = (s) => s.replace(/\s+/g, " ").replace(/\{ \}/g, "{}").trim();

/** The top-level import and export lines of a world printed by componentWit (names only). */
function worldNames(text) {
  const imports = new Set();
  const exports = new Set();
  let depth = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (depth === 1) {
      const m = /^(import|export) ([^;\s]+?)(?::\s|;)/.exec(line);
      if (m) (m[1] === "import" ? imports : exports).add(m[2]);
    }
    for (const ch of line) {
      if (ch === "{") depth++;
      else if (ch === "}") depth--;
    }
  }
  return { imports, exports };
}

/** Runs `count` inputs from `seed`; `wit`, `component` and `compose` are the packages' entry points. */
export async function plugOracle({ wit, component, compose, texts, count, seed }) {
  let tools = await loadTools();
  const rand = rng(seed);
  const failures = [];
  const counts = { plugged: 0, skipped: 0, unused: 0 };
  for (let n = 0; n < count; n++) {
    const input = nextInput(texts, rand);
    let ours;
    try {
      ours = wit.parseWitPackage(input);
    } catch {
      continue;
    }
    const pkg = ours.resolve.packages[ours.packageId];
    const named = [...pkg.interfaces.keys()];
    if (named.length === 0) continue;
    const iface = wit.witIdent(named[Math.floor(rand() * named.length)]);
    const source =
      `${input}\nworld wc-provider {\n  export ${iface};\n}\n` +
      `world wc-consumer {\n  import ${iface};\n  export wc-run: func();\n}\n`;
    let provider;
    let consumer;
    try {
      wit.parseWitPackage(source);
      const build = (world) => tools.componentNew(tools.componentEmbed({ dummy: true, witSource: source, world }));
      provider = build("wc-provider");
      consumer = build("wc-consumer");
    } catch (e) {
      // One side rejects the added worlds (e.g. an export that conflicts with what it needs).
      if (/wasm trap/.test(String(e?.message ?? e))) tools = await loadTools();
      counts.skipped++;
      continue;
    }
    const fail = (error, extra = {}) => failures.push({ n, input: source, iface, error, ...extra });
    const c = worldNames(tools.componentWit(consumer));
    const p = worldNames(tools.componentWit(provider));
    // A dummy leaves out an import it does not need (an interface of types alone): nothing to plug.
    if (![...p.exports].some((e) => c.imports.has(e))) {
      counts.unused++;
      continue;
    }
    let out;
    try {
      out = compose.plug({ name: "consumer", bytes: consumer }, [{ name: "provider", bytes: provider }]).bytes;
    } catch (e) {
      fail(`plug failed: ${e?.stack ?? e}`);
      continue;
    }
    counts.plugged++;
    let theirs;
    try {
      tools.print(out);
      theirs = tools.componentWit(out);
    } catch (e) {
      if (/wasm trap/.test(String(e?.message ?? e))) tools = await loadTools();
      fail(`jco rejects the plugged component: ${e?.message ?? e}`);
      continue;
    }
    let mine;
    try {
      mine = component.printComponentWit(out);
    } catch (e) {
      mine = `printComponentWit failed: ${e?.stack ?? e}`;
    }
    if (squash(mine) !== squash(theirs)) {
      fail("printComponentWit differs from componentWit", { theirs, mine });
      continue;
    }
    const got = worldNames(theirs);
    const plugged = [...c.imports].filter((i) => !p.exports.has(i));
    const expected = new Set([...plugged, ...p.imports]);
    const same = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
    if (!same(got.imports, expected) || !same(got.exports, c.exports)) {
      fail("the plugged world is not the consumer's without the plugged import plus the provider's imports", {
        theirs,
        expected: { imports: [...expected], exports: [...c.exports] },
      });
    }
  }
  return { ...counts, failures };
}
