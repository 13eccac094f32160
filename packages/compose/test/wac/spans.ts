// Invariants every parsed document keeps: every node has a span, inside the source, with a line and column
// that match its offset; an identifier's span covers its text.
import type { WacAst } from "@wasm-compose/compose";

type Span = WacAst.Span;

function isSpan(v: unknown): v is Span {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return typeof o.offset === "number" && typeof o.line === "number" && typeof o.column === "number";
}

/** Problems found in the spans of `node` (a document or any part of one), as readable lines. */
export function spanProblems(node: unknown, source: string): string[] {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const problems: string[] = [];
  const visit = (v: unknown, path: string): void => {
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], `${path}[${i}]`);
      return;
    }
    const o = v as Record<string, unknown>;
    if (!isSpan(o.span)) problems.push(`${path}: no span`);
    else {
      const s = o.span;
      if (s.offset < 0 || s.length < 0 || s.offset + s.length > source.length) problems.push(`${path}: out of range`);
      const start = lineStarts[s.line - 1];
      if (start === undefined || start + s.column - 1 !== s.offset) problems.push(`${path}: line/column off`);
      // An identifier's span covers its name, or `%` and its name.
      if (typeof o.name === "string" && Object.keys(o).length === 2) {
        const text = source.slice(s.offset, s.offset + s.length);
        if (text !== o.name && text !== `%${o.name}`)
          problems.push(`${path}: span text \`${text}\` is not \`${o.name}\``);
      }
    }
    // A span-valued field (such as an export's `spread`) is a place, not a node.
    for (const [k, x] of Object.entries(o)) if (k !== "span" && !isSpan(x)) visit(x, `${path}.${k}`);
  };
  visit(node, "doc");
  return problems;
}
