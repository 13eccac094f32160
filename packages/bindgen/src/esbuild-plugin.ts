// An esbuild plugin for guest code: each alias resolves to its generated alias module, and WIT
// specifiers (`ns:pkg/iface@ver`) stay external, for componentize-js to provide at run time.
// Typed structurally, so this package needs no esbuild dependency.
import type { GuestBindings } from "./guest.js";

/** The part of esbuild's plugin API the plugin uses. */
export interface EsbuildPluginBuild {
  onResolve(
    options: { filter: RegExp; namespace?: string },
    callback: (args: { path: string }) => { path: string; namespace?: string; external?: boolean } | undefined,
  ): void;
  onLoad(
    options: { filter: RegExp; namespace?: string },
    callback: (args: { path: string }) => { contents: string; loader: "js"; resolveDir?: string } | undefined,
  ): void;
}

/** An esbuild plugin (`plugins: [esbuildPlugin(bindings)]`). */
export interface EsbuildPlugin {
  name: string;
  setup(build: EsbuildPluginBuild): void;
}

const NAMESPACE = "wasm-compose-alias";

/** A WIT interface specifier, not a URL scheme such as `node:fs/promises` or `data:`. */
const WIT_SPECIFIER = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*(@[0-9A-Za-z.+-]+)?$/;

/** The plugin for `bindings` (only its aliases are used, so the files need not be written first). */
export function esbuildPlugin(bindings: Pick<GuestBindings, "aliases">): EsbuildPlugin {
  const modules = new Map(bindings.aliases.map((a) => [a.name, a.js]));
  const escaped = [...modules.keys()].map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return {
    name: "wasm-compose-bindings",
    setup(build) {
      if (escaped.length > 0) {
        build.onResolve({ filter: new RegExp(`^(${escaped.join("|")})$`) }, (args) => ({
          path: args.path,
          namespace: NAMESPACE,
        }));
        build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
          const js = modules.get(args.path);
          return js === undefined ? undefined : { contents: js, loader: "js" };
        });
      }
      build.onResolve({ filter: /^[a-z][a-z0-9-]*:/ }, (args) =>
        WIT_SPECIFIER.test(args.path) && !args.path.startsWith("node:")
          ? { path: args.path, external: true }
          : undefined,
      );
    },
  };
}
