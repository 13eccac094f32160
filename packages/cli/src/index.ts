// The umbrella API of wasm-compose: the CLI's entry and every package's public API in one import.
export { main } from "./bin.js";
export { ExitCode, UsageError } from "./errors.js";
