import { readFileSync } from "node:fs";
const jco = await import("@bytecodealliance/jco-transpile/wasm-tools");
const src = readFileSync(process.argv[2], "utf8");
try { await jco.componentEmbed({ dummy: true, witSource: src }); console.log("jco: ok"); } catch (e) { console.log("jco error:", String(e.message ?? e).slice(0, 400)); }
