// An esbuild plugin for guest code: aliases load their generated module, imports componentize-js provides stay external.
import type { GuestBindings } from "./guest.js";

/** The part of esbuild's plugin API the plugin uses (typed structurally: this package needs no esbuild). */
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

/**
 * The plugin for `bindings` (its aliases and imports are used, so the files need not be written
 * first). Without `imports`, only specifiers shaped `ns:pkg/iface` are kept external.
 */
export function esbuildPlugin(
  bindings: Pick<GuestBindings, "aliases"> & Partial<Pick<GuestBindings, "imports">>,
): EsbuildPlugin {
  const modules = new Map(bindings.aliases.map((a) => [a.name, a.js]));
  // Names such as `log` or `greeter` would otherwise be looked up as npm packages.
  const bare = (bindings.imports ?? []).filter((s) => !WIT_SPECIFIER.test(s));
  return {
    name: "wasm-compose-bindings",
    setup(build) {
      if (modules.size > 0) {
        build.onResolve({ filter: exactly([...modules.keys()]) }, (args) => ({
          path: args.path,
          namespace: NAMESPACE,
        }));
        build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
          const js = modules.get(args.path);
          return js === undefined ? undefined : { contents: js, loader: "js" };
        });
      }
      if (bare.length > 0) {
        build.onResolve({ filter: exactly(bare) }, (args) => ({
          path: args.path,
          external: true,
        }));
      }
      build.onResolve({ filter: /^[a-z][a-z0-9-]*:/ }, (args) =>
        WIT_SPECIFIER.test(args.path) && !args.path.startsWith("node:")
          ? { path: args.path, external: true }
          : undefined,
      );
    },
  };
}

/** A filter matching exactly one of `names`. */
function exactly(names: string[]): RegExp {
  return new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
}
