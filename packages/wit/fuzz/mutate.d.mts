// Types of mutate.mjs for the TypeScript tests.
export function rng(seed: number): () => number;
export function corpus(dir: string): string[];
export function mutate(src: string, rand: () => number, corpusTexts: string[]): string;
export function fuzz(opts: {
  parse: (src: string, opts: { allFeatures: boolean }) => unknown;
  isWitError: (e: unknown) => boolean;
  texts: string[];
  count: number;
  seed: number;
  limitMs?: number;
  onAccept?: ((value: unknown, input: string, opts: { allFeatures: boolean }) => void) | null;
}): { accepted: number; rejected: number; failures: { n: number; input: string; error: string }[]; slowest: number };
export function swapWords(src: string, rand: () => number): string;
export function nextInput(texts: string[], rand: () => number): string;
export function pickFeatures(
  input: string,
  rand: () => number,
): {
  ours: { allFeatures?: boolean; features?: string[] };
  jco: { tag: "all" } | { tag: "list"; val: string[] };
  label: string;
};
