// Public API of @wasm-compose/bindgen.
export const packageName = "@wasm-compose/bindgen";
