// Types of wit-oracle-core.mjs for the TypeScript tests.
export function deepOracle(opts: {
  wit: typeof import("@wasm-compose/wit");
  component: {
    encodeWitPackage: typeof import("../src/index.js").encodeWitPackage;
    printComponentWit: typeof import("../src/index.js").printComponentWit;
  };
  texts: string[];
  count: number;
  seed: number;
}): Promise<{
  compared: number;
  decoded: number;
  panics: number;
  allExports: number;
  unencodable: number;
  failures: { n: number; input: string; error: string; world?: string; source?: string; ours?: string }[];
}>;
