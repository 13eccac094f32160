// A core module made into a component through jco, with typed errors for what cannot be made.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseWitPackage, WitError } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComponentError, componentFromModule, componentWorld, encodeWitPackage } from "../src/index.js";
import { tools } from "./jco.js";

const WIT = "package t:m;\nworld w {\n  export add: func(a: u32, b: u32) -> u32;\n}\n";
let dir: string;
let adder: Uint8Array;
let empty: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "from-module-"));
  const t = await tools();
  adder = new Uint8Array(
    await t.parse('(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'),
  );
  empty = new Uint8Array(await t.parse("(module)"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable("expected an error"),
    (e: unknown) => e,
  );
}

describe("componentFromModule", () => {
  it("makes a component of the world from WIT source or a WIT file", async () => {
    const fromSource = await componentFromModule(adder, { wit: { source: WIT } });
    const w = componentWorld(fromSource);
    expect([...w.resolve.worlds[w.world].exports.keys()]).toEqual(["add"]);
    const file = join(dir, "m.wit");
    await writeFile(file, WIT);
    const fromFile = await componentFromModule(adder, { wit: { path: file }, world: "w" });
    expect(fromFile).toEqual(fromSource);
    // A binary WIT package is a WIT path too, as for jco.
    const pkg = join(dir, "m.wasm");
    const { resolve, packageId } = parseWitPackage(WIT);
    await writeFile(pkg, encodeWitPackage(resolve, packageId));
    expect(await componentFromModule(adder, { wit: { path: pkg } })).toEqual(fromSource);
  });

  it("gives typed errors for a missing path, a bad package and an unknown world, and keeps working", async () => {
    const missing = await rejection(componentFromModule(adder, { wit: { path: join(dir, "nosuch") } }));
    expect(missing).toBeInstanceOf(WitError);
    expect((missing as WitError).message).toContain("nosuch");

    const bad = await rejection(
      componentFromModule(adder, { wit: { source: "package t:m;\nworld w { export f: fnuc(); }\n" } }),
    );
    expect(bad).toBeInstanceOf(WitError);
    expect((bad as WitError).line).toBe(2);

    const world = await rejection(componentFromModule(adder, { wit: { source: WIT }, world: "nope" }));
    expect(world).toBeInstanceOf(ComponentError);
    expect((world as ComponentError).code).toBe("BAD_WIT");
    expect((world as ComponentError).message).toBe('no world "nope" in the WIT source; its worlds: w');

    const unfit = await rejection(componentFromModule(empty, { wit: { source: WIT } }));
    expect(unfit).toBeInstanceOf(ComponentError);
    expect((unfit as ComponentError).code).toBe("INVALID_MODULE");
    expect((unfit as ComponentError).message).toMatch(/^cannot make a component of the module: .*add/s);

    // jco is still usable in this process.
    expect(componentWorld(await componentFromModule(adder, { wit: { source: WIT } })).resolve.worlds.length).toBe(1);
  });
});
