// Public API of @wasm-compose/oci.
export const packageName = "@wasm-compose/oci";
