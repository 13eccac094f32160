// WAC statements beyond instantiate-and-wire, on small components made from WIT: one `let`
// instance shared by several instantiations, a whole instance exported, imports typed by their
// declared package path, `targets` checked, and `new` of something that is not a package refused.
import { componentWit, print, transpile } from "@bytecodealliance/jco";
import { composeWac, type WacPackage } from "@wasm-compose/compose";
import { parseWitPackage } from "@wasm-compose/wit";
import { beforeAll, describe, expect, it } from "vitest";
import { componentFromWit } from "./wit-components.js";

const MATH = `package t:math@0.1.0;

interface arith {
  add: func(a: u32, b: u32) -> u32;
}

interface log {
  write: func(msg: string);
}

world lib {
  export arith;
}

world user {
  import arith;
  export run: func() -> u32;
}

world arith-lib {
  export arith;
}

world flat {
  export add: func(a: u32, b: u32) -> u32;
}
`;
const packages = new Map<string, WacPackage>();

beforeAll(async () => {
  packages.set("t:lib", { kind: "component", bytes: await componentFromWit(MATH, "lib") });
  packages.set("t:user", { kind: "component", bytes: await componentFromWit(MATH, "user") });
  packages.set("t:flat", { kind: "component", bytes: await componentFromWit(MATH, "flat") });
  const wit = parseWitPackage(MATH);
  packages.set("t:math", { kind: "wit", resolve: wit.resolve, package: wit.packageId });
});

const compose = (text: string) => composeWac(text, { packages: (n) => packages.get(n) ?? null, filename: "t.wac" });

function wacError(fn: () => unknown): { code: string; message: string; render(): string; line: number } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; render(): string; line: number };
  }
  throw new Error("expected an error");
}

/** The instances the composition creates at its top level (`(instance (;n;) (instantiate ...`). */
const instantiations = (wat: string) => wat.match(/^ {2}\(instance \(;\d+;\) \(instantiate/gm)?.length ?? 0;
const items = (wit: string, dir: "import" | "export") =>
  [...wit.matchAll(new RegExp(`^\\s*${dir} ([^;{]+?)(?:;|: | \\{)`, "gm"))].map((m) => m[1]);

describe("WAC composition statements", () => {
  it("shares one `let` instance between the instantiations it is given to", async () => {
    const { bytes } = compose(`package t:shared;
let lib = new t:lib {};
let a = new t:user { arith: lib.arith };
let b = new t:user { arith: lib.arith };
export a.run as "run-a";
export b.run as "run-b";
`);
    await transpile(bytes, { name: "shared", quiet: true });
    expect(instantiations(await print(bytes))).toBe(3);
    expect(items(await componentWit(bytes), "export")).toEqual(["run-a", "run-b"]);
  });

  it("applies spreads after named arguments, as wac does", () => {
    const { graph } = compose(`package t:s;
let one = new t:lib {};
let two = new t:lib {};
let a = new t:user { ...one, arith: two.arith };
export a.run;
`);
    const [, two, a] = graph.instances;
    expect(a.args.get("t:math/arith@0.1.0")).toEqual({ kind: "export", instance: two.id, name: "t:math/arith@0.1.0" });
    const none = wacError(() => compose("package t:s;\nlet f = new t:flat {};\nlet a = new t:user { ...f };\n"));
    expect(none.message).toBe("`f` exports nothing the instantiation imports");
  });

  it("exports a whole instance under the name given with `as`, and asks for one without", async () => {
    // The instance of a component exporting functions is an instance of those functions: here, one
    // that fits the interface it is exported as.
    const { bytes } = compose(`package t:whole targets t:math/arith-lib@0.1.0;
let flat = new t:flat {};
export flat as "t:math/arith@0.1.0";
`);
    await transpile(bytes, { name: "whole", quiet: true });
    expect(items(await componentWit(bytes), "export")).toEqual(["t:math/arith@0.1.0"]);
    const unnamed = wacError(() => compose("package t:whole;\nlet lib = new t:lib {};\nexport lib;\n"));
    expect(unnamed.message).toBe("exporting the instance `lib` needs a name");
    expect(unnamed.line).toBe(3);
  });

  it("gives a whole instance for an interface import when its exports fit the interface, as wac does", async () => {
    const { bytes, graph } = compose(`package t:inst;
let flat = new t:flat {};
let a = new t:user { arith: flat };
export a.run;
`);
    const [flat, a] = graph.instances;
    expect(a.args.get("t:math/arith@0.1.0")).toEqual({ kind: "instance", instance: flat.id });
    await transpile(bytes, { name: "inst", quiet: true });
    const wat = await print(bytes);
    expect(instantiations(wat)).toBe(2);
    expect(wat).toMatch(/\(with "t:math\/arith@0\.1\.0" \(instance 0\)\)/);
    const wit = await componentWit(bytes);
    expect(items(wit, "import")).toEqual([]);
    expect(items(wit, "export")).toEqual(["run"]);

    // An instance whose exports do not provide the interface's functions is refused, naming what is missing.
    const misfit = wacError(() =>
      compose("package t:s;\nlet lib = new t:lib {};\nlet a = new t:user { arith: lib };\n"),
    );
    expect(misfit.code).toBe("WAC_INVALID");
    expect(misfit.message).toBe(
      'import t:math/arith@0.1.0 > function add: expected an exported function, found none (instance "lib" exports t:math/arith@0.1.0) (instance "a", argument: instance "lib")',
    );
    expect(misfit.line).toBe(3);
  });

  it("writes an import typed by its package path, a function or an interface even when nothing uses it", async () => {
    const { bytes } = compose(`package t:imp;
import log: t:math/log@0.1.0;
import arith: t:math/arith@0.1.0;
let a = new t:user { arith };
export a.run;
`);
    await transpile(bytes, { name: "imp", quiet: true });
    expect(items(await componentWit(bytes), "import")).toEqual(["t:math/log@0.1.0", "t:math/arith@0.1.0"]);
    // A component package's interfaces type imports too.
    const fromComponent = compose("package t:imp;\nimport arith: t:lib/arith;\n");
    expect(items(await componentWit(fromComponent.bytes), "import")).toEqual(["t:math/arith@0.1.0"]);
    const unknown = wacError(() => compose("package t:imp;\nimport x: t:math/nope@0.1.0;\n"));
    expect(unknown.code).toBe("WAC_UNKNOWN");
    expect(unknown.message).toBe("package t:math has no interface `nope`");
    // A function or inline interface import has its own type too, as in wac.
    const own = compose("package t:imp;\nimport f: func();\nimport i: interface { g: func(a: u32) -> u32; };\n");
    const wit = await componentWit(own.bytes);
    expect(items(wit, "import").sort()).toEqual(["f", "i"]);
    expect(wit).toContain("g: func(a: u32) -> u32;");
  });

  it("checks the `targets` world with targets()", () => {
    expect(
      compose("package t:ok targets t:math/arith-lib@0.1.0;\nlet lib = new t:lib {};\nexport lib.arith;\n").targets
        ?.name,
    ).toBe("t:math/arith-lib@0.1.0");
    const e = wacError(() =>
      compose(`package t:bad targets t:math/arith-lib@0.1.0;
let lib = new t:lib {};
let a = new t:user { arith: lib.arith };
export a.run;
`),
    );
    expect(e.message).toBe(
      "the composition does not target t:math/arith-lib@0.1.0: export t:math/arith@0.1.0: required by world arith-lib, not exported",
    );
    expect((e as { cause?: { code?: string } }).cause?.code).toBe("TARGETS_MISMATCH");
    expect(e.line).toBe(1);
  });

  it("refuses `new` of an imported component: only packages are instantiated", () => {
    const e = wacError(() => compose("package t:n;\nimport c: t:math/arith@0.1.0;\nlet x = new c {};\n"));
    expect(e.message).toBe("`new c`: only a package can be instantiated, not an imported component");
    expect(e.line).toBe(3);
  });
});
