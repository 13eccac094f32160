// WIT kebab-names to JavaScript names, the way jco spells them at run time.

/** `get-value` → `getValue`. */
export function camelCase(kebab: string): string {
  const parts = kebab.split("-");
  return parts.map((p, i) => (i === 0 ? lowerAcronym(p) : capitalize(p.toLowerCase()))).join("");
}

/** `output-stream` → `OutputStream`. */
export function pascalCase(kebab: string): string {
  return kebab
    .split("-")
    .map((p) => capitalize(p.toLowerCase()))
    .join("");
}

// jco lower-cases an all-caps first word (`HTTP-error` → `httpError`), keeps others as written.
function lowerAcronym(p: string): string {
  return p.toUpperCase() === p ? p.toLowerCase() : p;
}

function capitalize(p: string): string {
  return p.length === 0 ? p : p[0].toUpperCase() + p.slice(1);
}

/** A string literal for generated TypeScript or JavaScript. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** Words TypeScript rejects as declaration names. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "implements interface let package private protected public static yield await"
  ).split(" "),
);

/** True when `name` cannot be declared as-is (`export function delete`). */
export function isReserved(name: string): boolean {
  return RESERVED.has(name);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

/**
 * A file stem for a specifier, unique within one output: `example:text/pattern@0.1.0` →
 * `example-text-pattern`, or `example-text-pattern@0.1.0` with `keepVersion` (for files that
 * outputs for other worlds share, where two versions of one interface may meet).
 */
export function uniqueStem(stems: Map<string, number>, spec: string, keepVersion = false): string {
  const base = (keepVersion ? spec : spec.replace(/@.*$/, "")).replace(/[:/]/g, "-").replace(/[^\w.@+-]/g, "_");
  const n = stems.get(base) ?? 0;
  stems.set(base, n + 1);
  return n === 0 ? base : `${base}-${n + 1}`;
}
