import { componentEmbed, componentWit, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
const src = process.argv[2];
try {
  const t0 = performance.now();
  const bytes = await componentEmbed({ dummy: true, witSource: src, world: process.argv[3] });
  console.log("OK", performance.now() - t0);
  const c = await componentNew(bytes);
  console.log(await componentWit(c));
} catch (e) { console.log("ERR", e.message ?? e); }
