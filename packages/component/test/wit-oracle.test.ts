// A short run of the deep WIT oracle (`npm run fuzz -- wit-oracle` runs long): mutated WIT that we
// accept and can encode gives jco the same components as the WIT source does, world by world.
import { fileURLToPath } from "node:url";
import * as wit from "@wasm-compose/wit";
import { expect, it } from "vitest";
import { corpus } from "../../wit/fuzz/mutate.mjs";
import { deepOracle } from "../fuzz/wit-oracle-core.mjs";
import * as component from "../src/index.js";

it("mutated WIT encodes to packages jco embeds as it embeds the source", { timeout: 60_000 }, async () => {
  const texts = corpus(fileURLToPath(new URL("../../wit/test/golden/", import.meta.url))).filter(
    (t: string) => !t.includes("/**/"),
  );
  const r = await deepOracle({ wit, component, texts, count: 3000, seed: 20261125 });
  expect(r.failures.slice(0, 2)).toEqual([]);
  expect(r.compared).toBeGreaterThan(100);
});
