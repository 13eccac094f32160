// Lexer: one pass over a WAC source's char codes into token kinds and offsets, doc comments attached.
import {
  blockCommentEnd,
  forbiddenChar,
  lineCommentEnd,
  type Tokens as SourceTokens,
  tokenDescriber,
} from "@wasm-compose/wit";
import { SourceText, WacError } from "./errors.js";

/** Token kinds. Keywords have their own kinds (see `KEYWORDS`). */
export const T = {
  Eof: 0,
  Id: 1,
  ExplicitId: 2,
  String: 3,
  Integer: 4,
  /** The text of a version right after `@`, e.g. `1.2.3-rc.1+b5`. */
  Version: 5,
  Semicolon: 6,
  LBrace: 7,
  RBrace: 8,
  Colon: 9,
  Equals: 10,
  LParen: 11,
  RParen: 12,
  Arrow: 13,
  Lt: 14,
  Gt: 15,
  Underscore: 16,
  LBracket: 17,
  RBracket: 18,
  Dot: 19,
  Ellipsis: 20,
  Comma: 21,
  Slash: 22,
  At: 23,
  // keywords
  Package: 30,
  Targets: 31,
  Import: 32,
  Export: 33,
  Let: 34,
  New: 35,
  Use: 36,
  As: 37,
  With: 38,
  Interface: 39,
  World: 40,
  Include: 41,
  Type: 42,
  Record: 43,
  Variant: 44,
  Enum: 45,
  Flags: 46,
  Resource: 47,
  Func: 48,
  Static: 49,
  Constructor: 50,
  Async: 51,
  Tuple: 52,
  List: 53,
  Option: 54,
  Result: 55,
  Borrow: 56,
  Own: 57,
  Future: 58,
  Stream: 59,
  U8: 60,
  U16: 61,
  U32: 62,
  U64: 63,
  S8: 64,
  S16: 65,
  S32: 66,
  S64: 67,
  F32: 68,
  F64: 69,
  Char: 70,
  Bool: 71,
  StringType: 72,
  ErrorContext: 73,
} as const;

export const KEYWORDS: ReadonlyMap<string, number> = new Map([
  ["package", T.Package],
  ["targets", T.Targets],
  ["import", T.Import],
  ["export", T.Export],
  ["let", T.Let],
  ["new", T.New],
  ["use", T.Use],
  ["as", T.As],
  ["with", T.With],
  ["interface", T.Interface],
  ["world", T.World],
  ["include", T.Include],
  ["type", T.Type],
  ["record", T.Record],
  ["variant", T.Variant],
  ["enum", T.Enum],
  ["flags", T.Flags],
  ["resource", T.Resource],
  ["func", T.Func],
  ["static", T.Static],
  ["constructor", T.Constructor],
  ["async", T.Async],
  ["tuple", T.Tuple],
  ["list", T.List],
  ["option", T.Option],
  ["result", T.Result],
  ["borrow", T.Borrow],
  ["own", T.Own],
  ["future", T.Future],
  ["stream", T.Stream],
  ["u8", T.U8],
  ["u16", T.U16],
  ["u32", T.U32],
  ["u64", T.U64],
  ["s8", T.S8],
  ["s16", T.S16],
  ["s32", T.S32],
  ["s64", T.S64],
  ["f32", T.F32],
  ["f64", T.F64],
  ["char", T.Char],
  ["bool", T.Bool],
  ["string", T.StringType],
  ["error-context", T.ErrorContext],
]);

/** How a token kind reads in "expected X, found Y" messages. */
export const describeToken = tokenDescriber(
  {
    [T.Eof]: "end of input",
    [T.Id]: "an identifier",
    [T.ExplicitId]: "an identifier",
    [T.String]: "a string",
    [T.Integer]: "an integer",
    [T.Version]: "a version",
    [T.Semicolon]: "`;`",
    [T.LBrace]: "`{`",
    [T.RBrace]: "`}`",
    [T.Colon]: "`:`",
    [T.Equals]: "`=`",
    [T.LParen]: "`(`",
    [T.RParen]: "`)`",
    [T.Arrow]: "`->`",
    [T.Lt]: "`<`",
    [T.Gt]: "`>`",
    [T.Underscore]: "`_`",
    [T.LBracket]: "`[`",
    [T.RBracket]: "`]`",
    [T.Dot]: "`.`",
    [T.Ellipsis]: "`...`",
    [T.Comma]: "`,`",
    [T.Slash]: "`/`",
    [T.At]: "`@`",
  },
  KEYWORDS,
);

/** The tokens of one source, as parallel arrays. */
export type Tokens = SourceTokens<SourceText>;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLower = (c: number) => c >= 97 && c <= 122;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isAlpha = (c: number) => isLower(c) || isUpper(c);
/** Characters a version may hold after `@` (semver: alphanumerics, `.`, `-`, `+`). */
const isVersionChar = (c: number) => isAlpha(c) || isDigit(c) || c === 45 || c === 46 || c === 43;

/** Throws for a code point refused anywhere in a source (see `forbiddenChar`). */
function refuse(source: SourceText, at: number): never {
  const c = source.text.charCodeAt(at);
  const kind = forbiddenChar(c);
  const code = `\`\\u{${c.toString(16)}}\``;
  const message =
    kind === "discouraged"
      ? `codepoint ${code} is discouraged by Unicode`
      : `disallowed ${kind === "bidi" ? "bidirectional override codepoint" : "control code"} ${code}`;
  throw new WacError("WAC_SYNTAX", message, source, source.span(at, at + 1));
}

/** Splits a source into tokens; throws `WacError` at the first lexical error. */
export function tokenize(name: string, text: string): Tokens {
  const n = text.length;
  const source = new SourceText(name, text);
  let cap = Math.max(16, n >> 2);
  let kinds = new Uint8Array(cap);
  let starts = new Uint32Array(cap);
  let ends = new Uint32Array(cap);
  let count = 0;
  const docs = new Map<number, string[]>();
  let pendingDocs: string[] | null = null;

  const fail = (msg: string, start: number, end = start + 1, hint: string | null = null): never => {
    throw new WacError("WAC_SYNTAX", msg, source, source.span(start, Math.min(end, n)), hint);
  };
  const push = (kind: number, start: number, end: number) => {
    if (count === cap) {
      cap *= 2;
      const k = new Uint8Array(cap);
      k.set(kinds);
      kinds = k;
      const s = new Uint32Array(cap);
      s.set(starts);
      starts = s;
      const e = new Uint32Array(cap);
      e.set(ends);
      ends = e;
    }
    if (pendingDocs !== null) {
      docs.set(count, pendingDocs);
      pendingDocs = null;
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  };
  let i = 0;
  if (n > 0 && text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    switch (c) {
      case 10:
      case 32:
      case 9:
      case 13:
        i++;
        continue;
      case 47: {
        // '/'
        const c2 = text.charCodeAt(i + 1);
        if (c2 === 47) {
          const j = lineCommentEnd(source, i + 2, refuse);
          if (text.charCodeAt(i + 2) === 47 && text.charCodeAt(i + 3) !== 47)
            (pendingDocs ??= []).push(text.slice(i, j));
          i = j;
          continue;
        }
        if (c2 === 42) {
          const j = blockCommentEnd(source, i, refuse);
          if (j < 0) fail("unterminated block comment", start, start + 2);
          // `/** ... */` is a doc comment; `/**/` and `/*** ... */` are not.
          if (text.charCodeAt(i + 2) === 42 && text.charCodeAt(i + 3) !== 42 && j - i > 4)
            (pendingDocs ??= []).push(text.slice(i, j));
          i = j;
          continue;
        }
        push(T.Slash, i, ++i);
        continue;
      }
      case 59:
        push(T.Semicolon, i, ++i);
        continue;
      case 123:
        push(T.LBrace, i, ++i);
        continue;
      case 125:
        push(T.RBrace, i, ++i);
        continue;
      case 58:
        push(T.Colon, i, ++i);
        continue;
      case 61:
        push(T.Equals, i, ++i);
        continue;
      case 40:
        push(T.LParen, i, ++i);
        continue;
      case 41:
        push(T.RParen, i, ++i);
        continue;
      case 60:
        push(T.Lt, i, ++i);
        continue;
      case 62:
        push(T.Gt, i, ++i);
        continue;
      case 91:
        push(T.LBracket, i, ++i);
        continue;
      case 93:
        push(T.RBracket, i, ++i);
        continue;
      case 44:
        push(T.Comma, i, ++i);
        continue;
      case 46:
        if (text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46) {
          push(T.Ellipsis, i, i + 3);
          i += 3;
        } else push(T.Dot, i, ++i);
        continue;
      case 45:
        if (text.charCodeAt(i + 1) === 62) {
          push(T.Arrow, i, i + 2);
          i += 2;
          continue;
        }
        break;
      case 64: {
        // '@' and the version right after it, as one token each.
        push(T.At, i, ++i);
        let j = i;
        for (;;) {
          const d = text.charCodeAt(j);
          if (j >= n || !isVersionChar(d)) break;
          // A `.` ends the version unless a version character follows: `use a:b/c@1.0.0.{x}`.
          if (d === 46 && !(isAlpha(text.charCodeAt(j + 1)) || isDigit(text.charCodeAt(j + 1)))) break;
          j++;
        }
        if (j > i) push(T.Version, i, j);
        i = j;
        continue;
      }
      case 34: {
        // '"': strings have no escapes and stay on one line.
        let j = i + 1;
        for (;;) {
          if (j >= n || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13)
            fail("unterminated string", start, j, 'a string ends with `"` on the same line');
          const d = text.charCodeAt(j);
          if (d === 34) break;
          if (forbiddenChar(d) !== null) refuse(source, j);
          j++;
        }
        push(T.String, i, j + 1);
        i = j + 1;
        continue;
      }
      case 95:
        if (!isAlpha(text.charCodeAt(i + 1)) && !isDigit(text.charCodeAt(i + 1))) {
          push(T.Underscore, i, ++i);
          continue;
        }
        break;
      case 37: {
        // '%': an identifier that may spell a keyword
        if (!isAlpha(text.charCodeAt(i + 1))) fail("expected an identifier after `%`", start);
        const j = identEnd(i + 1);
        push(T.ExplicitId, i, j);
        i = j;
        continue;
      }
      default:
        break;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      push(T.Integer, i, j);
      i = j;
      continue;
    }
    if (isAlpha(c)) {
      const j = identEnd(i);
      push(KEYWORDS.get(text.slice(i, j)) ?? T.Id, i, j);
      i = j;
      continue;
    }
    if (forbiddenChar(c) !== null) refuse(source, i);
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    fail(`unexpected character \`${ch}\``, i, i + ch.length);
  }
  push(T.Eof, n, n);
  return { source, kinds, starts, ends, count, docs };

  /**
   * The end of the identifier starting at `from`, checked in the same scan: kebab case, `-`-separated
   * words, each a letter then letters or digits, all lowercase or all uppercase.
   */
  function identEnd(from: number): number {
    let j = from;
    let wordStart = true;
    let upper = false;
    let problem: string | null = null;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === 45) {
        if (text.charCodeAt(j + 1) === 62) break; // `->`
        if (wordStart) problem ??= "empty word";
        wordStart = true;
      } else if (isAlpha(d) || isDigit(d) || d === 95) {
        if (wordStart) {
          if (!isAlpha(d)) problem ??= "a word must start with a letter";
          upper = isUpper(d);
          wordStart = false;
        } else if (d === 95) problem ??= "`_` is not allowed, words are joined with `-`";
        else if (!(isDigit(d) || (upper ? isUpper(d) : isLower(d))))
          problem ??= "a word must be all lowercase or all uppercase";
      } else break;
    }
    if (wordStart && j > from) problem ??= "empty word";
    if (problem !== null)
      fail(
        `invalid identifier \`${text.slice(from, j)}\`: ${problem}`,
        from,
        j,
        problem === "empty word" ? null : "identifiers are kebab-case, e.g. `my-name`",
      );
    return j;
  }
}
