// Types of plug-oracle-core.mjs for the TypeScript tests.
export function plugOracle(opts: {
  wit: typeof import("@wasm-compose/wit");
  component: { printComponentWit: typeof import("@wasm-compose/component").printComponentWit };
  compose: { plug: typeof import("../src/index.js").plug };
  texts: string[];
  count: number;
  seed: number;
}): Promise<{
  plugged: number;
  skipped: number;
  unused: number;
  failures: { n: number; input: string; iface: string; error: string }[];
}>;
