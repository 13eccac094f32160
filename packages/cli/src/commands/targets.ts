// `wasm-compose targets <file.wasm> --wit <path> [--world w]`: checks that a component fits a
// world: it imports only what the world allows and exports everything the world requires. The
// component and the WIT may be package names or references, pulled when no such path exists.

import { componentWorld, isWitPackage, parseComponent } from "@wasm-compose/component";
import { targetProblems } from "@wasm-compose/compose";
import { didYouMean, packageNameToString, WitError } from "@wasm-compose/wit";
import type { CommandRun } from "../commands.js";
import { InputError, UsageError } from "../errors.js";
import { inFile } from "../files.js";
import { loadWitPackage } from "../load-wit.js";
import { pullable, readInput, withPulled } from "../pulled.js";

/** Runs `targets`: exit 0 when the component fits, 1 (with every problem listed) when it does not. */
export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [path] = args;
  if (path === undefined) throw new UsageError("missing <file>: the component to check");
  if (typeof options.wit !== "string")
    throw new UsageError("missing --wit <path>: the WIT file or folder with the world");
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  const { bytes } = await readInput(path, registry, signal, (line) => out.note(line));
  // The WIT too may be a package name (a WIT package published to a registry).
  const wit = options.wit;
  const { resolve, packageId } = (await pullable(wit))
    ? await withPulled(
        wit,
        registry,
        (file) => loadWitPackage(file),
        signal,
        (line) => out.note(line),
      )
    : await loadWitPackage(wit);
  const pkg = resolve.packages[packageId];
  const worlds = pkg.worlds;
  let name = typeof options.world === "string" ? options.world : undefined;
  if (name === undefined) {
    if (worlds.size !== 1) {
      throw new UsageError(
        `package ${packageNameToString(pkg.name)} has ${worlds.size} worlds; choose one with --world (${[...worlds.keys()].join(", ")})`,
      );
    }
    name = [...worlds.keys()][0];
  }
  const world = worlds.get(name);
  if (world === undefined) {
    throw new WitError(
      "WIT_UNKNOWN",
      `world \`${name}\` not found in package \`${packageNameToString(pkg.name)}\``,
      null,
      didYouMean(name, worlds.keys()) ?? `its worlds: ${[...worlds.keys()].join(", ") || "none"}`,
    );
  }
  const problems = inFile(path, () => {
    const binary = parseComponent(bytes);
    if (isWitPackage(binary)) {
      throw new InputError(`${path} is a WIT package, not a component: targets checks a component against a world`);
    }
    return targetProblems(componentWorld(binary), resolve, world);
  });
  // Named as WIT and WAC write a world: `ns:pkg/world@version`.
  const { namespace, name: pkgName, version } = pkg.name;
  const target = `${namespace}:${pkgName}/${name}${version === null ? "" : `@${version}`}`;
  if (problems.length === 0) {
    out.result(`${path} targets ${target}`, { file: path, world: target, fits: true, problems });
    return 0;
  }
  if (out.options.json) out.result("", { file: path, world: target, fits: false, problems });
  else out.error([`${path} does not target ${target}:`, ...problems.map((p) => `  ${p}`)].join("\n"));
  return 1;
};
