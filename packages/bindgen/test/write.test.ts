// Writing generated files: only our own earlier output is replaced, package names stay inside the
// output folder, and a refused or failed write leaves the folder as it was.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BindgenError,
  dependencyWorld,
  generateGuestBindings,
  generateHostPackage,
  writeFiles,
} from "@wasm-compose/bindgen";
import { componentWorld } from "@wasm-compose/component";
import { interfaceQualifiedName, parseWitPackage } from "@wasm-compose/wit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, typecheck } from "./helpers.js";

let dir: string;
let component: Uint8Array;
let n = 0;
/** A fresh folder for one test (inside the temporary root). */
const fresh = () => join(dir, `t${n++}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bindgen-write-"));
  component = new Uint8Array(await readFile(join(repoRoot, "fixtures/prebuilt/c-case.wasm")));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under `root` with its contents, for comparing a folder before and after. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(root.length + 1)] = await readFile(path, "utf8");
  }
  return out;
}

/** The error `p` rejects with, checked to be a BindgenError. */
async function rejection(p: Promise<unknown>): Promise<BindgenError> {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(BindgenError);
  return e as BindgenError;
}

function guestFiles(alias: string, bytes = component) {
  const w = componentWorld(bytes);
  const { resolve, world } = dependencyWorld(w.resolve, w.world);
  const [target] = w.resolve.worlds[w.world].exports.keys();
  const name = typeof target === "number" ? interfaceQualifiedName(w.resolve, target)! : target;
  return generateGuestBindings(resolve, world, { aliases: { [alias]: name.replace(/@.*/, "") } }).files;
}

describe("generateHostPackage with outDir", () => {
  it("refuses a folder holding the user's own package.json and index.js, and writes nothing", async () => {
    const out = fresh();
    await mkdir(out);
    await writeFile(join(out, "package.json"), '{"name":"my-project"}\n');
    await writeFile(join(out, "index.js"), "console.log('mine');\n");
    const e = await rejection(generateHostPackage(component, { name: "case-lib", outDir: out }));
    expect(e.code).toBe("OUTPUT_EXISTS");
    expect(e.message).toContain(join(out, "package.json"));
    expect(e.message).toContain(join(out, "index.js"));
    expect(await snapshot(out)).toEqual({
      "package.json": '{"name":"my-project"}\n',
      "index.js": "console.log('mine');\n",
    });
  });

  it("replaces its own earlier output, removing stale files from the generated sub-folders", async () => {
    const out = fresh();
    await generateHostPackage(component, { name: "case-lib", outDir: out });
    await writeFile(join(out, "interfaces/stale.d.ts"), "// left by an older version\n");
    const pkg = await generateHostPackage(component, { name: "case-lib-2", outDir: out });
    expect(existsSync(join(out, "interfaces/stale.d.ts"))).toBe(false);
    expect(await readFile(join(out, "index.js"), "utf8")).toContain('// The "case-lib-2" package.');
    // Exactly the generated files, and no staging folder left behind.
    expect(Object.keys(await snapshot(out)).sort()).toEqual([...pkg.files.keys()].sort());
  });

  it("refuses an output that is a file, naming it", async () => {
    const out = fresh();
    await writeFile(out, "not a folder");
    const e = await rejection(generateHostPackage(component, { name: "case-lib", outDir: out }));
    expect(e.code).toBe("OUTPUT_EXISTS");
    expect(e.message).toBe(`cannot write into ${out}: it is a file, not a folder; nothing was written`);
    expect(await readFile(out, "utf8")).toBe("not a folder");
    // Below a file too.
    const below = await rejection(generateHostPackage(component, { name: "case-lib", outDir: join(out, "pkg") }));
    expect(below.message).toContain(`${out} is a file, not a folder`);
  });

  it("writes nothing without outDir: the files are only returned", async () => {
    const name = `bindgen-write-test-${process.pid}`;
    const pkg = await generateHostPackage(component, { name });
    expect(pkg.files.get("package.json")).toContain(`"name": "${name}"`);
    expect(existsSync(join(process.cwd(), "node_modules", name))).toBe(false);
  });
});

describe("generateGuestBindings alias names", () => {
  it("refuses names that are not npm package names, so no alias lands outside the output folder", () => {
    for (const name of ["../../evil", "Bad Name", ".", "..", "/abs", ".wit-types", "a/b/c", "x".repeat(215)]) {
      let error: unknown;
      try {
        guestFiles(name);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(BindgenError);
      expect((error as BindgenError).code).toBe("BAD_INPUT");
      expect((error as BindgenError).message).toContain("expected an npm package name");
    }
  });

  it("accepts plain and scoped names", () => {
    expect(guestFiles("case-lib").has("case-lib/index.js")).toBe(true);
    expect(guestFiles("@me/case.lib").has("@me/case.lib/package.json")).toBe(true);
  });
});

describe("writeFiles", () => {
  it("refuses a file where an alias folder must be, and leaves nothing behind", async () => {
    const out = fresh();
    await mkdir(out);
    await writeFile(join(out, "case-lib"), "a file");
    const e = await rejection(writeFiles(out, guestFiles("case-lib")));
    expect(e.code).toBe("OUTPUT_EXISTS");
    expect(e.message).toContain(`cannot write into ${join(out, "case-lib")}: it is a file`);
    expect(await readdir(out)).toEqual(["case-lib"]);
  });

  it("refuses to replace an alias package.json the user wrote, but replaces its own alias and declarations", async () => {
    const out = fresh();
    const files = guestFiles("case-lib");
    await writeFiles(out, files);
    await writeFiles(out, files);
    expect(await snapshot(out)).toEqual(Object.fromEntries(files));

    const mine = fresh();
    await mkdir(join(mine, "case-lib"), { recursive: true });
    await writeFile(join(mine, "case-lib/package.json"), '{"name":"case-lib","version":"1.0.0"}\n');
    const e = await rejection(writeFiles(mine, files));
    expect(e.code).toBe("OUTPUT_EXISTS");
    expect(e.message).toContain(join(mine, "case-lib/package.json"));
    expect(await snapshot(mine)).toEqual({ "case-lib/package.json": '{"name":"case-lib","version":"1.0.0"}\n' });
  });

  it("refuses paths that leave the output folder", async () => {
    const out = fresh();
    for (const path of ["../escape.js", "/abs.js", "a/../../b.js", "a//b.js"]) {
      const e = await rejection(writeFiles(out, new Map([[path, "x"]])));
      expect(e.code).toBe("BAD_INPUT");
    }
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, "escape.js"))).toBe(false);
  });

  it("takes back a failed write: the folder it made is removed, an existing one keeps its files", async () => {
    // A file name longer than the file system allows fails while the files are staged.
    const bad = new Map([
      ["ok.d.ts", "// fine\n"],
      [`${"x".repeat(300)}.d.ts`, "// too long a name\n"],
    ]);
    const parent = fresh();
    const e = await rejection(writeFiles(join(parent, "out"), bad));
    expect(e.code).toBe("WRITE_FAILED");
    expect(existsSync(parent)).toBe(false);

    const out = fresh();
    const files = guestFiles("case-lib");
    await writeFiles(out, files);
    const before = await snapshot(out);
    const failed = await rejection(writeFiles(out, new Map([...files, ...bad])));
    expect(failed.code).toBe("WRITE_FAILED");
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(out)).some((f) => f.startsWith(".bindgen-staging"))).toBe(false);
  });

  it("keeps the declarations of earlier dependencies: one alias after another, two versions of one interface", async () => {
    const project = fresh();
    const out = join(project, "node_modules");
    await writeFiles(out, guestFiles("case-lib"));
    const words = new Uint8Array(await readFile(join(repoRoot, "fixtures/prebuilt/go-words.wasm")));
    await writeFiles(out, guestFiles("words-lib", words));
    // The same interface at another version, as a second dependency might import it.
    const v2 = parseWitPackage(
      "package example:text@0.2.0;\ninterface case { shout: func(s: string) -> string; }\nworld w { import case; }\n",
    );
    const w2 = [...v2.resolve.packages[v2.packageId].worlds.values()][0];
    const aliases = { "case2-lib": "example:text/case" };
    await writeFiles(out, generateGuestBindings(v2.resolve, w2, { aliases }).files);
    const app = [
      'import { upper } from "case-lib";',
      'import { count } from "words-lib";',
      'import { shout } from "case2-lib";',
      'import { lower } from "example:text/case@0.1.0";',
      'export const n: number = count(upper(lower(shout("a"))));',
      "",
    ];
    await writeFile(join(project, "app.ts"), app.join("\n"));
    expect(typecheck(project, ["app.ts"])).toEqual([]);
    // A reference whose file is gone is dropped, the others stay.
    const index = () => readFile(join(out, ".wit-types/index.d.ts"), "utf8");
    expect((await index()).match(/<reference path=/g)?.length).toBeGreaterThanOrEqual(3);
    await rm(join(out, ".wit-types/example-text-words@0.1.0.d.ts"));
    await writeFiles(out, generateGuestBindings(v2.resolve, w2, { aliases }).files);
    expect(await index()).not.toContain("example-text-words@0.1.0.d.ts");
    expect(await index()).toContain("example-text-case@0.1.0.d.ts");
    expect(await index()).toContain("example-text-case@0.2.0.d.ts");
  });
});
