// WitError: every failure of the WIT front end, with its source position and a rendered snippet.

/** Machine-readable error codes of `WitError`. */
export type WitErrorCode =
  | "E_WIT_SYNTAX"
  | "E_WIT_DUPLICATE"
  | "E_WIT_UNKNOWN"
  | "E_WIT_CYCLE"
  | "E_WIT_INVALID"
  | "E_WIT_PACKAGE"
  | "E_WIT_IO";

/** A source text and its name, for turning offsets into lines and columns. */
export class SourceFile {
  private lineStarts: number[] | null = null;
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    if (this.lineStarts === null) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    this.position(0);
    const starts = this.lineStarts!;
    const start = starts[line - 1] ?? this.text.length;
    let end = line < starts.length ? starts[line] - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}

/** A span in a source file: `[start, end)` UTF-16 offsets. */
export interface Span {
  source: SourceFile;
  start: number;
  end: number;
}

/** An error in WIT input: syntax, resolution or validation. `file`/`line`/`column` locate it when known. */
export class WitError extends Error {
  readonly code: WitErrorCode;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  /** A suggestion such as `did you mean \`foo\`?`, shown by `render()`. */
  readonly hint: string | null;
  private readonly span: Span | null;

  constructor(code: WitErrorCode, message: string, span: Span | null = null, hint: string | null = null) {
    super(message);
    this.name = "WitError";
    this.code = code;
    this.span = span;
    this.hint = hint;
    if (span) {
      const p = span.source.position(span.start);
      this.file = span.source.name;
      this.line = p.line;
      this.column = p.column;
    } else {
      this.file = null;
      this.line = null;
      this.column = null;
    }
  }

  /** The message, the location, the source line with a caret under the span, and the hint. */
  render(): string {
    const out = [this.message];
    if (this.span && this.line !== null && this.column !== null) {
      const { source, start, end } = this.span;
      const text = source.lineText(this.line);
      const gutter = String(this.line).length;
      const pad = " ".repeat(gutter);
      out.push(`${pad}--> ${this.file}:${this.line}:${this.column}`);
      out.push(`${pad} |`);
      out.push(`${this.line} | ${text}`);
      const width = Math.max(1, Math.min(end - start, text.length - (this.column - 1)));
      out.push(`${pad} | ${" ".repeat(this.column - 1)}${"^".repeat(width)}`);
    }
    if (this.hint) out.push(`  = help: ${this.hint}`);
    return out.join("\n");
  }
}

/** The closest candidate to `name` by edit distance, when it is close enough to suggest. */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDist = Math.max(2, Math.ceil(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c, bestDist);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** `did you mean \`x\`?` for the closest candidate, or `null`. */
export function didYouMean(name: string, candidates: Iterable<string>): string | null {
  const c = closestName(name, candidates);
  return c === null ? null : `did you mean \`${c}\`?`;
}
