// WitError: every failure of the WIT front end, with its source position and a rendered snippet.

/** Machine-readable error codes of `WitError`. */
export type WitErrorCode =
  | "WIT_SYNTAX"
  | "WIT_DUPLICATE"
  | "WIT_UNKNOWN"
  | "WIT_CYCLE"
  | "WIT_INVALID"
  | "WIT_PACKAGE"
  | "WIT_IO";

/** A source text and its name, for turning offsets into lines and columns. */
export class SourceFile {
  private lineStarts: number[] | null = null;
  private lastLine = 0;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  private starts(): number[] {
    if (this.lineStarts === null) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    // Positions are mostly asked in source order: try the line of the previous lookup first.
    const last = this.lastLine;
    if (starts[last] <= offset && (last + 1 === starts.length || offset < starts[last + 1]))
      return { line: last + 1, column: offset - starts[last] + 1 };
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
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
    const s = this.span;
    const at = s && { source: s.source, line: this.line!, column: this.column!, length: s.end - s.start };
    return renderDiagnostic(this.message, at, this.hint);
  }
}

/** Where a diagnostic points: a 1-based line and column in a source, and the length of the span. */
export interface DiagnosticAt {
  source: SourceFile;
  line: number;
  column: number;
  length: number;
}

/** The most of a source line a diagnostic shows, and how much of it comes before the span. */
const MAX_SHOWN = 160;
const LEAD_SHOWN = 60;

/**
 * Renders a diagnostic as WIT and WAC errors show it: the message, `--> file:line:column`, the
 * source line with a caret under the span, and `= help: hint`. Without `at`, only the message and
 * the hint. `maskControls` shows control codes and bidi overrides in the source line as U+FFFD, so
 * the line is safe to print (WIT keeps the raw line, as wit-parser does).
 */
export function renderDiagnostic(
  message: string,
  at: DiagnosticAt | null,
  hint: string | null,
  maskControls = false,
): string {
  const out = [message];
  if (at !== null) {
    const { source, line, column, length } = at;
    const raw = source.lineText(line);
    const text = maskControls ? safeLine(raw) : raw;
    const pad = " ".repeat(String(line).length);
    out.push(`${pad}--> ${source.name}:${line}:${column}`);
    out.push(`${pad} |`);
    // A long line (minified WIT, or a binary read as text) is shown as a window around the span.
    let first = 0;
    let end = text.length;
    if (text.length > MAX_SHOWN) {
      first = Math.max(0, Math.min(column - 1 - LEAD_SHOWN, text.length - MAX_SHOWN));
      end = first + MAX_SHOWN;
    }
    const cut = (first > 0 ? "…" : "") + text.slice(first, end) + (end < text.length ? "…" : "");
    out.push(`${line} | ${cut}`);
    // Tabs before the caret are kept, so the caret lines up however wide the terminal shows a tab.
    let indent = first > 0 ? " " : "";
    for (let i = first; i < column - 1; i++) indent += text.charCodeAt(i) === 9 ? "\t" : " ";
    const width = Math.max(1, Math.min(length, end - (column - 1)));
    out.push(`${pad} | ${indent}${"^".repeat(width)}`);
  }
  if (hint) out.push(`  = help: ${hint}`);
  return out.join("\n");
}

/** A source line fit for a terminal: control codes and bidi overrides become U+FFFD, one for one. */
function safeLine(line: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const bad =
      (c < 32 && c !== 9) || (c >= 127 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (bad) {
      out += `${line.slice(from, i)}\ufffd`;
      from = i + 1;
    }
  }
  return from === 0 ? line : out + line.slice(from);
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
