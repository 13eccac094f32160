// WacError: every failure of the WAC front end, with its position, a rendered snippet and a hint.
import { renderDiagnostic, SourceFile } from "@wasm-compose/wit";
import type { Span } from "./ast.js";

/** Machine-readable error codes of `WacError`. */
export type WacErrorCode =
  /** The text is not valid WAC (lexing or parsing). */
  | "WAC_SYNTAX"
  /** A value the grammar accepts but the language does not (a bad version, an empty record). */
  | "WAC_INVALID"
  /** A name is defined twice in the same scope. */
  | "WAC_DUPLICATE"
  /** A name is used but never defined. */
  | "WAC_UNKNOWN"
  /** A name is used before the statement that defines it (WAC is evaluated top-down). */
  | "WAC_ORDER"
  /** A name is used where a declaration of another kind is needed (`use` of a world, `include` of an interface). */
  | "WAC_KIND";

/** A source text and its name; turns offsets into 1-based lines and columns, and spans. */
export class SourceText extends SourceFile {
  /** A span from `start` (inclusive) to `end` (exclusive). */
  span(start: number, end: number): Span {
    const { line, column } = this.position(start);
    return { offset: start, line, column, length: end - start };
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
    const source = this.source instanceof SourceFile ? this.source : new SourceFile(this.source.name, this.source.text);
    const at = { source, line: this.line, column: this.column, length: this.span.length };
    return renderDiagnostic(this.message, at, this.hint, true);
  }
}
