// An import left open that `use`s types of an interface an instance provides: the component model
// cannot express it (pinned below with the validator), so it is an error naming both ways out, and
// both ways out compose into valid components.
import { componentWit, parse, transpile } from "@bytecodealliance/jco";
import { CompositionError, CompositionGraph, plug } from "@wasm-compose/compose";
import { describe, expect, it } from "vitest";
import { componentFromWit } from "./wit-components.js";

const INTERFACES = `
  interface types {
    record thing { id: u32, label: string }
  }

  interface api {
    use types.{thing};
    make: func(id: u32) -> thing;
  }
`;
const socket = () =>
  componentFromWit(
    `package app:main;

package a:b@0.1.0 {${INTERFACES}}

world app-world {
  import a:b/types@0.1.0;
  import a:b/api@0.1.0;
  export run: func() -> u32;
}
`,
    "app-world",
  );
const lib = (exports: string[]) =>
  componentFromWit(
    `package a:b@0.1.0;
${INTERFACES}
world lib-world {
${exports.map((e) => `  export ${e};`).join("\n")}
}
`,
    "lib-world",
  );

function caught(fn: () => unknown): CompositionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompositionError) return e;
    throw e;
  }
  throw new Error("expected a CompositionError");
}

const imports = (wit: string) => [...wit.matchAll(/^\s*import ([^;]+);/gm)].map((m) => m[1]);

describe("an open import that uses types an instance provides", () => {
  it("is an error naming the import, the type and both ways out", async () => {
    const [app, types] = [await socket(), await lib(["types"])];
    const e = caught(() => plug({ name: "app", bytes: app }, [{ name: "types", bytes: types }]));
    expect(e.code).toBe("IMPORT_USES_INSTANCE_TYPE");
    expect(e.details).toEqual({ node: "app", import: "a:b/api@0.1.0" });
    expect(e.message).toBe(
      'import "a:b/api@0.1.0" is left open but uses type `thing` of a:b/types@0.1.0, which an instance inside the composition provides; a component\'s imports can only use imported types, so give "a:b/api@0.1.0" an argument too, or leave a:b/types@0.1.0 open',
    );
  });

  it("composes when both are plugged, or both left open", async () => {
    const app = await socket();
    const plugged = plug({ name: "app", bytes: app }, [{ name: "lib", bytes: await lib(["types", "api"]) }]).bytes;
    await transpile(plugged, { name: "plugged", quiet: true });
    expect(imports(await componentWit(plugged))).toEqual([]);
    const g = new CompositionGraph();
    const a = g.instantiate(g.addComponent(app, { name: "app" }));
    g.export(g.alias(a, "run"));
    const open = g.encode();
    await transpile(open, { name: "open", quiet: true });
    expect(imports(await componentWit(open))).toEqual(["a:b/types@0.1.0", "a:b/api@0.1.0"]);
  });

  it("cannot be encoded: an import typed with a type from an instance inside fails validation", async () => {
    // The encoding one would want: instantiate the provider, alias its type, declare the import
    // with it. The validator refuses any import whose types are not imported.
    const wat = `(component
      (component $lib
        (type $r (record (field "id" u32)))
        (export $e "thing" (type $r))
        (instance $i (export "thing" (type $e)))
        (export "a:b/types@0.1.0" (instance $i)))
      (instance $l (instantiate $lib))
      (alias export $l "a:b/types@0.1.0" (instance $t))
      (alias export $t "thing" (type $thing))
      (import "a:b/api@0.1.0" (instance
        (alias outer 1 $thing (type $th))
        (export "thing" (type (eq $th)))
        (export "make" (func (param "id" u32) (result 0))))))`;
    await expect(transpile(await parse(wat), { name: "alias", quiet: true })).rejects.toThrow(
      /instance not valid to be used as import/,
    );
  });
});
