// Public API of @wasm-compose/compose.
export const packageName = "@wasm-compose/compose";
