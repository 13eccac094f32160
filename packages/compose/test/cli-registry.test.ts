// `compose` finds a package it has no file for in a registry: published to the test harness's
// anonymous registry through @wasm-compose/oci, then pulled by name while composing.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWorld, parseComponent } from "@wasm-compose/component";
import { PROVENANCE_SECTION } from "@wasm-compose/compose";
import { openEnvironment, publishWasm, resolvePublishTarget } from "@wasm-compose/oci";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fixturePath } from "../../../fixtures/lib/fixtures.mjs";
import type { ProvidedRegistries } from "../../../fixtures/registry/index.js";
import { run as composeCommand } from "../../cli/src/commands/compose.js";
import { Output } from "../../cli/src/output.js";

const registries: ProvidedRegistries = inject("registries");
const registry = registries.anonymous;
let home: string;
const saved = { ...process.env };

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "compose-registry-"));
  // A home of our own: no user config, a fresh cache, plain HTTP to the harness registry.
  Object.assign(process.env, {
    HOME: home,
    XDG_CACHE_HOME: join(home, "cache"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_DATA_HOME: join(home, "data"),
    DOCKER_CONFIG: join(home, "docker"),
    WASM_COMPOSE_INSECURE_REGISTRIES: registry.host,
  });
  const env = await openEnvironment({ cwd: home });
  const target = await resolvePublishTarget(env, "composetest:arith@0.1.0", registry.host);
  await publishWasm(target.store, new Uint8Array(await readFile(fixturePath("rust-arith"))), [target.manifest]);
});

afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  await rm(home, { recursive: true, force: true });
});

describe("compose with a registry", () => {
  it("pulls a package it has no file for and records where it came from", async () => {
    const wac = join(home, "app.wac");
    await writeFile(wac, "package t:reg;\nlet a = new composetest:arith@0.1.0 {};\nexport a.arith;\n");
    const output = join(home, "out.wasm");
    let stdout = "";
    const out = new Output({ json: true, quiet: false, debug: false }, (s) => (stdout += s));
    const code = await composeCommand([wac], { output, registry: registry.host, depsDir: join(home, "deps") }, out);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).exports).toEqual(["example:math/arith@0.1.0"]);
    const bytes = new Uint8Array(await readFile(output));
    const w = componentWorld(bytes);
    expect(w.resolve.worlds[w.world].imports.size).toBe(0);
    const prov = parseComponent(bytes).sections.find((s) => s.kind === "custom" && s.name === PROVENANCE_SECTION);
    if (prov?.kind !== "custom") throw new Error("no provenance section");
    const parts = JSON.parse(
      new TextDecoder().decode(bytes.subarray(prov.data.offset, prov.data.offset + prov.data.length)),
    );
    expect(parts.parts[0].name).toBe("composetest:arith");
    expect(parts.parts[0].version).toBe("0.1.0");
    expect(parts.parts[0].source).toContain(`${registry.host}/composetest/arith:0.1.0`);
  });

  it("still reports a package no registry has", async () => {
    const wac = join(home, "none.wac");
    await writeFile(wac, "package t:reg;\nlet a = new composetest:nowhere@0.1.0 {};\nexport a.arith;\n");
    const out = new Output({ json: false, quiet: true, debug: false });
    await expect(
      composeCommand(
        [wac],
        { output: join(home, "x.wasm"), registry: registry.host, depsDir: join(home, "deps") },
        out,
      ),
    ).rejects.toMatchObject({ code: "WAC_UNKNOWN" });
  });
});
