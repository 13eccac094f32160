// Test configuration for the whole repository: packages' tests and the fixtures' tests, one run.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a change is tested without a rebuild.
    alias: {
      // Before the package's own entry, which would otherwise take this subpath as its prefix.
      "@wasm-compose/oci/output-path": fileURLToPath(new URL("./packages/oci/src/output-path.ts", import.meta.url)),
      "@wasm-compose/wit": src("wit"),
      "@wasm-compose/component": src("component"),
      "@wasm-compose/oci": src("oci"),
      "@wasm-compose/compose": src("compose"),
      "@wasm-compose/bindgen": src("bindgen"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "fixtures/**/test/**/*.test.ts", "scripts/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "**/bundle/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["fixtures/registry/global-setup.ts"],
  },
});
