// Guest declarations for a WASI-sized world (wasi:http/proxy + wasi:cli/command, 0.2.12 as jco ships
// it) vs jco's `guest-types` on the same WIT folder: first call and warm, with the ratio. Goal < 100 ms.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateGuestBindings } from "@wasm-compose/bindgen";
import { loadWitPackage } from "@wasm-compose/wit";

const here = dirname(fileURLToPath(import.meta.url));
const builtin = join(here, "../../../node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12");

const dir = mkdtempSync(join(tmpdir(), "bindgen-bench-"));
writeFileSync(
  join(dir, "world.wit"),
  "package bench:wasi;\n\nworld big {\n  include wasi:http/proxy@0.2.12;\n  include wasi:cli/command@0.2.12;\n}\n",
);
for (const pkg of readdirSync(builtin)) cpSync(join(builtin, pkg), join(dir, "deps", pkg), { recursive: true });

const time = async (fn) => {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
};

try {
  const [loadFirst, loaded] = await time(() => loadWitPackage(dir));
  const world = loaded.resolve.packages[loaded.packageId].worlds.get("big");
  const [genFirst, bindings] = await time(() => generateGuestBindings(loaded.resolve, world));
  const w = loaded.resolve.worlds[world];
  const declared = [...bindings.files.keys()].filter((f) => f.startsWith(".wit-types/") && !f.endsWith("index.d.ts"));
  const bytes = [...bindings.files.values()].reduce((n, t) => n + t.length, 0);
  console.log(
    `world: ${w.imports.size} imports, ${w.exports.size} exports; ${declared.length} interface declarations, ${(bytes / 1024).toFixed(0)} KiB`,
  );

  // jco's public `types` is its typesComponent (`jco guest-types` with `guest: true`).
  const { types } = await import("@bytecodealliance/jco");
  const jcoTypes = () => types(dir, { worldName: "big", guest: true, quiet: true });
  const [jcoFirst] = await time(jcoTypes);

  const runs = 20;
  let ours = Infinity;
  let oursWithParse = Infinity;
  let jco = Infinity;
  for (let i = 0; i < runs; i++) {
    ours = Math.min(ours, (await time(() => generateGuestBindings(loaded.resolve, world)))[0]);
    oursWithParse = Math.min(
      oursWithParse,
      (
        await time(async () => {
          const l = await loadWitPackage(dir);
          return generateGuestBindings(l.resolve, l.resolve.packages[l.packageId].worlds.get("big"));
        })
      )[0],
    );
    jco = Math.min(jco, (await time(jcoTypes))[0]);
  }
  const r = (a, b) => (a / b).toFixed(1);
  console.log(
    `first call: generate ${genFirst.toFixed(1)} ms (+ loadWit ${loadFirst.toFixed(1)} ms), jco guest-types ${jcoFirst.toFixed(1)} ms, ratio ${r(jcoFirst, genFirst + loadFirst)}x`,
  );
  console.log(
    `warm (best of ${runs}): generate ${ours.toFixed(2)} ms, loadWit + generate ${oursWithParse.toFixed(2)} ms, jco guest-types ${jco.toFixed(2)} ms, ratio ${r(jco, oursWithParse)}x`,
  );
  console.log(`goal: generation under 100 ms: ${genFirst < 100 && ours < 100 ? "met" : "NOT met"}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
