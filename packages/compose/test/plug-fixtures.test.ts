// Plugs the Rust, C and Go libraries into the componentize-js app: one component, which jco
// accepts (its transpile rejects invalid components) and which runs in Node with no hand wiring.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco";
import { parseComponent } from "@wasm-compose/component";
import { type PlugInput, PROVENANCE_SECTION, plug } from "@wasm-compose/compose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFixtures, fixturePath } from "../../../fixtures/lib/fixtures.mjs";
import { type Transpiled, transpileFixture } from "../../../fixtures/lib/transpile.mjs";

interface Report {
  render(input: string): string;
}

const LIBS = ["rust-arith", "rust-pattern", "c-stats", "c-case", "go-words"] as const;
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

let socket: PlugInput;
let plugs: PlugInput[];
let composed: Uint8Array;
let tmp: string;
let app: Transpiled<{ report: Report }>;

beforeAll(async () => {
  const paths = await ensureFixtures(["js-app"]);
  const input = async (name: string, path: string): Promise<PlugInput> => ({
    bytes: await readFile(path),
    name,
    version: "0.1.0",
    source: `fixtures/${name}.wasm`,
  });
  socket = await input("js-app", paths["js-app"]!);
  plugs = await Promise.all(LIBS.map((n) => input(n, fixturePath(n))));
  composed = plug(socket, plugs, { name: "report-app", sha256 }).bytes;
  tmp = await mkdtemp(join(tmpdir(), "compose-"));
  const file = join(tmp, "composed.wasm");
  await writeFile(file, composed);
  app = await transpileFixture<{ report: Report }>(file, "composed");
});

afterAll(async () => {
  await app?.dispose();
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe("plugging the libraries into the JS app", () => {
  it("leaves only the WASI imports of the Go library open and exports report", async () => {
    const wit = await componentWit(composed);
    const imported = [...wit.matchAll(/^\s*import ([^;]+);/gm)].map((m) => m[1]);
    // Exactly the Go library's imports: the five library interfaces are satisfied inside.
    expect(imported.sort()).toEqual(
      [
        "wasi:cli/environment@0.2.0",
        "wasi:cli/exit@0.2.0",
        "wasi:cli/stderr@0.2.0",
        "wasi:cli/stdout@0.2.0",
        "wasi:clocks/monotonic-clock@0.2.0",
        "wasi:clocks/wall-clock@0.2.0",
        "wasi:io/error@0.2.0",
        "wasi:io/poll@0.2.0",
        "wasi:io/streams@0.2.0",
        "wasi:random/random@0.2.0",
      ].sort(),
    );
    const exported = [...wit.matchAll(/^\s*export ([^;]+);/gm)].map((m) => m[1]);
    expect(exported).toEqual(["example:app/report@0.1.0"]);
  });

  it("embeds each part's bytes unchanged and lists them in the provenance section", () => {
    const c = parseComponent(composed);
    const nested = c.sections.filter((s) => s.kind === "component");
    expect(nested).toHaveLength(6);
    const sizes = nested.map((s) => (s.kind === "component" ? s.component.range.length : 0));
    // Providers come before the instances that use them: the app is last.
    expect(sizes.at(-1)).toBe(socket.bytes.length);
    expect([...sizes].sort()).toEqual([socket, ...plugs].map((p) => p.bytes.length).sort());
    const prov = c.sections.find((s) => s.kind === "custom" && s.name === PROVENANCE_SECTION);
    expect(prov?.kind).toBe("custom");
    if (prov?.kind !== "custom") return;
    const json = JSON.parse(
      new TextDecoder().decode(composed.subarray(prov.data.offset, prov.data.offset + prov.data.length)),
    );
    expect(json.parts.map((p: { name: string }) => p.name).sort()).toEqual(["js-app", ...LIBS].sort());
    expect(json.parts.at(-1)).toEqual({
      name: "js-app",
      version: "0.1.0",
      sha256: sha256(socket.bytes),
      source: "fixtures/js-app.wasm",
      mode: "embedded",
    });
    const names = c.sections.filter((s) => s.kind === "custom").map((s) => (s.kind === "custom" ? s.name : ""));
    expect(names).toEqual(["component-name", "producers", PROVENANCE_SECTION]);
  });

  it("is deterministic: the same inputs give the same bytes", () => {
    const again = plug(socket, plugs, { name: "report-app", sha256 }).bytes;
    expect(Buffer.compare(Buffer.from(again), Buffer.from(composed))).toBe(0);
    // The portable hash gives the same digests, so the same bytes.
    const portable = plug(socket, plugs, { name: "report-app" }).bytes;
    expect(Buffer.compare(Buffer.from(portable), Buffer.from(composed))).toBe(0);
  });

  it("runs in Node: strings, lists, records, results and the matcher resource cross the boundaries", () => {
    const report = app.module.report;
    expect(report.render("compose lib.rs stats.c words.go into app.wasm with app.js")).toBe(
      [
        "words: 8",
        "reversed: app.js with app.wasm into words.go stats.c lib.rs compose",
        "upper: COMPOSE LIB.RS STATS.C WORDS.GO INTO APP.WASM WITH APP.JS",
        "lower: compose lib.rs stats.c words.go into app.wasm with app.js",
        "lengths: count 8, mean 6.25, min 4, max 8",
        "globs: *.rs=1 *.c=1 *.go=1 *.js=1 *.wa?m=1",
        "has-dot: true",
        "checksum: -1911373694",
        "fib(words): 21",
      ].join("\n"),
    );
  });

  it("carries the stats library's error result through the app", () => {
    expect(app.module.report.render("").split("\n")[4]).toBe("lengths: error: summarize: the list is empty");
  });

  it("passes non-ASCII text through every library and serves many calls", () => {
    const lines = app.module.report.render("Ünïcode  ÉTÉ été").split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "words: 3",
      "reversed: été ÉTÉ Ünïcode",
      "upper: ÜNïCODE  ÉTÉ éTé",
      "lower: Ünïcode  ÉtÉ été",
      "lengths: count 3, mean 4.33, min 3, max 7",
    ]);
    for (let i = 1; i <= 30; i++) {
      const input = Array.from({ length: i }, (_, j) => `w${j}.rs`).join(" ");
      const out = app.module.report.render(input).split("\n");
      expect(out[0]).toBe(`words: ${i}`);
      expect(out[5]).toBe(`globs: *.rs=${i} *.c=0 *.go=0 *.js=0 *.wa?m=0`);
    }
  });
});
