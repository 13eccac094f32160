#!/usr/bin/env node
// Entry point for the `wasm-compose` bin: runs the bundled CLI (packages/cli/bundle, built by `npm run build`).
import module from "node:module";

// Node 22.1 and later keep V8's compiled code of the modules a run loads (in the OS temporary
// folder), so later runs skip compiling them; older versions have no such cache.
module.enableCompileCache?.();
const { main } = await import("../bundle/bin.js");

process.exitCode = await main(process.argv.slice(2));
