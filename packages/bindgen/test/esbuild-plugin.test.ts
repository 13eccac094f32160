// The esbuild plugin on its own: aliases load their generated module, WIT specifiers stay external,
// and other specifiers (node:, relative) are left to esbuild.
import { esbuildPlugin } from "@wasm-compose/bindgen";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ALIAS_JS = 'export { add } from "example:math/arith@0.1.0";\n';

async function bundle(entry: string): Promise<string> {
  const out = await build({
    stdin: { contents: entry, loader: "ts", resolveDir: "/" },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
    plugins: [
      esbuildPlugin({ aliases: [{ name: "math-lib", interfaces: ["example:math/arith@0.1.0"], js: ALIAS_JS }] }),
    ],
  });
  return out.outputFiles[0].text;
}

describe("esbuildPlugin", () => {
  it("turns an alias import into an import of the WIT specifier", async () => {
    const js = await bundle('import { add } from "math-lib";\nconsole.log(add(1, 2));\n');
    expect(js).toMatch(/import \{ add \} from "example:math\/arith@0.1.0";/);
    expect(js).not.toContain('math-lib"');
  });

  it("keeps direct WIT imports, with or without a version, external", async () => {
    const js = await bundle(
      'import { a } from "wasi:cli/environment@0.2.0";\nimport { b } from "local:pkg/iface";\nconsole.log(a, b);\n',
    );
    expect(js).toContain('from "wasi:cli/environment@0.2.0"');
    expect(js).toContain('from "local:pkg/iface"');
  });

  it("leaves node: specifiers to esbuild", async () => {
    const js = await bundle('import { readFile } from "node:fs/promises";\nconsole.log(readFile);\n');
    expect(js).toContain('from "node:fs/promises"');
  });

  it("fails the build for an alias-like name it does not know", async () => {
    await expect(bundle('import { x } from "other-lib";\nconsole.log(x);\n')).rejects.toThrow(/other-lib/);
  });
});
