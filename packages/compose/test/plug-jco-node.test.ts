// Plugging at real-world scale: jco builds a consumer importing every interface of `jco:node`
// (Node's API as WIT, shipped with jco) and a provider exporting every one. `plug` wires all of
// them; what is left open is the WASI the two sides import (io and the tls draft, whose types
// jco:node uses), and jco reads the result as a valid component with that world.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentEmbed, componentNew, componentWit } from "@bytecodealliance/jco";
import { beforeAll, describe, expect, it } from "vitest";
import { jcoNodeWit } from "../../../fixtures/lib/jco-node-wit.js";
import { plug } from "../src/index.js";

let consumer: Uint8Array;
let provider: Uint8Array;
let interfaces: string[];

beforeAll(async () => {
  const layout = await jcoNodeWit(await mkdtemp(join(tmpdir(), "wc-plug-jco-node-")));
  interfaces = layout.interfaces;
  const build = async (world: string) =>
    componentNew(await componentEmbed({ dummy: true, witPath: layout.path, world }));
  consumer = await build("all");
  provider = await build("exports-all");
}, 60_000);

describe("plugging jco:node", () => {
  it("satisfies every jco:node import and leaves open only the WASI both sides import", async () => {
    const result = plug({ bytes: consumer, name: "consumer" }, [{ bytes: provider, name: "provider" }]);
    const wired = result.wires.map((w) => w.import).filter((i) => i.startsWith("jco:node/"));
    expect(wired.length).toBe(interfaces.length);
    const world = await componentWit(result.bytes);
    expect(world).not.toMatch(/import jco:node\//);
    const wasi = (text: string) => [...text.matchAll(/import (wasi:[^;]+);/g)].map((m) => m[1]!);
    const both = [...new Set([...wasi(await componentWit(consumer)), ...wasi(await componentWit(provider))])].sort();
    expect(both.length).toBeGreaterThan(0);
    expect(wasi(world).sort()).toEqual(both);
  });
});
