// Deep oracle fuzz of WIT: mutated inputs (the wit golden corpus, as `packages/wit/fuzz`) that both our
// front end and wit-parser accept are compared type for type. For each world of the main package, jco
// builds a dummy component from the WIT source and another from our binary encoding of the package
// (`encodeWitPackage`); the two must print the same (`wasm-tools print`).
//   npm run fuzz -- wit-oracle [count=2000] [seed]     (runs the built dist/ of wit and component)
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as wit from "@wasm-compose/wit";
import { corpus } from "../../wit/fuzz/mutate.mjs";
import * as component from "../dist/index.js";
import { deepOracle } from "./wit-oracle-core.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--") && a !== "wit-oracle");
const count = Number(args[0] ?? 2000);
const seed = Number(args[1] ?? Date.now() % 1_000_000);
// wit-parser 0.259 panics on `/**/`; texts with it stay out.
const texts = corpus(fileURLToPath(new URL("../../wit/test/golden/", import.meta.url))).filter(
  (t) => !t.includes("/**/"),
);
const t0 = performance.now();
const r = await deepOracle({ wit, component, texts, count, seed });
console.log(
  `wit deep oracle fuzz: ${count} inputs (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
    `${r.compared} worlds compared (${r.allExports} of them a world exporting every interface), ` +
    `${r.decoded} components decoded, ${r.printed} embedded from our printed WIT, ` +
    `${r.panics} wit-parser panics, ${r.unencodable} not encodable ` +
    `(empty record/flags/tuple, names not strongly-unique, uppercase package names), ${r.failures.length} differences`,
);
if (r.failures.length) {
  writeFileSync("wit-deep-oracle-failures.json", JSON.stringify(r.failures.slice(0, 50), null, 2));
  console.log(
    `first:\n${r.failures[0].input}\n${r.failures[0].error}\ninputs written to wit-deep-oracle-failures.json`,
  );
  process.exitCode = 1;
}
