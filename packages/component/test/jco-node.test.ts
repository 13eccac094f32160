// Real-world WIT at scale: jco's `jco:node` package (Node's API as WIT interfaces, shipped with jco).
// Components jco builds that import or export all of it read as jco reads them, and our binary
// encoding of the package gives jco the same worlds as the WIT text does.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadWitPackage } from "@wasm-compose/wit";
import { beforeAll, describe, expect, it } from "vitest";
import { jcoNodeWit } from "../../../fixtures/lib/jco-node-wit.js";
import { componentWorld, encodeWitPackage, printComponentWit } from "../src/index.js";
import { componentFromWitPackage, tools } from "./jco.js";

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

let wit: string;
let interfaces: string[];

beforeAll(async () => {
  ({ path: wit, interfaces } = await jcoNodeWit(await mkdtemp(join(tmpdir(), "wc-jco-node-"))));
}, 60_000);

describe("jco:node", () => {
  for (const world of ["all", "exports-all"]) {
    it(`a component of world ${world} prints as jco's componentWit prints it`, async () => {
      const t = await tools();
      const component = await t.componentNew(await t.componentEmbed({ dummy: true, witPath: wit, world }));
      expect(squash(printComponentWit(component))).toBe(squash(await t.componentWit(component)));
      const w = componentWorld(component);
      const items = world === "all" ? w.resolve.worlds[w.world].imports : w.resolve.worlds[w.world].exports;
      expect(items.size).toBeGreaterThanOrEqual(interfaces.length);
    });
  }

  it("encodes as a binary WIT package from which jco builds the same components as from the text", async () => {
    const { resolve, packageId } = await loadWitPackage(wit);
    const t = await tools();
    for (const world of ["all", "exports-all"]) {
      const fromText = await t.componentNew(await t.componentEmbed({ dummy: true, witPath: wit, world }));
      const fromBinary = await componentFromWitPackage(encodeWitPackage(resolve, packageId), world);
      expect(await t.print(fromBinary)).toBe(await t.print(fromText));
    }
  });
});
