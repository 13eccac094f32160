#!/usr/bin/env node
// Entry point for the `wasm-compose` bin: runs the bundled CLI (packages/cli/bundle, built by `npm run build`).
import { main } from "../bundle/bin.js";

process.exitCode = await main(process.argv.slice(2));
