// A short run of the plug oracle (`npm run fuzz -- plug-oracle` runs long): providers and consumers
// jco builds from mutated WIT plug into components jco validates, with the world it expects.
import { fileURLToPath } from "node:url";
import * as component from "@wasm-compose/component";
import * as wit from "@wasm-compose/wit";
import { expect, it } from "vitest";
import { corpus } from "../../wit/fuzz/mutate.mjs";
import { plugOracle } from "../fuzz/plug-oracle-core.mjs";
import * as compose from "../src/index.js";

it("plugs components built from mutated WIT into valid components with the expected world", {
  timeout: 60_000,
}, async () => {
  const texts = corpus(fileURLToPath(new URL("../../wit/test/golden/", import.meta.url))).filter(
    (t: string) => !t.includes("/**/"),
  );
  const r = await plugOracle({ wit, component, compose, texts, count: 5000, seed: 20261125 });
  expect(r.failures.slice(0, 2)).toEqual([]);
  expect(r.plugged).toBeGreaterThan(50);
});
