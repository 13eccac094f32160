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
  printed: number;
  panics: number;
  allExports: number;
  unencodable: number;
  failures: { n: number; input: string; error: string; world?: string; source?: string; ours?: string }[];
}>;
/** jco's wasm-tools with its synchronous API, instantiated afresh. */
export function loadTools(): Promise<{
  componentEmbed(opts: object): Uint8Array;
  componentNew(bytes: Uint8Array): Uint8Array;
  componentWit(bytes: Uint8Array): string;
  print(bytes: Uint8Array): string;
}>;
