// Types of dts-oracle-core.mjs for the TypeScript tests.
export function dtsOracle(opts: {
  wit: typeof import("@wasm-compose/wit");
  bindgen: typeof import("../src/index.js");
  texts: string[];
  count: number;
  seed: number;
  host?: boolean;
}): Promise<{
  checked: number;
  refused: number;
  failures: { n: number; world: string; input: string; error: string }[];
}>;
