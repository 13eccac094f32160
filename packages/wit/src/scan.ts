// Lexer pieces the WIT and WAC lexers share: refused code points, comments, the token arrays, token names.
import type { SourceFile } from "./errors.js";

/** The tokens of one source file, as parallel arrays; `kinds` are the lexer's own token kinds. */
export interface Tokens<S extends SourceFile = SourceFile> {
  source: S;
  kinds: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  count: number;
  /** The comments (every one is a doc comment, as in wit-parser) seen right before token `i`, raw text. */
  docs: Map<number, string[]>;
}

/** Why a code point is refused anywhere in a source (`null`: it is allowed). */
export type ForbiddenChar = "control" | "bidi" | "discouraged";

/** Classifies the code points wit-parser refuses anywhere in a file: controls, bidi overrides, deprecated ones. */
export function forbiddenChar(c: number): ForbiddenChar | null {
  if (c < 32) return c === 9 || c === 10 || c === 13 ? null : "control";
  if (c === 127 || (c >= 0x80 && c <= 0x9f)) return "control";
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return "bidi";
  if (
    c === 0x149 ||
    c === 0x673 ||
    c === 0xf77 ||
    c === 0xf79 ||
    (c >= 0x17a3 && c <= 0x17a4) ||
    c === 0x17b4 ||
    c === 0x17b5
  )
    return "discouraged";
  return null;
}

/** Throws the lexer's error for the refused code point at `at` of `source`. */
export type Refuse<S extends SourceFile> = (source: S, at: number) => never;

/**
 * The offset of the line break ending a `//` comment whose text starts at `j`; calls `bad` with
 * the offset of a refused code point in it.
 */
export function lineCommentEnd<S extends SourceFile>(source: S, j: number, bad: Refuse<S>): number {
  const text = source.text;
  const n = text.length;
  for (; j < n; j++) {
    const d = text.charCodeAt(j);
    if (d === 10) break;
    if ((d < 32 || d >= 127) && forbiddenChar(d) !== null) bad(source, j);
  }
  return j;
}

/**
 * The offset after the (nested) block comment starting at `i`, or -1 when the text ends inside it;
 * calls `bad` with the offset of a refused code point in it.
 */
export function blockCommentEnd<S extends SourceFile>(source: S, i: number, bad: Refuse<S>): number {
  const text = source.text;
  const n = text.length;
  let depth = 1;
  let j = i + 2;
  while (depth > 0) {
    if (j >= n) return -1;
    const d = text.charCodeAt(j);
    if (d === 47 && text.charCodeAt(j + 1) === 42) {
      depth++;
      j += 2;
    } else if (d === 42 && text.charCodeAt(j + 1) === 47) {
      depth--;
      j += 2;
    } else {
      if ((d < 32 || d >= 127) && forbiddenChar(d) !== null) bad(source, j);
      j++;
    }
  }
  return j;
}

/**
 * A `describeToken` for "expected X, found Y" messages: `names` gives how the named kinds read
 * (end of input, identifiers, punctuation); any other kind is a keyword of `keywords`.
 */
export function tokenDescriber(
  names: Record<number, string>,
  keywords: ReadonlyMap<string, number>,
): (kind: number) => string {
  const byKind = keywordNames(keywords);
  return (kind) => names[kind] ?? `keyword \`${byKind[kind]}\``;
}

/** Each keyword's text by its token kind (for messages and "did you mean" hints). */
export function keywordNames(keywords: ReadonlyMap<string, number>): string[] {
  const byKind: string[] = [];
  for (const [name, kind] of keywords) byKind[kind] = name;
  return byKind;
}

/**
 * A parser's place in the tokens of one source, with the reads the WIT and WAC parsers share.
 * Each parser extends it with its own spans, errors and grammar.
 */
export class TokenCursor<S extends SourceFile = SourceFile> {
  protected pos = 0;
  protected readonly kinds: Uint8Array;
  protected readonly starts: Uint32Array;
  protected readonly ends: Uint32Array;
  protected readonly text: string;
  protected readonly source: S;

  /** `eof` is the lexer's end-of-input kind, which `peek` gives past the last token. */
  constructor(
    protected readonly toks: Tokens<S>,
    private readonly eof: number,
  ) {
    this.kinds = toks.kinds;
    this.starts = toks.starts;
    this.ends = toks.ends;
    this.source = toks.source;
    this.text = toks.source.text;
  }

  /** The kind of the token `offset` places ahead. */
  protected peek(offset = 0): number {
    const i = this.pos + offset;
    return i < this.toks.count ? this.kinds[i] : this.eof;
  }

  /** Consumes the current token if it is of `kind`. */
  protected eat(kind: number): boolean {
    if (this.kinds[this.pos] === kind) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** The doc comments right before the current token. */
  protected docs(): string[] | null {
    return this.toks.docs.get(this.pos) ?? null;
  }

  /** The source text of token `i`. */
  protected tokText(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }
}
