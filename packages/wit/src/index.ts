// Public API of @wasm-compose/wit: the WIT model, and (as they land) the parser, printer and JSON form.
export const packageName = "@wasm-compose/wit";
export * from "./model.js";
