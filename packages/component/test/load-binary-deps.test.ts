// loadWit with binary WIT packages (.wasm, as registries store them) in deps/, decoded by witPackageSources.
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWitPackage, printWit, WitError } from "@wasm-compose/wit";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeWitPackage, witPackageSources } from "../src/index.js";

const wit = (p: string) => fileURLToPath(new URL(`../../../fixtures/wit/${p}`, import.meta.url));
let app: string;

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "wit-binary-deps-"));
  await mkdir(join(app, "deps"));
  await copyFile(wit("app/app.wit"), join(app, "app.wit"));
  for (const dep of ["math", "text"]) {
    const { resolve, packageId } = await loadWitPackage(wit(dep));
    await writeFile(join(app, "deps", `${dep}.wasm`), encodeWitPackage(resolve, packageId));
  }
});

describe("loadWit with .wasm packages in deps/", () => {
  it("resolves to the same packages as the .wit deps", async () => {
    const binary = await loadWitPackage(app, { binaryPackage: witPackageSources });
    const text = await loadWitPackage(wit("app"));
    expect(printWit(binary.resolve, binary.packageId, { nestedDeps: true })).toBe(
      printWit(text.resolve, text.packageId, { nestedDeps: true }),
    );
  });

  it("loads a binary WIT package given as the main path", async () => {
    const main = await loadWitPackage(join(app, "deps", "math.wasm"), { binaryPackage: witPackageSources });
    const source = await loadWitPackage(wit("math"));
    expect(printWit(main.resolve, main.packageId)).toBe(printWit(source.resolve, source.packageId));
  });

  it("loads a package that uses others from its .wasm alone: their definitions travel with it", async () => {
    const text = await loadWitPackage(wit("app"));
    const file = join(app, "app-package.wasm");
    await writeFile(file, encodeWitPackage(text.resolve, text.packageId));
    const binary = await loadWitPackage(file, { binaryPackage: witPackageSources });
    const world = (r: typeof text) => printWit(r.resolve, r.packageId, { world: "app" });
    expect(world(binary)).toBe(world(text));
  });

  it("asks for the decoder when none is given", async () => {
    const e = await loadWitPackage(app).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(WitError);
    expect((e as WitError).message).toMatch(/math\.wasm.*needs a decoder: pass `binaryPackage`/);
  });

  it("says when a .wasm in deps/ is not a WIT package", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wit-binary-deps-"));
    await mkdir(join(dir, "deps"));
    await copyFile(wit("app/app.wit"), join(dir, "app.wit"));
    await copyFile(
      fileURLToPath(new URL("../../../fixtures/prebuilt/rust-arith.wasm", import.meta.url)),
      join(dir, "deps", "arith.wasm"),
    );
    const e = (await loadWitPackage(dir, { binaryPackage: witPackageSources }).then(
      () => undefined,
      (x: unknown) => x,
    )) as WitError;
    expect(e.code).toBe("WIT_IO");
    expect(e.message).toMatch(/arith\.wasm.* is not a binary WIT package/);
  });
});
