// WacError: every failure of the WAC front end, with its position, a rendered snippet and a hint.
import type { Span } from "./ast.js";

/** Machine-readable error codes of `WacError`. */
export type WacErrorCode =
  /** The text is not valid WAC (lexing or parsing). */
  | "E_WAC_SYNTAX"
  /** A value the grammar accepts but the language does not (a bad version, an empty record). */
  | "E_WAC_INVALID"
  /** A name is defined twice in the same scope. */
  | "E_WAC_DUPLICATE"
  /** A name is used but never defined. */
  | "E_WAC_UNKNOWN"
  /** A name is used before the statement that defines it (WAC is evaluated top-down). */
  | "E_WAC_ORDER"
  /** A name is used where a declaration of another kind is needed (`use` of a world, `include` of an interface). */
  | "E_WAC_KIND";

/** A source text and its name; turns offsets into 1-based lines and columns. */
export class SourceText {
  private lineStarts: number[] | null;
  private lastLine = 0;

  constructor(
    readonly name: string,
    readonly text: string,
    lineStarts: number[] | null = null,
  ) {
    this.lineStarts = lineStarts;
  }

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
    // Spans are mostly made in source order: try the line of the previous lookup before searching.
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

  /** A span from `start` (inclusive) to `end` (exclusive). */
  span(start: number, end: number): Span {
    const { line, column } = this.position(start);
    return { offset: start, line, column, length: end - start };
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

/** The text an error points into, and the name to report for it. */
export interface WacSource {
  name: string;
  text: string;
}

/** An error in a WAC document. `file`/`line`/`column` locate it; `render()` shows it with the source line. */
export class WacError extends Error {
  readonly code: WacErrorCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where the error is: offset, line, column and length in the source. */
  readonly span: Span;
  /** A suggestion such as ``did you mean `foo`?``, shown by `render()`. */
  readonly hint: string | null;
  private readonly source: WacSource;

  /**
   * `source` is the document's text and name (a later pass, such as the resolver, passes
   * `{ name: doc.filename, text }`); `span` is a node's span in it.
   */
  constructor(code: WacErrorCode, message: string, source: WacSource, span: Span, hint: string | null = null) {
    super(message);
    this.name = "WacError";
    this.code = code;
    this.source = source;
    this.span = span;
    this.hint = hint;
    this.file = source.name;
    this.line = span.line;
    this.column = span.column;
  }

  /** The message, the location, the source line with a caret under the span, and the hint. */
  render(): string {
    const out = [this.message];
    const source = this.source instanceof SourceText ? this.source : new SourceText(this.source.name, this.source.text);
    const text = safeLine(source.lineText(this.line));
    const gutter = String(this.line).length;
    const pad = " ".repeat(gutter);
    out.push(`${pad}--> ${this.file}:${this.line}:${this.column}`);
    out.push(`${pad} |`);
    out.push(`${this.line} | ${text}`);
    // Tabs before the caret are kept, so the caret lines up however wide the terminal shows a tab.
    let indent = "";
    for (let i = 0; i < this.column - 1; i++) indent += text.charCodeAt(i) === 9 ? "\t" : " ";
    const width = Math.max(1, Math.min(this.span.length, text.length - (this.column - 1)));
    out.push(`${pad} | ${indent}${"^".repeat(width)}`);
    if (this.hint) out.push(`  = help: ${this.hint}`);
    return out.join("\n");
  }
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
