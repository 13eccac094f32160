// A short WAC fuzz run (`npm run fuzz -- compose` runs long): mutated compositions end in a
// WacError or in a component jco validates.
import * as wit from "@wasm-compose/wit";
import { expect, it } from "vitest";
import { wacFuzz } from "../fuzz/wac-fuzz-core.mjs";
import * as compose from "../src/index.js";

it("mutated WAC ends in a WacError or a component jco validates", { timeout: 60_000 }, async () => {
  const r = await wacFuzz({ wit, compose, count: 3000, seed: 20261125 });
  expect(r.failures.slice(0, 2)).toEqual([]);
  expect(r.composed + r.rejected).toBe(3000);
  expect(r.composed).toBeGreaterThan(100);
});
