// `targets`: a component against a world, with the fixtures' WIT.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CompositionError, plug, targetProblems, targets } from "@wasm-compose/compose";
import { loadWitPackage, parseWit } from "@wasm-compose/wit";
import { describe, expect, it } from "vitest";
import { ensureFixtures, fixturePath, repoRoot } from "../../../fixtures/lib/fixtures.mjs";

async function world(path: string, name: string) {
  const { resolve, packageId } = await loadWitPackage(join(repoRoot, path));
  return { resolve, id: resolve.packages[packageId].worlds.get(name)! };
}

describe("targets", () => {
  it("refuses a world id the Resolve does not have", async () => {
    const wit = parseWit("package a:b;\nworld w {}\n");
    const bytes = await readFile(fixturePath("c-case"));
    expect(() => targets(bytes, wit, 3)).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });

  it("accepts the JS app against its own world, and each library against its own", async () => {
    const paths = await ensureFixtures(["js-app"]);
    const app = await world("fixtures/wit/app", "app");
    expect(targetProblems(await readFile(paths["js-app"]!), app.resolve, app.id)).toEqual([]);
    const arith = await world("fixtures/wit/math", "arith-lib");
    expect(() => targets(new Uint8Array(0), arith.resolve, arith.id)).toThrow();
    targets(await readFile(fixturePath("rust-arith")), arith.resolve, arith.id);
  });

  it("lists the imports a world does not allow and the exports it misses", async () => {
    const paths = await ensureFixtures(["js-app"]);
    const libs = ["rust-arith", "rust-pattern", "c-stats", "c-case", "go-words"] as const;
    const composed = plug(
      { name: "app", bytes: await readFile(paths["js-app"]!) },
      await Promise.all(libs.map(async (n) => ({ name: n, bytes: await readFile(fixturePath(n)) }))),
    ).bytes;
    // The composed app no longer imports the libraries: it fits a world that only exports report...
    const only = parseWit(`package t:t;
package example:app@0.1.0 { interface report { render: func(input: string) -> string; } }
world report-only { export example:app/report@0.1.0; }`);
    const w = [...only.worlds.keys()].find((i) => only.worlds[i].name === "report-only")!;
    const problems = targetProblems(composed, only, w);
    // ...except for the WASI imports the Go library brought.
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /^import wasi:[^ ]+: not allowed by world report-only$/.test(p))).toBe(true);
    const e = (() => {
      try {
        targets(composed, only, w);
      } catch (x) {
        return x as CompositionError;
      }
    })();
    expect(e?.code).toBe("TARGETS_MISMATCH");
    expect(e?.details.problems).toEqual(problems);
  });

  it("names the path to a type that differs", async () => {
    const wrong = parseWit(`package example:math@0.1.0;
interface arith {
  add: func(a: s32, b: s64) -> s32;
  mul: func(a: s32, b: s32) -> s32;
  fib: func(n: u32) -> u64;
}
world arith-lib { export arith; }`);
    const w = [...wrong.worlds.keys()].find((i) => wrong.worlds[i].name === "arith-lib")!;
    expect(targetProblems(await readFile(fixturePath("rust-arith")), wrong, w)).toEqual([
      "export example:math/arith@0.1.0 > func add > param b: expected s64, found s32",
    ]);
  });
});
