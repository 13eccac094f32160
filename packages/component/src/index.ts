// Public API of @wasm-compose/component: reading and writing component binaries.
export {
  type ComponentFromModuleOptions,
  componentFromModule,
  embedWit,
  type WitInput,
} from "./from-module.js";
