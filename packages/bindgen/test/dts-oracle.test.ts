// A short run of the declaration fuzz (`npm run fuzz -- dts-oracle` runs long): guest bindings of
// mutated WIT compile under tsc.
import { fileURLToPath } from "node:url";
import * as wit from "@wasm-compose/wit";
import { expect, it } from "vitest";
import { corpus } from "../../wit/fuzz/mutate.mjs";
import { dtsOracle } from "../fuzz/dts-oracle-core.mjs";
import * as bindgen from "../src/index.js";

it("guest declarations for worlds of mutated WIT compile under tsc", { timeout: 120_000 }, async () => {
  const texts = corpus(fileURLToPath(new URL("../../wit/test/golden/", import.meta.url)));
  const r = await dtsOracle({ wit, bindgen, texts, count: 40, seed: 20261125 });
  expect(r.failures.slice(0, 2)).toEqual([]);
  expect(r.checked).toBeGreaterThan(20);
});
