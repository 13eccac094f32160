// A WASI-sized world (wasi:http/proxy + wasi:cli/command 0.2.12, the WIT jco ships): its guest
// declarations compile under tsc, `use`d types and resources included.
import { cp, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateGuestBindings, writeFiles } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, repoRoot, scratch, typecheck } from "./helpers.js";

const builtin = join(repoRoot, "node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12");

let dir: string;
let dispose: () => Promise<void>;
let files: Map<string, string>;
let diagnostics: Diagnostic[];

const PROGRAM = `
import { Fields, type Method } from "wasi:http/types@0.2.12";
import { getStdout } from "wasi:cli/stdout@0.2.12";
import { now } from "wasi:clocks/monotonic-clock@0.2.12";
import type { ErrorCode } from "wasi:filesystem/types@0.2.12";

const headers = new Fields();
headers.append("content-type", new Uint8Array([0x61]));
const method: Method = { tag: "other", val: "PURGE" };
const stream = getStdout();
stream.blockingWriteAndFlush(new TextEncoderLike().encode("hi"));
const t: bigint = now();
const code: ErrorCode = "access";
export { method, t, code };

declare class TextEncoderLike {
  encode(s: string): Uint8Array;
}
`;

beforeAll(async () => {
  ({ dir, dispose } = await scratch("wasi"));
  const wit = join(dir, "wit");
  await writeFiles(
    wit,
    new Map([
      [
        "world.wit",
        "package test:wasi;\n\nworld big {\n  include wasi:http/proxy@0.2.12;\n  include wasi:cli/command@0.2.12;\n}\n",
      ],
    ]),
  );
  for (const pkg of await readdir(builtin)) await cp(join(builtin, pkg), join(wit, "deps", pkg), { recursive: true });
  const { resolve, packageId } = await loadWitPackage(wit);
  files = generateGuestBindings(resolve, resolve.packages[packageId].worlds.get("big")!).files;
  await writeFiles(join(dir, "node_modules"), files);
  await writeFile(join(dir, "main.ts"), `/// <reference path="./node_modules/.wit-types/index.d.ts" />\n${PROGRAM}`);
  diagnostics = typecheck(dir, ["main.ts"]);
}, 60_000);

afterAll(async () => {
  await dispose?.();
});

describe("a WASI-sized world", () => {
  it("declares every imported interface, and makes no alias for wasi packages", () => {
    const declared = [...files.keys()].filter((f) => f.startsWith(".wit-types/") && f !== ".wit-types/index.d.ts");
    expect(declared.length).toBeGreaterThanOrEqual(25);
    expect([...files.keys()].some((f) => !f.startsWith(".wit-types/"))).toBe(false);
  });

  it("compiles, with a program using resources, variants, enums and used types", () => {
    expect(diagnostics).toEqual([]);
  });

  it("refers to used types across modules instead of redeclaring them", () => {
    const streams = files.get(".wit-types/wasi-http-types@0.2.12.d.ts")!;
    expect(streams).toContain('export type InputStream = import("wasi:io/streams@0.2.12").InputStream;');
  });
});
