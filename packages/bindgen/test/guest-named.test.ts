// Guest declarations for one interface under several names (`import primary: store;` beside
// `import store;`, `export cache: store;` beside `export store;`): each name is a module or an
// export of its own, and tsc checks programs against them.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateGuestBindings, writeFiles } from "@wasm-compose/bindgen";
import { parseWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, scratch, typecheck } from "./helpers.js";

const WIT = `package ex:named@1.0.0;
interface types {
  record entry { key: string, value: u32 }
}
interface store {
  use types.{entry};
  get: func(key: string) -> option<entry>;
}
world app {
  import primary: store;
  import secondary: store;
  import store;
  export store;
  export cache: store;
  export run: func() -> u32;
}
`;

const PROGRAMS: Record<string, string> = {
  "globals.d.ts": "declare const console: { log(...args: unknown[]): void };\n",
  "good.ts": `
import { get as fromPrimary } from "primary";
import { get as fromSecondary } from "secondary";
import { get, type Entry } from "ex:named/store@1.0.0";
import type { Exports } from "ex:named/app@1.0.0";

const lookup = (key: string): Entry | undefined => fromPrimary(key) ?? fromSecondary(key) ?? get(key);
const impl: Exports = {
  run: () => lookup("a")?.value ?? 0,
  store: { get: lookup },
  cache: { get: (key: string) => ({ key, value: 1 }) },
};
console.log(impl);
`,
  "bad-missing-cache.ts": `
import type { Exports } from "ex:named/app@1.0.0";
const impl: Exports = { run: () => 1, store: { get: () => undefined } };
console.log(impl);
`,
};

let dir: string;
let dispose: () => Promise<void>;
let diagnostics: Diagnostic[];
let files: Map<string, string>;

beforeAll(async () => {
  ({ dir, dispose } = await scratch("guest-named"));
  const { resolve, packageId } = parseWitPackage(WIT);
  files = generateGuestBindings(resolve, resolve.packages[packageId].worlds.get("app")!).files;
  await writeFiles(join(dir, "node_modules"), files);
  for (const [name, text] of Object.entries(PROGRAMS)) await writeFile(join(dir, name), text);
  diagnostics = typecheck(dir, [...Object.keys(PROGRAMS), "node_modules/.wit-types/index.d.ts"]);
});

afterAll(async () => {
  await dispose?.();
});

describe("guest declarations for an interface under several names", () => {
  it("declare a module per import name, re-exporting the interface's module", () => {
    const primary = [...files].find(([path]) => path.endsWith("/primary.d.ts"))?.[1];
    expect(primary).toContain('declare module "primary" {\n  export * from "ex:named/store@1.0.0";\n}');
  });

  it("compile a program that uses every name, and require every export", () => {
    expect(diagnostics.filter((d) => !d.file.startsWith("bad-"))).toEqual([]);
    expect(diagnostics.filter((d) => d.file === "bad-missing-cache.ts")).toEqual([
      expect.objectContaining({ code: 2741, message: expect.stringContaining("Property 'cache' is missing") }),
    ]);
  });
});

/** The guest bindings of world `w` of `wit`. */
function guestFiles(wit: string): Map<string, string> {
  const { resolve, packageId } = parseWitPackage(wit);
  return generateGuestBindings(resolve, resolve.packages[packageId].worlds.get("w")!).files;
}

/** tsc's diagnostics for `program` (as main.ts) against `files`, in a scratch folder. */
async function diagnosticsOf(files: Map<string, string>, program: string): Promise<Diagnostic[]> {
  const { dir: d, dispose: done } = await scratch("guest-names");
  try {
    await writeFiles(join(d, "node_modules"), files);
    await writeFile(join(d, "main.ts"), program);
    return typecheck(d, ["main.ts", "node_modules/.wit-types/index.d.ts"]);
  } finally {
    await done();
  }
}

describe("WIT names that meet in TypeScript", () => {
  it("gives a variant's case interface another name when a type already has `<Variant><Case>`", async () => {
    const wit = `package ex:clash;
interface shapes {
  variant shape { circle(f32), none }
  record shape-circle { r: f32 }
  area: func(s: shape) -> shape-circle;
}
world w { import shapes; }
`;
    const files = guestFiles(wit);
    const dts = [...files].find(([path]) => path.endsWith("ex-clash-shapes.d.ts"))![1];
    expect(dts).toContain("export type Shape = Shape_Circle | ShapeNone;");
    expect(dts).toContain("export interface ShapeCircle {\n    r: number;");
    expect(
      await diagnosticsOf(
        files,
        'import { area, type Shape, type ShapeCircle } from "ex:clash/shapes";\nconst s: Shape = { tag: "circle", val: 1 };\nconst c: ShapeCircle = area(s);\nexport { c };\n',
      ),
    ).toEqual([]);
  });

  it("names an exported interface's Exports interface Exports_ when it has a type called exports", async () => {
    const wit =
      "package ex:ex;\ninterface api {\n  record exports { a: u8 }\n  get: func() -> exports;\n}\nworld w { export api; }\n";
    const files = guestFiles(wit);
    expect(
      await diagnosticsOf(
        files,
        'import type { Exports, api } from "ex:ex/w";\nconst record: api.Exports = { a: 1 };\nexport const impl: Exports = { api: { get: () => record } };\n',
      ),
    ).toEqual([]);
  });

  it("names the world's Exports interface Exports_ when the world has a type called exports", async () => {
    const wit = "package ex:ex;\nworld w {\n  type exports = u32;\n  export run: func(x: exports) -> exports;\n}\n";
    const files = guestFiles(wit);
    expect(
      await diagnosticsOf(
        files,
        'import type { Exports, Exports_ } from "ex:ex/w";\nconst n: Exports = 1;\nexport const impl: Exports_ = { run: (x: Exports) => x + n };\n',
      ),
    ).toEqual([]);
  });

  it("refuses a record whose fields repeat (WIT allows it), saying which", () => {
    const wit = "package ex:clash;\ninterface i {\n  record r { %list: u8, %list: string }\n}\nworld w { import i; }\n";
    expect(() => guestFiles(wit)).toThrow(
      "record `r` has fields `list` and `list` that both become `list` in TypeScript",
    );
  });

  it("refuses a world exporting a function and an interface a JS guest would export under one name", () => {
    const wit =
      "package ex:clash;\ninterface api {\n  f: func() -> u32;\n}\nworld w {\n  export api;\n  export api: func();\n}\n";
    expect(() => guestFiles(wit)).toThrow(
      "world ex:clash/w exports the function `api` and the interface `ex:clash/api`, which a JS guest would both export as `api`",
    );
  });

  it("gives an imported interface's namespace its package's name when a function of the alias has its name", async () => {
    const wit =
      "package ex:clash;\ninterface api {\n  f: func() -> u32;\n}\nworld w {\n  import api;\n  import api: func() -> string;\n}\n";
    const { resolve, packageId } = parseWitPackage(wit);
    const world = resolve.packages[packageId].worlds.get("w")!;
    const { files } = generateGuestBindings(resolve, world, { aliases: { both: ["api", "ex:clash/api"] } });
    expect(files.get("both/index.d.ts")).toContain("export * as clashApi from");
    expect(
      await diagnosticsOf(
        files,
        'import { api, clashApi } from "both";\nconst s: string = api();\nconst n: number = clashApi.f();\nexport { s, n };\n',
      ),
    ).toEqual([]);
  });

  it("refuses two types that become one TypeScript name, saying which", () => {
    const wit = "package ex:clash;\ninterface i {\n  type W = string;\n  type w = u8;\n}\nworld w { import i; }\n";
    expect(() => guestFiles(wit)).toThrow("types `W` and `w` both become `W` in TypeScript");
  });
});
