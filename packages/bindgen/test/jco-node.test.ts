// Real-world WIT at scale: jco's `jco:node` package (Node's API as 27 interfaces over WASI 0.2.12
// and a wasi:tls draft, the WIT jco ships). A world importing all of it gets guest declarations; a
// dummy component jco builds that exports all of it gets a host package; both compile under strict
// tsc.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import { generateGuestBindings, generateHostPackage, writeFiles } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jcoNodeWit } from "../../../fixtures/lib/jco-node-wit.js";
import { type Diagnostic, scratch, typecheck } from "./helpers.js";

let dir: string;
let dispose: () => Promise<void>;
let interfaces: string[];
let guestFiles: Map<string, string>;
let guest: Diagnostic[];
let host: Diagnostic[];
let hostFiles: Map<string, string | Uint8Array>;

beforeAll(async () => {
  ({ dir, dispose } = await scratch("jco-node"));
  const { path: wit, interfaces: names } = await jcoNodeWit(dir);
  interfaces = names;
  expect(interfaces.length).toBeGreaterThan(20);
  const { resolve, packageId } = await loadWitPackage(wit);
  guestFiles = generateGuestBindings(resolve, resolve.packages[packageId].worlds.get("all")!).files;
  await writeFiles(join(dir, "guest/node_modules"), guestFiles);
  await writeFile(
    join(dir, "guest/main.ts"),
    '/// <reference path="./node_modules/.wit-types/index.d.ts" />\nimport * as fs from "jco:node/fs@0.1.0";\nexport { fs };\n',
  );
  guest = typecheck(join(dir, "guest"), ["main.ts"]);

  // A component exporting all of it: the host package's API is those exports.
  const component = await componentNew(await componentEmbed({ dummy: true, witPath: wit, world: "exports-all" }));
  hostFiles = (await generateHostPackage(component, { name: "node-all" })).files;
  // jco's glue (component/) is JavaScript; the declarations are what a program compiles against.
  await writeFiles(
    join(dir, "host/node_modules/node-all"),
    new Map([...hostFiles].filter(([path]) => !path.startsWith("component/"))),
  );
  await writeFile(join(dir, "host/main.ts"), 'import * as all from "node-all";\nexport { all };\n');
  host = typecheck(join(dir, "host"), ["main.ts"]);
}, 120_000);

afterAll(async () => {
  await dispose?.();
});

describe("jco:node, 27 interfaces of real-world WIT", () => {
  it("gets a guest declaration file for every interface, which compiles", () => {
    for (const i of interfaces) expect(guestFiles.has(`.wit-types/jco-node-${i}@0.1.0.d.ts`), i).toBe(true);
    expect(guest).toEqual([]);
  });

  it("gets a host package for a component exporting all of it, whose declarations compile", () => {
    for (const i of interfaces) expect(hostFiles.has(`interfaces/jco-node-${i}.d.ts`), i).toBe(true);
    expect(host).toEqual([]);
  });
});
