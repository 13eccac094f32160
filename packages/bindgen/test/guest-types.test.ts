// Guest declarations checked by tsc: a correct program compiles; wrong argument types, missing
// record fields and unhandled variant cases fail with the expected diagnostics.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateGuestBindings, writeFiles } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, repoRoot, scratch, typecheck, witDir } from "./helpers.js";

let dir: string;
let dispose: () => Promise<void>;
let diagnostics: Diagnostic[];

/** Sample programs by file name; each `bad-*` one has exactly one mistake. */
const PROGRAMS: Record<string, string> = {
  // Only ES2022 is loaded (no DOM, no @types/node), so the samples declare what they print with.
  "globals.d.ts": "declare const console: { log(...args: unknown[]): void };\n",
  "good.ts": `
import { add, f1, f2, f3, f7, Counter, ComponentError, all, ops, keep, type Class, type Point, type Shape, type Perms } from "kinds";
import { summarize } from "stats-lib";
import { Matcher, match } from "example:text/pattern@0.1.0";

const sum: bigint = add(1n, -2n);
const floats: Float32Array = f1(new Uint8Array(1), new Float64Array(1), new Int16Array(1), ["a"], new BigUint64Array(1), [true]);
const maybe: Point | undefined = f2(undefined, { tag: "some", val: undefined });
const p: Point = f3({ tag: "ok", val: 1 });
function area(s: Shape): number {
  switch (s.tag) {
    case "circle":
      return Math.PI * s.val * s.val;
    case "square":
      return s.val.x * s.val.y;
    case "none":
      return 0;
    default: {
      const unreachable: never = s;
      return unreachable;
    }
  }
}
const perms: Perms = { read: true };
const shape: Shape = f7({ tag: "none" }, "green-blue", perms);
const c = new Counter(5n);
const n: bigint = c.inc(1);
const made: Counter = Counter.make();
c.merge(made)[Symbol.dispose]();
const viaNamespace: bigint = all.add(1n, 1n);
try {
  summarize(new Float64Array([]));
} catch (e) {
  if (e instanceof ComponentError) console.log(e.payload);
}
const removed: number = ops.delete(1, "x");
const kept: Class = keep({ default: 1, type: "t" });
console.log(removed, kept);
const m = new Matcher("*.rs");
const ok: boolean = match("*", "x") && m.test("a.rs");
console.log(sum, floats, maybe, p, area(shape), n, viaNamespace, ok);
`,
  "good-export.ts": `
import type { report as Report } from "example:app/app@0.1.0";
export const report: Report.Exports = {
  render(input: string): string {
    return input.toUpperCase();
  },
};
`,
  "bad-export-missing.ts": `
import type { report as Report } from "example:app/app@0.1.0";
export const report: Report.Exports = {};
`,
  "bad-export-signature.ts": `
import type { report as Report } from "example:app/app@0.1.0";
export const report: Report.Exports = {
  render: (n: number) => String(n),
};
`,
  "bad-argument.ts": `
import { add } from "kinds";
add(1, 2n);
`,
  "bad-record.ts": `
import type { Point } from "kinds";
const p: Point = { x: 1, y: 2 };
console.log(p);
`,
  "bad-variant.ts": `
import type { Shape } from "kinds";
export function area(s: Shape): number {
  switch (s.tag) {
    case "circle":
      return s.val;
    case "square":
      return 1;
    default: {
      const unreachable: never = s;
      return unreachable;
    }
  }
}
`,
  "bad-enum.ts": `
import { f7 } from "kinds";
f7({ tag: "none" }, "blue", {});
`,
  "bad-u64.ts": `
import { f8, Counter } from "kinds";
const n: bigint = f8(new Counter(1n));
console.log(n);
`,
};

beforeAll(async () => {
  ({ dir, dispose } = await scratch("guest-types"));
  const kinds = await loadWitPackage(join(witDir, "kinds"));
  const kindsWorld = kinds.resolve.packages[kinds.packageId].worlds.get("kinds")!;
  const app = await loadWitPackage(join(repoRoot, "fixtures/wit/app"));
  const appWorld = app.resolve.packages[app.packageId].worlds.get("app")!;
  const nm = join(dir, "node_modules");
  await writeFiles(nm, generateGuestBindings(kinds.resolve, kindsWorld, { aliases: { kinds: "test:kinds" } }).files);
  // The second world's declarations go to another folder: each folder declares its modules once.
  const appFiles = generateGuestBindings(app.resolve, appWorld, {
    aliases: { "stats-lib": "example:math/stats" },
  }).files;
  const renamed = new Map(
    [...appFiles].map(([k, v]) => [
      k.replace(".wit-types/", ".wit-types-app/"),
      v.replaceAll("../.wit-types/", "../.wit-types-app/"),
    ]),
  );
  await writeFiles(nm, renamed);
  for (const [name, text] of Object.entries(PROGRAMS)) await writeFile(join(dir, name), text);
  diagnostics = typecheck(dir, [...Object.keys(PROGRAMS), "node_modules/.wit-types-app/index.d.ts"]);
});

afterAll(async () => {
  await dispose?.();
});

const of = (file: string) => diagnostics.filter((d) => d.file === file);

describe("guest declarations under tsc", () => {
  it("compile a correct program and themselves without errors", () => {
    expect(diagnostics.filter((d) => !d.file.startsWith("bad-"))).toEqual([]);
  });

  it("reject an export object missing a function of the world's exports", () => {
    expect(of("bad-export-missing.ts")).toEqual([
      expect.objectContaining({ code: 2741, message: expect.stringMatching(/Property 'render' is missing/) }),
    ]);
  });

  it("reject an export function with the wrong parameter type", () => {
    expect(of("bad-export-signature.ts")).toEqual([
      expect.objectContaining({
        code: 2322,
        message: expect.stringContaining("'string' is not assignable to type 'number'"),
      }),
    ]);
  });

  it("reject a wrong argument type (number for u64)", () => {
    expect(of("bad-argument.ts")).toEqual([
      expect.objectContaining({
        code: 2345,
        message: expect.stringContaining("not assignable to parameter of type 'bigint'"),
      }),
    ]);
  });

  it("reject a record literal missing a field", () => {
    expect(of("bad-record.ts")).toEqual([
      expect.objectContaining({ code: 2741, message: expect.stringMatching(/Property 'label' is missing/) }),
    ]);
  });

  it("reject a switch that forgets a variant case (exhaustiveness through never)", () => {
    expect(of("bad-variant.ts")).toEqual([
      expect.objectContaining({
        code: 2322,
        message: expect.stringContaining("'ShapeNone' is not assignable to type 'never'"),
      }),
    ]);
  });

  it("reject an enum value that is not a case", () => {
    expect(of("bad-enum.ts")).toEqual([
      expect.objectContaining({ code: 2345, message: expect.stringContaining('"blue"') }),
    ]);
  });

  it("type a u32 result as number, not bigint", () => {
    expect(of("bad-u64.ts")).toEqual([
      expect.objectContaining({
        code: 2322,
        message: expect.stringContaining("'number' is not assignable to type 'bigint'"),
      }),
    ]);
  });
});
