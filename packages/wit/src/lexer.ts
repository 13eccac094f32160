// Lexer: one pass over a WIT source's char codes into token kinds and offsets, with doc comments attached.
import { type SourceFile, WitError } from "./errors.js";
import { blockCommentEnd, forbiddenChar, lineCommentEnd, type Tokens, tokenDescriber } from "./scan.js";

export type { Tokens } from "./scan.js";

/** Token kinds. Keywords have their own kinds (see `KEYWORDS`). */
export const T = {
  Eof: 0,
  Id: 1,
  ExplicitId: 2,
  Integer: 3,
  Equals: 4,
  Comma: 5,
  Colon: 6,
  Period: 7,
  Semicolon: 8,
  LParen: 9,
  RParen: 10,
  LBrace: 11,
  RBrace: 12,
  Lt: 13,
  Gt: 14,
  RArrow: 15,
  Star: 16,
  At: 17,
  Slash: 18,
  Plus: 19,
  Minus: 20,
  // keywords
  Use: 30,
  Type: 31,
  Func: 32,
  U8: 33,
  U16: 34,
  U32: 35,
  U64: 36,
  S8: 37,
  S16: 38,
  S32: 39,
  S64: 40,
  F32: 41,
  F64: 42,
  Char: 43,
  Record: 44,
  Resource: 45,
  Own: 46,
  Borrow: 47,
  Flags: 48,
  Variant: 49,
  Enum: 50,
  Bool: 51,
  String: 52,
  Option: 53,
  Result: 54,
  Future: 55,
  Stream: 56,
  ErrorContext: 57,
  List: 58,
  Map: 59,
  Underscore: 60,
  As: 61,
  From: 62,
  Static: 63,
  Interface: 64,
  Tuple: 65,
  Import: 66,
  Export: 67,
  World: 68,
  Package: 69,
  Constructor: 70,
  Async: 71,
  Include: 72,
  With: 73,
} as const;

export const KEYWORDS: ReadonlyMap<string, number> = new Map([
  ["use", T.Use],
  ["type", T.Type],
  ["func", T.Func],
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
  ["record", T.Record],
  ["resource", T.Resource],
  ["own", T.Own],
  ["borrow", T.Borrow],
  ["flags", T.Flags],
  ["variant", T.Variant],
  ["enum", T.Enum],
  ["bool", T.Bool],
  ["string", T.String],
  ["option", T.Option],
  ["result", T.Result],
  ["future", T.Future],
  ["stream", T.Stream],
  ["error-context", T.ErrorContext],
  ["list", T.List],
  ["map", T.Map],
  ["_", T.Underscore],
  ["as", T.As],
  ["from", T.From],
  ["static", T.Static],
  ["interface", T.Interface],
  ["tuple", T.Tuple],
  ["import", T.Import],
  ["export", T.Export],
  ["world", T.World],
  ["package", T.Package],
  ["constructor", T.Constructor],
  ["async", T.Async],
  ["include", T.Include],
  ["with", T.With],
]);

/** How a token kind reads in "expected X, found Y" messages. */
export const describeToken = tokenDescriber(
  {
    [T.Eof]: "eof",
    [T.Id]: "an identifier",
    [T.ExplicitId]: "an explicit identifier",
    [T.Integer]: "an integer",
    [T.Equals]: "'='",
    [T.Comma]: "','",
    [T.Colon]: "':'",
    [T.Period]: "'.'",
    [T.Semicolon]: "';'",
    [T.LParen]: "'('",
    [T.RParen]: "')'",
    [T.LBrace]: "'{'",
    [T.RBrace]: "'}'",
    [T.Lt]: "'<'",
    [T.Gt]: "'>'",
    [T.RArrow]: "'->'",
    [T.Star]: "'*'",
    [T.At]: "'@'",
    [T.Slash]: "'/'",
    [T.Plus]: "'+'",
    [T.Minus]: "`-`",
  },
  KEYWORDS,
);

// Keywords bucketed by first char code, so the lexer matches a word in place instead of slicing
// every identifier to look it up.
const KEYWORDS_BY_FIRST: (string[] | undefined)[] = [];
for (const name of KEYWORDS.keys()) (KEYWORDS_BY_FIRST[name.charCodeAt(0)] ??= []).push(name);

/** The kind of the word `text[start, end)`: a keyword's kind, or `T.Id`. */
function wordKind(text: string, start: number, end: number): number {
  const bucket = KEYWORDS_BY_FIRST[text.charCodeAt(start)];
  if (bucket === undefined) return T.Id;
  const len = end - start;
  for (let k = 0; k < bucket.length; k++) {
    const w = bucket[k];
    if (w.length === len && text.startsWith(w, start)) return KEYWORDS.get(w)!;
  }
  return T.Id;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

// ASCII character classes, so the hot loops do a table lookup instead of calls and comparisons.
const ID_START_CLASS = 1;
const ID_CONTINUE_CLASS = 2;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alpha = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (alpha || c === 95) ASCII[c] |= ID_START_CLASS;
  if (alpha || isDigit(c) || c === 95 || c === 45) ASCII[c] |= ID_CONTINUE_CLASS;
}
const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}]/u;

function keylikeStart(c: number, text: string, i: number): boolean {
  if (c < 128) return (ASCII[c] & ID_START_CLASS) !== 0;
  return ID_START.test(String.fromCodePoint(text.codePointAt(i)!));
}

function keylikeContinue(c: number, text: string, i: number): boolean {
  if (c < 128) return (ASCII[c] & ID_CONTINUE_CLASS) !== 0;
  return ID_CONTINUE.test(String.fromCodePoint(text.codePointAt(i)!));
}

function hex(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

// Dispatch classes of chars for the main loop; 0 (every non-ASCII char, among others) takes the
// rare path. The tables cover all UTF-16 code units, so the loop looks a char up without first
// checking its range.
const C_SPACE = 1;
const C_WORD = 2;
const C_DIGIT = 3;
const C_PUNCT = 4;
const CLASS = new Uint8Array(0x10000);
const PUNCT_KIND = new Uint8Array(128);
/** 1 for the ASCII chars that continue an identifier, 0 for the rest (non-ASCII ones take `wordEnd`). */
const WORD_CONTINUE = new Uint8Array(0x10000);
/** 1 for the chars a `//` comment runs over without a check: printable ASCII, tab and CR. */
const COMMENT_PLAIN = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) {
  if (ASCII[c] & ID_START_CLASS) CLASS[c] = C_WORD;
  else if (isDigit(c)) CLASS[c] = C_DIGIT;
  WORD_CONTINUE[c] = ASCII[c] & ID_CONTINUE_CLASS ? 1 : 0;
  COMMENT_PLAIN[c] = (c >= 32 && c < 127) || c === 9 || c === 13 ? 1 : 0;
}
CLASS[32] = CLASS[9] = CLASS[10] = C_SPACE;
for (const [ch, kind] of [
  ["=", T.Equals],
  [",", T.Comma],
  [":", T.Colon],
  [".", T.Period],
  [";", T.Semicolon],
  ["(", T.LParen],
  [")", T.RParen],
  ["{", T.LBrace],
  ["}", T.RBrace],
  ["<", T.Lt],
  [">", T.Gt],
  ["*", T.Star],
  ["@", T.At],
  ["+", T.Plus],
] as const) {
  CLASS[ch.charCodeAt(0)] = C_PUNCT;
  PUNCT_KIND[ch.charCodeAt(0)] = kind;
}

const utf8 = new TextEncoder();

/**
 * The UTF-16 code units of `text` in a typed array, plus a 0 after the last: the lexer reads an
 * element where it would call `charCodeAt`, which costs a call per char in the interpreter (a
 * first call runs mostly there). ASCII text (the usual case) is copied by the native encoder.
 */
function charCodes(text: string): Uint8Array | Uint16Array {
  const n = text.length;
  const bytes = new Uint8Array(n + 1);
  const { read, written } = utf8.encodeInto(text, bytes);
  if (read === n && written === n) return bytes;
  const units = new Uint16Array(n + 1);
  for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
  return units;
}

/**
 * Splits a source into tokens; throws `WitError` at the first lexical error. The loop handles the
 * common tokens in line and leaves comments, errors and non-ASCII text to small helpers: a short
 * loop runs faster in the interpreter and is optimized sooner on a first call.
 */
export function tokenize(source: SourceFile): Tokens {
  const text = source.text;
  const n = text.length;
  const codes = charCodes(text);
  let cap = (n >> 2) + 16;
  let kinds = new Uint8Array(cap);
  let starts = new Uint32Array(cap);
  let ends = new Uint32Array(cap);
  let count = 0;
  const docs = new Map<number, string[]>();
  let pendingDocs: string[] | null = null;

  let i = n > 0 && codes[0] === 0xfeff ? 1 : 0;
  while (i < n) {
    const c = codes[i];
    const cls = CLASS[c];
    if (cls === C_SPACE) {
      i++;
      continue;
    }
    const start = i;
    let kind: number;
    if (cls === C_WORD) {
      // `codes[n]` is 0, which ends the word.
      i++;
      while (WORD_CONTINUE[codes[i]] !== 0) i++;
      if (codes[i] >= 128) i = wordEnd(text, i);
      kind = wordKind(text, start, i);
    } else if (cls === C_PUNCT) {
      kind = PUNCT_KIND[c];
      i++;
    } else if (cls === C_DIGIT) {
      i++;
      while (CLASS[codes[i]] === C_DIGIT) i++;
      kind = T.Integer;
    } else if (c === 45) {
      // '-' or '->'
      if (codes[i + 1] === 62) {
        kind = T.RArrow;
        i += 2;
      } else {
        kind = T.Minus;
        i++;
      }
    } else if (c === 47) {
      // '/': a comment or a slash. Every comment is a doc comment of the item it comes before, plain
      // `//` and `/* */` ones too, as in wit-parser (which the printer then writes as `///`).
      const c2 = codes[i + 1];
      if (c2 === 47) {
        // Plain chars are skipped here; a line break, the end, or a char to check stops the loop.
        i += 2;
        while (COMMENT_PLAIN[codes[i]] !== 0) i++;
        if (i < n && codes[i] !== 10) i = lineCommentEnd(source, i, refuse);
        pendingDocs = addDoc(pendingDocs, text.slice(start, i));
        continue;
      }
      if (c2 === 42) {
        i = blockCommentEnd(source, i, refuse);
        if (i < 0) fail(source, "unterminated block comment", start, start + 2);
        // `/**/` is left out: wit-parser 0.259 panics on it (it takes `/**` for the opening of a doc block).
        if (i - start !== 4 || codes[start + 2] !== 42) pendingDocs = addDoc(pendingDocs, text.slice(start, i));
        continue;
      }
      kind = T.Slash;
      i++;
    } else if (c === 37) {
      // '%': explicit identifier
      i++;
      if (i < n && keylikeStart(codes[i], text, i)) i = wordEnd(text, i + charLen(text, i));
      kind = T.ExplicitId;
    } else if (c === 13) {
      // only as part of a CRLF line break
      if (codes[i + 1] !== 10) fail(source, "unexpected character '\\r'", i);
      i++;
      continue;
    } else if (c >= 128 && keylikeStart(c, text, i)) {
      i = wordEnd(text, i + charLen(text, i));
      kind = T.Id;
    } else {
      return unexpectedChar(source, i);
    }
    if (count === cap) {
      cap *= 2;
      kinds = grow(kinds, new Uint8Array(cap));
      starts = grow(starts, new Uint32Array(cap));
      ends = grow(ends, new Uint32Array(cap));
    }
    if (pendingDocs !== null) {
      docs.set(count, pendingDocs);
      pendingDocs = null;
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = i;
    count++;
  }
  if (count === cap) {
    kinds = grow(kinds, new Uint8Array(cap + 1));
    starts = grow(starts, new Uint32Array(cap + 1));
    ends = grow(ends, new Uint32Array(cap + 1));
  }
  if (pendingDocs !== null) docs.set(count, pendingDocs);
  kinds[count] = T.Eof;
  starts[count] = n;
  ends[count] = n;
  count++;
  return { source, kinds, starts, ends, count, docs };
}

/** Appends a doc comment; a lone one gets an array of exactly one slot (`push` would reserve 17). */
function addDoc(docs: string[] | null, doc: string): string[] {
  if (docs === null) return [doc];
  docs.push(doc);
  return docs;
}

function grow<A extends Uint8Array | Uint32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

/** The end of an identifier whose remaining chars start at `j` (any chars, not only ASCII). */
function wordEnd(text: string, j: number): number {
  const n = text.length;
  while (j < n && keylikeContinue(text.charCodeAt(j), text, j)) j += charLen(text, j);
  return j;
}

function fail(source: SourceFile, msg: string, start: number, end = start + 1): never {
  throw new WitError("WIT_SYNTAX", msg, { source, start, end });
}

/** Throws for a char wit-parser refuses anywhere in a file (see `forbiddenChar`). */
function refuse(source: SourceFile, at: number): never {
  const c = source.text.charCodeAt(at);
  const kind = forbiddenChar(c);
  const what =
    kind === "bidi"
      ? `input contains bidirectional override codepoint '${hex(c)}'`
      : kind === "discouraged"
        ? `codepoint '${hex(c)}' is discouraged by Unicode`
        : `control code '${hex(c)}'`;
  return fail(source, what, at);
}

function unexpectedChar(source: SourceFile, i: number): never {
  const text = source.text;
  if (forbiddenChar(text.charCodeAt(i)) !== null) refuse(source, i);
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  return fail(source, `unexpected character '${ch}'`, i, i + ch.length);
}

function charLen(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}

/** The valid identifiers whose words are all lowercase (see `validateId`). */
const LOWERCASE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Checks a WIT identifier (kebab-case: `-`-separated words, each all lowercase or all uppercase,
 * the first starting with a letter). Returns an error message, or `null` when valid.
 */
export function validateId(id: string): string | null {
  // Most identifiers are all lowercase: one native match instead of a loop over the chars.
  if (LOWERCASE_ID.test(id)) return null;
  if (id.length === 0) return "identifiers must have characters between '-'s";
  let partStart = true;
  let first = true;
  let upper = false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c === 45) {
      if (partStart) return "identifiers must have characters between '-'s";
      partStart = true;
      first = false;
      continue;
    }
    if (partStart) {
      if (c >= 97 && c <= 122) upper = false;
      else if (c >= 65 && c <= 90) upper = true;
      else if (!first && isDigit(c)) {
        // a digit may start a later word; its case is set by its first letter
        let k = i + 1;
        while (k < id.length && isDigit(id.charCodeAt(k))) k++;
        const d = id.charCodeAt(k);
        upper = d >= 65 && d <= 90;
      } else return `invalid character in identifier '${String.fromCodePoint(id.codePointAt(i)!)}'`;
      partStart = false;
      continue;
    }
    const ok = isDigit(c) || (upper ? c >= 65 && c <= 90 : c >= 97 && c <= 122);
    if (!ok) return `invalid character in identifier '${String.fromCodePoint(id.codePointAt(i)!)}'`;
  }
  if (partStart) return "identifiers must have characters between '-'s";
  return null;
}
