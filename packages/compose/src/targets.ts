// `targets`: checks that a component fits a world: it imports only what the world imports (with
// types the world's can be given to) and exports everything the world exports, i.e. that the
// component's type is a subtype of the world's.
import { type ComponentWorld, componentWorld } from "@wasm-compose/component";
import { dealias, interfaceQualifiedName, type Resolve, type TypeId, type WorldId } from "@wasm-compose/wit";
import { CompositionError } from "./errors.js";
import { checkComponentType, type TypeSide } from "./types/subtype.js";

/** Lists every way the component does not fit the world (empty when it fits). */
export function targetProblems(component: Uint8Array | ComponentWorld, wit: Resolve, world: WorldId): string[] {
  if (wit.worlds[world] === undefined)
    throw new CompositionError("INVALID_INPUT", `no world with id ${world} in this Resolve`);
  const cw = component instanceof Uint8Array ? componentWorld(component) : component;
  const cSide: TypeSide = { resolve: cw.resolve, resourceKey: (r) => resourceKey(cw.resolve, r) };
  const wSide: TypeSide = { resolve: wit, resourceKey: (r) => resourceKey(wit, r) };
  const name = wit.worlds[world].name;
  return checkComponentType(wSide, world, cSide, cw.world).map(({ dir, name: item, problem }) => {
    if (problem === "unexpected") return `import ${item}: not allowed by world ${name}`;
    if (problem === "missing") return `export ${item}: required by world ${name}, not exported`;
    return `${[`${dir} ${item}`, ...problem.path].join(" > ")}: expected ${problem.expected}, found ${problem.found}`;
  });
}

/** Throws a `targets` {@link CompositionError} listing every problem unless the component fits. */
export function targets(component: Uint8Array | ComponentWorld, wit: Resolve, world: WorldId): void {
  const problems = targetProblems(component, wit, world);
  if (problems.length > 0) {
    throw new CompositionError(
      "TARGETS_MISMATCH",
      `the component does not fit world ${wit.worlds[world].name}:\n${problems.map((p) => `  ${p}`).join("\n")}`,
      { problems },
    );
  }
}

/** Between a component and a world, a resource is identified by its interface's name and its own. */
function resourceKey(resolve: Resolve, r: TypeId): string {
  const id = dealias(resolve, r) as TypeId;
  const def = resolve.types[id];
  const owner = def.owner.tag === "interface" ? (interfaceQualifiedName(resolve, def.owner.id) ?? "inline") : "world";
  return `${owner}#${def.name}`;
}
