#!/usr/bin/env node
// Entry point for the `wasm-compose` bin: runs the compiled CLI (packages/cli/dist).
import { main } from "../dist/bin.js";

process.exitCode = await main(process.argv.slice(2));
