// Public API of @wasm-compose/bindgen: TypeScript bindings for components, guest side and host side.
/** This package's npm name. */
export const packageName = "@wasm-compose/bindgen";
export { BindgenError, type BindgenErrorCode } from "./errors.js";
export { type EsbuildPlugin, type EsbuildPluginBuild, esbuildPlugin } from "./esbuild-plugin.js";
export {
  dependencyWorld,
  type GuestAlias,
  type GuestBindings,
  type GuestOptions,
  generateGuestBindings,
  WIT_TYPES_DIR,
} from "./guest.js";
export { generateHostPackage, type HostOptions, type HostPackage, PREVIEW2_SHIM_VERSION } from "./host.js";
export type { ResultStyle } from "./ts-types.js";

/**
 * Writes generated files (`GuestBindings.files`, `HostPackage.files`) under `dir`. Node only, loaded
 * on first call. Files we generated before are replaced; a file there that we did not generate, or
 * a file where a folder must be, is refused with a {@link BindgenError} `OUTPUT_EXISTS` before
 * anything is written, and a failed write is taken back.
 */
export async function writeFiles(dir: string, files: Map<string, string | Uint8Array>): Promise<void> {
  const write = await import("./write.js");
  await write.writeFiles(dir, files);
}
