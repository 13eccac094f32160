// jco's rules where they are subtle (test/wit/agree): which options are tagged (nested options),
// which `result` returns throw (not those behind two aliases or a `use`), `use`d names at the top
// level, a types-only exported interface, a function whose name our helpers must not take, and
// what `ComponentError` matches. A TypeScript guest written to our `Exports` is componentized, and
// its host package (throwing and union) is called from a type-checked Node program.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { generateGuestBindings, generateHostPackage, writeFiles } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, scratch, typecheck, witDir } from "./helpers.js";

const run = promisify(execFile);

const GUEST = `
import type { Exports, api as Api } from "test:agree/agree@0.1.0";

class Thing {
  #n: number;
  constructor(n: number) {
    this.#n = n;
  }
  n(): number {
    return this.#n;
  }
}
const none: Api.Holder = { b: { tag: "none" } };
export const types: Exports["types"] = {};
export const shapes: Exports["shapes"] = { Thing };
export const api: Exports["api"] = {
  o3: (x) => x,
  // some(some(some(3))): the outer option is plain, the middle one tagged.
  deep: () => ({ tag: "some", val: 3 }),
  hold: (h) => (h.a === 0 ? none : h),
  vv: (x) => x,
  lo3: (x) => x,
  coded: (ok) => (ok ? { tag: "ok", val: 1 } : { tag: "err", val: "c" }),
  alias2: (ok) => (ok ? { tag: "ok", val: 2 } : { tag: "err", val: "r3" }),
  alias1: (ok) => {
    if (ok) return 1;
    throw "a1";
  },
  toResult: (ok) => {
    if (ok) return 7;
    throw "t";
  },
  move: (p, d) => ({ x: p.x, y: d === "up" ? p.y + 1 : p.y - 1 }),
  make: (n) => new Thing(n),
};
`;

/** What the old declarations allowed and the runtimes read otherwise. */
const BAD_GUEST = `
import type { api as Api } from "test:agree/agree@0.1.0";
export const h: Api.Holder = { b: { tag: "none" }, c: { tag: "some", val: { tag: "some", val: 3 } } };
export const coded: Api.Exports["coded"] = (ok) => (ok ? 1 : 2);
`;

const HOST = `
import { api, ComponentError, make, Thing, type Code, type Dir, type Holder, type Pt, type R3 } from "agree-lib";
import type { types } from "agree-lib";
import * as union from "agree-union";

const out: Record<string, unknown> = {};
out.o3 = [api.o3(undefined), api.o3({ tag: "none" }), api.o3({ tag: "some", val: undefined }), api.o3({ tag: "some", val: 3 })];
out.deep = api.deep();
const sparse: Holder = { b: { tag: "none" } };
out.hold = [api.hold(sparse), api.hold({ a: 1, b: { tag: "some", val: 2 }, c: { tag: "some", val: 3 } })];
out.vv = [api.vv({ tag: "x", val: { tag: "some", val: 4 } }), api.vv({ tag: "x", val: undefined })];
out.lo3 = api.lo3([undefined, { tag: "none" }, { tag: "some", val: 5 }]);
const code: Code = api.coded(false);
const r3: R3 = api.alias2(false);
const one: number = api.alias1(true);
out.results = [code, api.coded(true), r3, one];
const thrown: unknown[] = [];
for (const f of [() => api.alias1(false), () => api.toResult(false)]) {
  try {
    f();
  } catch (e) {
    thrown.push(e instanceof ComponentError ? e.payload : ["other", String(e)]);
  }
}
out.thrown = thrown;
out.union = [union.coded(false), union.alias2(true), union.alias1(false), union.toResult(false), union.toResult(true)];
const dir: Dir = "down";
const p: Pt = api.move({ x: 1, y: 5 }, dir);
const q: types.Pt = p;
out.move = q;
const t = new Thing(2);
out.thing = [t.n(), make(3) instanceof Thing, make(3).n()];
out.notComponentErrors = [{ payload: 1 } instanceof ComponentError, Object.assign(new Error("x"), { payload: 1 }) instanceof ComponentError];
console.log(JSON.stringify(out, (_, v) => (v === undefined ? "<undefined>" : v)));
`;

const BAD_HOST = `
import { api } from "agree-lib";
api.o3({ tag: "some", val: { tag: "some", val: 3 } });
export const n: number = api.coded(true);
`;

/** A guest importing the same interfaces through an alias package, results as unions. */
const USER = `
import { coded, Dir, Pt, Thing, toResult, make, type Code } from "agree";
import type { types } from "agree";
import type { Result } from "agree";
const c: Code = coded(true);
const r: Result<number, string> = toResult(false);
const p: Pt = { x: 1, y: 2 };
const q: types.Pt = p;
const d: Dir = "up";
const t: Thing = make(1);
export { c, r, q, d, t };
`;

let dir: string;
let dispose: () => Promise<void>;
let guestDiagnostics: Diagnostic[];
let hostDiagnostics: Diagnostic[];
let userDiagnostics: Diagnostic[];
let userAlias: string;
let hostIndex: { js: string; union: string };

beforeAll(async () => {
  ({ dir, dispose } = await scratch("jco-rules"));
  const { resolve, packageId } = await loadWitPackage(join(witDir, "agree"));
  const worlds = resolve.packages[packageId].worlds;

  // The guest, type-checked against our declarations of what it exports.
  await writeFiles(join(dir, "guest/node_modules"), generateGuestBindings(resolve, worlds.get("agree")!).files);
  await writeFile(join(dir, "guest/app.ts"), GUEST);
  await writeFile(join(dir, "guest/bad.ts"), BAD_GUEST);
  guestDiagnostics = typecheck(join(dir, "guest"), ["app.ts", "bad.ts", "node_modules/.wit-types/index.d.ts"]);
  await writeFile(join(dir, "guest/app.js"), (await transform(GUEST, { loader: "ts", format: "esm" })).code);
  const { componentize } = await import("@bytecodealliance/componentize-js");
  const { component } = await componentize({
    sourcePath: join(dir, "guest/app.js"),
    witPath: join(witDir, "agree"),
    worldName: "agree",
    disableFeatures: ["stdio", "random", "clocks", "http", "fetch-event"],
  });

  for (const [name, results] of [
    ["agree-lib", "throw"],
    ["agree-union", "union"],
  ] as const) {
    await generateHostPackage(component, { name, outDir: join(dir, "node_modules", name), results });
  }
  hostIndex = {
    js: await readFile(join(dir, "node_modules/agree-lib/index.js"), "utf8"),
    union: await readFile(join(dir, "node_modules/agree-union/index.js"), "utf8"),
  };
  await writeFile(join(dir, "main.ts"), HOST);
  await writeFile(join(dir, "bad.ts"), BAD_HOST);
  await writeFile(join(dir, "globals.d.ts"), "declare const console: { log(...args: unknown[]): void };\n");
  hostDiagnostics = typecheck(dir, ["main.ts", "bad.ts", "globals.d.ts"]);
  await writeFile(join(dir, "main.mjs"), (await transform(HOST, { loader: "ts", format: "esm" })).code);

  const user = generateGuestBindings(resolve, worlds.get("agree-user")!, { results: "union" });
  await writeFiles(join(dir, "user/node_modules"), user.files);
  await writeFile(join(dir, "user/user.ts"), USER);
  userDiagnostics = typecheck(join(dir, "user"), ["user.ts"]);
  userAlias = user.files.get("agree/index.js")!;
}, 300_000);

afterAll(async () => {
  await dispose?.();
});

describe("declarations follow jco's rules", () => {
  it("guest: an implementation written to Exports type-checks; the old shapes do not", () => {
    expect(guestDiagnostics.filter((d) => d.file !== "bad.ts")).toEqual([]);
    const bad = guestDiagnostics.filter((d) => d.file === "bad.ts");
    expect(bad.map((d) => d.code)).toEqual([2322, 2322]);
    expect(bad[1].message).toContain("not assignable to type 'Code'");
  });

  it("host: a program using them type-checks; the old shapes do not", () => {
    expect(hostDiagnostics.filter((d) => d.file !== "bad.ts")).toEqual([]);
    const bad = hostDiagnostics.filter((d) => d.file === "bad.ts");
    expect(bad.map((d) => d.code)).toEqual([2322, 2322]);
    expect(bad[1].message).toContain("'Code' is not assignable to type 'number'");
  });

  it("host: the index imports no types-only interface and declares no helper a WIT name can take", () => {
    expect(hostIndex.js).not.toContain("test:agree/types");
    expect(hostIndex.union).toContain("export const toResult = $toResult(");
    expect(hostIndex.union).not.toMatch(/export const coded =|export const alias2 =/);
  });

  it("run: values as the declarations say, tagged results unwrapped once, ComponentError exact", async () => {
    const { stdout } = await run(process.execPath, [join(dir, "main.mjs")], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({
      o3: ["<undefined>", { tag: "none" }, { tag: "some", val: "<undefined>" }, { tag: "some", val: 3 }],
      deep: { tag: "some", val: 3 },
      hold: [
        { a: "<undefined>", b: { tag: "none" }, c: "<undefined>" },
        { a: 1, b: { tag: "some", val: 2 }, c: { tag: "some", val: 3 } },
      ],
      vv: [
        { tag: "x", val: { tag: "some", val: 4 } },
        { tag: "x", val: "<undefined>" },
      ],
      lo3: ["<undefined>", { tag: "none" }, { tag: "some", val: 5 }],
      results: [{ tag: "err", val: "c" }, { tag: "ok", val: 1 }, { tag: "err", val: "r3" }, 1],
      thrown: ["a1", "t"],
      union: [
        { tag: "err", val: "c" },
        { tag: "ok", val: 2 },
        { tag: "err", val: "a1" },
        { tag: "err", val: "t" },
        { tag: "ok", val: 7 },
      ],
      move: { x: 1, y: 4 },
      thing: [2, true, 3],
      notComponentErrors: [false, false],
    });
  });

  it("guest alias: `use`d names at the top level, no value for a types-only interface, helpers apart", async () => {
    expect(userDiagnostics).toEqual([]);
    expect(userAlias).not.toContain('"test:agree/types@0.1.0"');
    // esbuild refuses a module declaring one name twice.
    await expect(transform(userAlias, { format: "esm" })).resolves.toBeDefined();
  });
});
