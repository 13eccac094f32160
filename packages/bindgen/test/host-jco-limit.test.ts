// jco's transpile panics on some components it cannot bind (here an exported alias of a handle);
// the host package generator then fails with a BindgenError that names jco, not a wasm trap. (A
// file of its own: after a panic jco's instance cannot be entered again in this process.)
import { componentEmbed, componentNew } from "@bytecodealliance/jco";
import { BindgenError, generateHostPackage } from "@wasm-compose/bindgen";
import { expect, it } from "vitest";

it("reports jco's failure to make the glue as a BindgenError", async () => {
  const wit = `package ex:handles;
interface files {
  resource dir;
  type handle = own<dir>;
  open: func() -> handle;
}
world w { export files; }
`;
  const component = await componentNew(await componentEmbed({ dummy: true, witSource: wit, world: "w" }));
  const failure = await generateHostPackage(component, { name: "handles" }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(BindgenError);
  expect((failure as BindgenError).code).toBe("UNSUPPORTED");
  expect((failure as BindgenError).message).toMatch(/^jco could not make the JS glue for this component: /);
});
