// The umbrella API of wasm-compose: the CLI's entry, and every package's public API in one import,
// each under its own namespace (`wit`, `component`, `oci`, `compose`, `bindgen`).
export * as bindgen from "@wasm-compose/bindgen";
export * as component from "@wasm-compose/component";
export * as compose from "@wasm-compose/compose";
export * as oci from "@wasm-compose/oci";
export * as wit from "@wasm-compose/wit";
export { main } from "./bin.js";
export { ExitCode, InputError, UsageError } from "./errors.js";
export { loadWitPackage } from "./load-wit.js";
