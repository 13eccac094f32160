// Public API of @wasm-compose/wit.
export const packageName = "@wasm-compose/wit";
