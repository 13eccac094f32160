// Real-world WIT at scale: jco's `jco:node` package (Node's API as 27 interfaces over WASI 0.2.12
// and a wasi:tls draft, the WIT jco ships). A world importing all of it gets guest declarations; a
// dummy component jco builds that exports all of it gets a host package; both compile under strict
// tsc.
import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import { generateGuestBindings, generateHostPackage, writeFiles } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Diagnostic, repoRoot, scratch, typecheck } from "./helpers.js";

const builtin = join(repoRoot, "node_modules/@bytecodealliance/jco/lib/wit/builtin");

let dir: string;
let dispose: () => Promise<void>;
let interfaces: string[];
let guestFiles: Map<string, string>;
let guest: Diagnostic[];
let host: Diagnostic[];
let hostFiles: Map<string, string | Uint8Array>;

beforeAll(async () => {
  ({ dir, dispose } = await scratch("jco-node"));
  const wit = join(dir, "wit");
  await mkdir(join(wit, "deps"), { recursive: true });
  await symlink(join(builtin, "jco-node-0.1.0"), join(wit, "deps", "jco-node"));
  await symlink(join(builtin, "wasi-tls-0.2.0-draft"), join(wit, "deps", "wasi-tls"));
  for (const pkg of await readdir(join(builtin, "0.2.12"))) {
    await symlink(join(builtin, "0.2.12", pkg), join(wit, "deps", pkg));
  }
  // The package has interfaces only: a world of our own imports every one of them.
  const names = (await readdir(join(builtin, "jco-node-0.1.0"))).filter((f) => f.endsWith(".wit"));
  expect(names.length).toBeGreaterThan(15);
  await writeFile(join(wit, "world.wit"), "package test:node;\nworld probe {}\n");
  const probe = await loadWitPackage(wit);
  const node = probe.resolve.packages.find((p) => p.name.namespace === "jco" && p.name.name === "node")!;
  interfaces = [...node.interfaces.keys()];
  const items = (dir: string) => interfaces.map((i) => `  ${dir} jco:node/${i}@0.1.0;\n`).join("");
  await writeFile(
    join(wit, "world.wit"),
    `package test:node;\nworld all {\n${items("import")}}\nworld exports-all {\n${items("export")}}\n`,
  );

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
    for (const i of interfaces) expect(guestFiles.has(`.wit-types/jco-node-${i}.d.ts`), i).toBe(true);
    expect(guest).toEqual([]);
  });

  it("gets a host package for a component exporting all of it, whose declarations compile", () => {
    for (const i of interfaces) expect(hostFiles.has(`interfaces/jco-node-${i}.d.ts`), i).toBe(true);
    expect(host).toEqual([]);
  });
});
