// Libraries plugged into each other, no JS app involved: the Rust title library imports the C case
// library's interface, so plugging C into Rust gives one component that imports nothing; a small
// consumer of `title` makes a three-level chain (consumer -> Rust -> C) that `plug` wires
// transitively. Each result is checked by jco (its transpile rejects invalid components) and run.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWit, parse } from "@bytecodealliance/jco";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureName, fixturePath } from "../../../fixtures/lib/fixtures.mjs";
import { type Transpiled, transpileFixture } from "../../../fixtures/lib/transpile.mjs";
import { type PlugInput, plug } from "../src/index.js";

interface Title {
  title(s: string): string;
}
interface Banner {
  banner(s: string): string;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * A consumer of `title` written as component text: it exports `example:text/banner@0.1.0#banner`,
 * which passes its argument to the imported `title` through its own linear memory (lowered import,
 * lifted export, a bump allocator as `realloc`) and returns the result.
 */
const BANNER_WAT = `(component
  (import "example:text/title@0.1.0" (instance $title
    (export "title" (func (param "s" string) (result string)))))
  (core module $alloc
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 1024))
    ;; Never frees: the component serves a few test calls.
    (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32)
      (result i32)
      (local $p i32) (local $pages i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (local.set $pages (i32.shr_u (i32.add (global.get $next) (i32.const 65535)) (i32.const 16)))
      (if (i32.gt_u (local.get $pages) (memory.size))
        (then (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1))
          (then unreachable))))
      (if (i32.gt_u (local.get $size) (local.get $old_size))
        (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size)))
        (else (memory.copy (local.get $p) (local.get $old) (local.get $size))))
      (local.get $p)))
  (core instance $a (instantiate $alloc))
  (alias core export $a "memory" (core memory $memory))
  (alias core export $a "realloc" (core func $realloc))
  (alias export $title "title" (func $title_fn))
  (core func $title_lowered (canon lower (func $title_fn) (memory $memory) (realloc $realloc) string-encoding=utf8))
  (core instance $imports (export "title" (func $title_lowered)))
  (core module $main
    (import "title" "title" (func $title (param i32 i32 i32)))
    ;; The result's (ptr, len) goes to a return area at 16, below the allocator's heap.
    (func (export "banner") (param i32 i32) (result i32)
      (call $title (local.get 0) (local.get 1) (i32.const 16))
      (i32.const 16)))
  (core instance $m (instantiate $main (with "title" (instance $imports))))
  (type $string_fn (func (param "s" string) (result string)))
  (func $banner (type $string_fn)
    (canon lift (core func $m "banner") (memory $memory) (realloc $realloc) string-encoding=utf8))
  (instance $exports (export "banner" (func $banner)))
  (export "example:text/banner@0.1.0" (instance $exports)))
`;

let title: PlugInput;
let kase: PlugInput;
let banner: PlugInput;
let tmp: string;
const transpiled: Transpiled<unknown>[] = [];

const input = async (name: FixtureName): Promise<PlugInput> => ({
  bytes: await readFile(fixturePath(name)),
  name,
  version: "0.1.0",
  source: `fixtures/${name}.wasm`,
});

/** Writes `bytes` to a file and transpiles it with jco (which rejects an invalid component). */
async function run<M>(bytes: Uint8Array, name: string): Promise<M> {
  const file = join(tmp, `${name}.wasm`);
  await writeFile(file, bytes);
  const t = await transpileFixture<M>(file, name);
  transpiled.push(t as Transpiled<unknown>);
  return t.module;
}

/** The `import`/`export` lines of a component's WIT. */
async function worldOf(bytes: Uint8Array): Promise<{ imports: string[]; exports: string[] }> {
  const wit = await componentWit(bytes);
  return {
    imports: [...wit.matchAll(/^\s*import ([^;]+);/gm)].map((m) => m[1]),
    exports: [...wit.matchAll(/^\s*export ([^;]+);/gm)].map((m) => m[1]),
  };
}

beforeAll(async () => {
  [title, kase] = await Promise.all([input("rust-title"), input("c-case")]);
  banner = { bytes: await parse(BANNER_WAT), name: "banner", source: "plug-libraries.test.ts" };
  tmp = await mkdtemp(join(tmpdir(), "plug-libraries-"));
});

afterAll(async () => {
  for (const t of transpiled) await t.dispose();
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe("plugging the C case library into the Rust title library", () => {
  let composed: Uint8Array;
  let lib: { title: Title };
  beforeAll(async () => {
    composed = plug(title, [kase], { name: "title-lib", sha256 }).bytes;
    lib = await run<{ title: Title }>(composed, "title-lib");
  });

  it("wires Rust's case import to C's export and leaves nothing open", async () => {
    const { wires, unused } = plug(title, [kase]);
    expect(wires).toEqual([
      {
        consumer: "rust-title",
        import: "example:text/case@0.1.0",
        plug: "c-case",
        export: "example:text/case@0.1.0",
      },
    ]);
    expect(unused).toEqual([]);
    expect(await worldOf(composed)).toEqual({ imports: [], exports: ["example:text/title@0.1.0"] });
  });

  it("runs in Node: Rust calls C for every word", () => {
    const t = lib.title;
    expect(t.title("hello world")).toBe("Hello World");
    expect(t.title("hELLO   wORLD\tAGAIN ")).toBe("Hello   World\tAgain ");
    expect(t.title("WASM component MODEL")).toBe("Wasm Component Model");
    expect(t.title("")).toBe("");
    // Non-ASCII characters are left alone by the C library's ASCII-only rules.
    expect(t.title("ÉCOLE élan 日本 🎉PARTY")).toBe("École élan 日本 🎉party");
    // Two 150 KB words, then many short ones (two calls into C each).
    const longWords = `${"aBc".repeat(50_000)} ${"XyZ".repeat(50_000)}`;
    expect(t.title(longWords)).toBe(`Abc${"abc".repeat(49_999)} Xyz${"xyz".repeat(49_999)}`);
    const long = "the QUICK brown FOX ".repeat(2_000);
    expect(t.title(long)).toBe("The Quick Brown Fox ".repeat(2_000));
    for (let i = 0; i < 2000; i++) expect(t.title(`n${i} MORE`)).toBe(`N${i} More`);
  });

  it("ignores plugs that satisfy nothing and reports them unused", async () => {
    const others = await Promise.all((["rust-arith", "rust-pattern", "c-stats"] as const).map(input));
    const result = plug(title, [...others, kase], { name: "title-lib", sha256 });
    expect(result.unused).toEqual(["rust-arith", "rust-pattern", "c-stats"]);
    // Unused plugs are left out entirely: the same bytes as with C alone.
    expect(Buffer.compare(Buffer.from(result.bytes), Buffer.from(composed))).toBe(0);
  });

  it("is deterministic: the same inputs give the same bytes", () => {
    const again = plug(title, [kase], { name: "title-lib", sha256 }).bytes;
    expect(Buffer.compare(Buffer.from(again), Buffer.from(composed))).toBe(0);
    // The portable SHA-256 gives the same digests, so the same bytes.
    const portable = plug(title, [kase], { name: "title-lib" }).bytes;
    expect(Buffer.compare(Buffer.from(portable), Buffer.from(composed))).toBe(0);
  });
});

describe("a three-level chain: banner -> Rust title -> C case", () => {
  let composed: Uint8Array;
  let lib: { banner: Banner };
  beforeAll(async () => {
    // The plugs in either order: plug finds that title's own import is case's export.
    composed = plug(banner, [kase, title], { name: "banner-lib", sha256 }).bytes;
    lib = await run<{ banner: Banner }>(composed, "banner-lib");
  });

  it("the consumer alone imports title and runs once it is plugged", async () => {
    expect(await worldOf(banner.bytes)).toEqual({
      imports: ["example:text/title@0.1.0"],
      exports: ["example:text/banner@0.1.0"],
    });
  });

  it("wires each level transitively and leaves nothing open", async () => {
    const { wires, unused } = plug(banner, [kase, title]);
    expect(wires).toEqual([
      {
        consumer: "banner",
        import: "example:text/title@0.1.0",
        plug: "rust-title",
        export: "example:text/title@0.1.0",
      },
      { consumer: "rust-title", import: "example:text/case@0.1.0", plug: "c-case", export: "example:text/case@0.1.0" },
    ]);
    expect(unused).toEqual([]);
    expect(await worldOf(composed)).toEqual({ imports: [], exports: ["example:text/banner@0.1.0"] });
  });

  it("runs in Node through all three components", () => {
    const b = lib.banner;
    expect(b.banner("three LEVELS deep")).toBe("Three Levels Deep");
    expect(b.banner("  spaced\tOUT  ")).toBe("  Spaced\tOut  ");
    expect(b.banner("")).toBe("");
    expect(b.banner("ñANDÚ über ALLES")).toBe("ñandÚ über Alles");
    for (let i = 0; i < 500; i++) expect(b.banner(`call ${i} OK`)).toBe(`Call ${i} Ok`);
  });

  it("is deterministic: the same inputs give the same bytes", () => {
    const again = plug(banner, [kase, title], { name: "banner-lib", sha256 }).bytes;
    expect(Buffer.compare(Buffer.from(again), Buffer.from(composed))).toBe(0);
  });
});

describe("a composed library plugged again: banner -> (Rust title + C case)", () => {
  let titleLib: PlugInput;
  let composed: Uint8Array;
  let lib: { banner: Banner };
  beforeAll(async () => {
    // The title library composed first (importing nothing), then plugged as one part.
    titleLib = { bytes: plug(title, [kase], { name: "title-lib", sha256 }).bytes, name: "title-lib" };
    composed = plug(banner, [titleLib], { name: "banner-lib", sha256 }).bytes;
    lib = await run<{ banner: Banner }>(composed, "banner-nested");
  });

  it("wires the one import to the composed library and leaves nothing open", async () => {
    expect(plug(banner, [titleLib]).wires).toEqual([
      { consumer: "banner", import: "example:text/title@0.1.0", plug: "title-lib", export: "example:text/title@0.1.0" },
    ]);
    expect(await worldOf(composed)).toEqual({ imports: [], exports: ["example:text/banner@0.1.0"] });
  });

  it("runs in Node like the flat chain", () => {
    const b = lib.banner;
    expect(b.banner("nested COMPOSITION works")).toBe("Nested Composition Works");
    expect(b.banner("ÉCOLE  de\tNUIT")).toBe("École  De\tNuit");
    for (let i = 0; i < 500; i++) expect(b.banner(`again ${i} AND again`)).toBe(`Again ${i} And Again`);
  });

  it("is deterministic: the same inputs give the same bytes", () => {
    const inner = plug(title, [kase], { name: "title-lib", sha256 }).bytes;
    const again = plug(banner, [{ bytes: inner, name: "title-lib" }], { name: "banner-lib", sha256 }).bytes;
    expect(Buffer.compare(Buffer.from(again), Buffer.from(composed))).toBe(0);
  });
});
