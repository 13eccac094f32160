// Types of wac-fuzz-core.mjs for the TypeScript tests.
export function wacFuzz(opts: {
  wit: typeof import("@wasm-compose/wit");
  compose: typeof import("../src/index.js");
  count: number;
  seed: number;
}): Promise<{
  cases: number;
  composed: number;
  rejected: number;
  slowest: number;
  failures: { n: number; case: string; input: string; error: string }[];
}>;
