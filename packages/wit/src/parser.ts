// Parser: recursive descent from tokens to the syntax tree of one WIT file (`ast.ts`).
import type {
  Attribute,
  ExternKind,
  FuncAst,
  Ident,
  InterfaceAst,
  InterfaceItemAst,
  NamedDocs,
  PackageFileAst,
  PackageNameAst,
  ResourceFuncAst,
  TypeAst,
  TypeDefAst,
  UseAst,
  UseName,
  UsePath,
  WorldAst,
  WorldItemAst,
} from "./ast.js";
import { didYouMean, type SourceFile, type Span, WitError } from "./errors.js";
import { describeToken, KEYWORDS, T, type Tokens, tokenize, validateId } from "./lexer.js";
import type { PrimitiveType } from "./model.js";
import { keywordNames, TokenCursor } from "./scan.js";
import { isSemver, semverProblem } from "./semver.js";

const PRIMS: Record<number, PrimitiveType> = {
  [T.Bool]: "bool",
  [T.U8]: "u8",
  [T.U16]: "u16",
  [T.U32]: "u32",
  [T.U64]: "u64",
  [T.S8]: "s8",
  [T.S16]: "s16",
  [T.S32]: "s32",
  [T.S64]: "s64",
  [T.F32]: "f32",
  [T.F64]: "f64",
  [T.Char]: "char",
  [T.String]: "string",
  [T.ErrorContext]: "error-context",
};

const MAX_TYPE_DEPTH = 100;

/** Keywords by token kind, for "did you mean" hints. */
const KEYWORD_NAMES = keywordNames(KEYWORDS);
const PACKAGE_ITEM_KEYWORDS = ["world", "interface", "use", "package"];
const TYPE_ITEM_KEYWORDS = ["type", "record", "flags", "variant", "enum", "resource"];
const INTERFACE_ITEM_KEYWORDS = [...TYPE_ITEM_KEYWORDS, "use"];
const GENERIC_TYPE_KEYWORDS = ["list", "option", "result", "tuple", "future", "stream", "borrow", "own", "map"];
const WORLD_ITEM_KEYWORDS = ["import", "export", "include", "use", ...TYPE_ITEM_KEYWORDS];

// Most items have no attributes; they share one empty list.
const NO_ATTRIBUTES: Attribute[] = [];

/** Parses one WIT source into the packages it declares: the file's main package first, then nested ones. */
export function parseFile(source: SourceFile): PackageFileAst[] {
  return new Parser(tokenize(source)).file();
}

class Parser extends TokenCursor {
  /** A stack the list parsers push items on before copying them out (see `take`). */
  private readonly scratch: unknown[] = [];

  constructor(toks: Tokens) {
    super(toks, T.Eof);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private span(from: number, to = from): Span {
    return { source: this.source, start: this.starts[from], end: this.ends[to] };
  }

  private spanFrom(startTok: number): Span {
    return { source: this.source, start: this.starts[startTok], end: this.endFrom(startTok) };
  }

  /** The end offset of the tokens consumed since `startTok`. */
  private endFrom(startTok: number): number {
    return this.ends[Math.max(startTok, this.pos - 1)];
  }

  private expect(kind: number): number {
    if (this.kinds[this.pos] !== kind) this.unexpected(describeToken(kind), KEYWORD_NAMES[kind]);
    return this.pos++;
  }

  /**
   * Throws "expected X, found Y". A misspelled keyword lexes as an identifier: when the token is
   * one close to one of `keywords`, the error suggests it.
   */
  private unexpected(expected: string, keywords?: string | readonly string[]): never {
    const found = this.kinds[this.pos];
    const hint =
      found === T.Id && keywords !== undefined
        ? didYouMean(this.tokText(this.pos), typeof keywords === "string" ? [keywords] : keywords)
        : null;
    const what = found === T.Id ? `\`${this.tokText(this.pos)}\`` : describeToken(found);
    throw new WitError("WIT_SYNTAX", `expected ${expected}, found ${what}`, this.span(this.pos), hint);
  }

  private id(): Ident {
    const k = this.kinds[this.pos];
    let name: string;
    if (k === T.Id) name = this.tokText(this.pos);
    else if (k === T.ExplicitId) name = this.tokText(this.pos).slice(1);
    else this.unexpected("an identifier or string");
    const ident: Ident = { name, source: this.source, start: this.starts[this.pos], end: this.ends[this.pos] };
    const err = validateId(name);
    if (err !== null) throw new WitError("WIT_SYNTAX", err, ident);
    this.pos++;
    return ident;
  }

  private isId(offset = 0): boolean {
    const k = this.peek(offset);
    return k === T.Id || k === T.ExplicitId;
  }

  /**
   * The items pushed on the scratch stack since `base`, as an array of exactly that size (an array
   * grown by `push` keeps room for 17 or more; most lists here hold a few items).
   */
  private take<R>(base: number): R[] {
    const out = this.scratch.slice(base) as R[];
    this.scratch.length = base;
    return out;
  }

  /** `open item (, item)* ,? close` */
  private list<R>(open: number, close: number, item: () => R): R[] {
    this.expect(open);
    const base = this.scratch.length;
    while (!this.eat(close)) {
      this.scratch.push(item());
      if (!this.eat(T.Comma)) {
        this.expect(close);
        break;
      }
    }
    return this.take(base);
  }

  // ---- files and packages --------------------------------------------------------------------

  file(): PackageFileAst[] {
    const docs = this.docs();
    const attrsStart = this.pos;
    const attrs = this.attributes();
    const main: PackageFileAst = { name: null, docs: null, items: [], nested: false };
    const out = [main];
    if (this.peek() === T.Package && !this.nestedPackageAhead()) {
      if (attrs.length > 0) this.attrsNotAllowed(attrsStart);
      this.pos++;
      main.commented = /\/[/*]/.test(this.text.slice(0, this.starts[0]));
      main.name = this.packageName();
      main.docs = docs;
      this.expect(T.Semicolon);
    } else {
      this.pos = attrsStart;
    }
    this.packageItems(main, T.Eof, out);
    return out;
  }

  private nestedPackageAhead(): boolean {
    // `package a:b@1.2.3 {` — scan to the end of the header.
    let i = this.pos + 1;
    while (i < this.toks.count) {
      const k = this.kinds[i];
      if (k === T.LBrace) return true;
      if (k === T.Semicolon || k === T.Eof) return false;
      i++;
    }
    return false;
  }

  private attrsNotAllowed(at: number): never {
    throw new WitError("WIT_SYNTAX", "attributes are not allowed on package declarations", this.span(at));
  }

  private packageItems(pkg: PackageFileAst, end: number, nestedOut: PackageFileAst[] | null): void {
    while (!this.eat(end)) {
      const docs = this.docs();
      const start = this.pos;
      const attrs = this.attributes();
      switch (this.peek()) {
        case T.Interface:
          pkg.items.push({ tag: "interface", iface: this.interface(docs, attrs) });
          break;
        case T.World:
          pkg.items.push({ tag: "world", world: this.world(docs, attrs) });
          break;
        case T.Use:
          pkg.items.push({ tag: "use", use: this.toplevelUse(attrs) });
          break;
        case T.Package:
          if (nestedOut !== null) {
            if (attrs.length > 0) this.attrsNotAllowed(start);
            this.pos++;
            const name = this.packageName();
            const nested: PackageFileAst = { name, docs, items: [], nested: true };
            this.expect(T.LBrace);
            this.packageItems(nested, T.RBrace, null);
            nestedOut.push(nested);
            break;
          }
          this.unexpected("`world`, `interface` or `use`", PACKAGE_ITEM_KEYWORDS);
          break;
        default:
          this.unexpected("`world`, `interface` or `use`", PACKAGE_ITEM_KEYWORDS);
      }
    }
  }

  private packageName(): PackageNameAst {
    const start = this.pos;
    const namespace = this.id();
    this.expect(T.Colon);
    const name = this.id();
    const version = this.optVersion();
    return { namespace, name, version, span: this.spanFrom(start) };
  }

  private optVersion(): string | null {
    return this.eat(T.At) ? this.version() : null;
  }

  /** After `-` or `+`: the pre-release or build identifiers; returns the offset the version text ends at. */
  private versionSuffix(prefix: number, end: number): number {
    if (!this.eat(prefix)) return end;
    let last = end;
    for (;;) {
      const k = this.peek();
      if (k === T.Id || k === T.Integer || k === T.Minus) last = this.ends[this.pos++];
      else if (k === T.Period && (this.peek(1) === T.Id || this.peek(1) === T.Integer || this.peek(1) === T.Minus))
        // An identifier may start with `-` (`1.0.0-rc.-x` is semver).
        this.pos++;
      else break;
    }
    return last;
  }

  private attributes(): Attribute[] {
    if (this.kinds[this.pos] !== T.At) return NO_ATTRIBUTES;
    const out: Attribute[] = [];
    while (this.peek() === T.At) {
      const start = this.pos++;
      if (this.peek() !== T.Id) this.unexpected("`since`, `unstable` or `deprecated`");
      const which = this.tokText(this.pos);
      this.pos++;
      this.expect(T.LParen);
      if (which === "since" || which === "deprecated") {
        this.keyword("version");
        this.expect(T.Equals);
        const version = this.version();
        this.expect(T.RParen);
        out.push({ tag: which, version, span: this.spanFrom(start) });
      } else if (which === "unstable") {
        this.keyword("feature");
        this.expect(T.Equals);
        const feature = this.id().name;
        this.expect(T.RParen);
        out.push({ tag: "unstable", feature, span: this.spanFrom(start) });
      } else {
        throw new WitError("WIT_SYNTAX", `unknown attribute \`${which}\``, this.span(start, start + 1));
      }
    }
    return out;
  }

  private version(): string {
    const start = this.pos;
    this.expect(T.Integer);
    this.expect(T.Period);
    this.expect(T.Integer);
    this.expect(T.Period);
    let end = this.ends[this.expect(T.Integer)];
    end = this.versionSuffix(T.Minus, end);
    end = this.versionSuffix(T.Plus, end);
    const span: Span = { source: this.source, start: this.starts[start], end };
    const text = this.text.slice(span.start, span.end);
    if (!isSemver(text)) {
      throw new WitError("WIT_SYNTAX", `invalid semver version \`${text}\`: ${semverProblem(text)}`, span);
    }
    return text;
  }

  private keyword(word: string): void {
    if (this.peek() !== T.Id || this.tokText(this.pos) !== word) this.unexpected(`\`${word}\``, word);
    this.pos++;
  }

  /**
   * Throws at a word that can only be a misspelled keyword where it stands (an item's first word
   * not followed by `:`, a type name followed by `<`), when it is close to one of `keywords`.
   */
  private misspelledKeyword(keywords: readonly string[], expected: string): void {
    const word = this.tokText(this.pos);
    const hint = didYouMean(word, keywords);
    if (hint !== null)
      throw new WitError("WIT_SYNTAX", `expected ${expected}, found \`${word}\``, this.span(this.pos), hint);
  }

  // ---- use -----------------------------------------------------------------------------------

  private usePath(): UsePath {
    const start = this.pos;
    const first = this.id();
    if (this.peek() !== T.Colon) return { tag: "local", name: first };
    this.pos++;
    const pkgName = this.id();
    this.expect(T.Slash);
    const name = this.id();
    const version = this.optVersion();
    const span = this.spanFrom(start);
    return { tag: "package", pkg: { namespace: first, name: pkgName, version, span }, name, span };
  }

  private toplevelUse(attrs: Attribute[]) {
    const start = this.expect(T.Use);
    const path = this.usePath();
    let as: Ident | null = null;
    if (this.eat(T.As)) as = this.id();
    this.expect(T.Semicolon);
    return { attrs, path, as, span: this.spanFrom(start) };
  }

  private use(attrs: Attribute[]): UseAst {
    const start = this.expect(T.Use);
    const path = this.usePath();
    this.expect(T.Period);
    const names = this.list<UseName>(T.LBrace, T.RBrace, () => {
      const name = this.id();
      const as = this.eat(T.As) ? this.id() : null;
      return { name, as };
    });
    this.expect(T.Semicolon);
    return { attrs, path, names, span: this.spanFrom(start) };
  }

  // ---- interfaces ----------------------------------------------------------------------------

  private interface(docs: string[] | null, attrs: Attribute[]): InterfaceAst {
    this.expect(T.Interface);
    const name = this.id();
    return { docs, attrs, name, items: this.interfaceBody() };
  }

  private interfaceBody(): InterfaceItemAst[] {
    this.expect(T.LBrace);
    const base = this.scratch.length;
    while (!this.eat(T.RBrace)) {
      const docs = this.docs();
      const attrs = this.attributes();
      const k = this.peek();
      let item: InterfaceItemAst;
      if (k === T.Use) item = { tag: "use", use: this.use(attrs) };
      else if (k === T.Id || k === T.ExplicitId) {
        // `recrd point {`: a misspelled keyword reads as a function's name.
        if (k === T.Id && this.peek(1) !== T.Colon) this.misspelledKeyword(INTERFACE_ITEM_KEYWORDS, "an item");
        const name = this.id();
        this.expect(T.Colon);
        item = { tag: "func", docs, attrs, name, func: this.func() };
        this.expect(T.Semicolon);
      } else {
        const def = this.typedef(docs, attrs);
        if (def === null) this.unexpected("`type`, `resource` or `func`", INTERFACE_ITEM_KEYWORDS);
        item = { tag: "type", def };
      }
      this.scratch.push(item);
    }
    return this.take(base);
  }

  private func(): FuncAst {
    const start = this.pos;
    const isAsync = this.eat(T.Async);
    this.expect(T.Func);
    const params = this.params();
    const result = this.eat(T.RArrow) ? this.type() : null;
    return { async: isAsync, params, result, source: this.source, start: this.starts[start], end: this.endFrom(start) };
  }

  private params(): { name: Ident; type: TypeAst }[] {
    return this.list(T.LParen, T.RParen, () => {
      const name = this.id();
      this.expect(T.Colon);
      return { name, type: this.type() };
    });
  }

  /** A type definition, or `null` when the next token starts none. */
  private typedef(docs: string[] | null, attrs: Attribute[]): TypeDefAst | null {
    switch (this.peek()) {
      case T.Type: {
        this.pos++;
        const name = this.id();
        this.expect(T.Equals);
        const type = this.type();
        this.expect(T.Semicolon);
        return { docs, attrs, name, body: { tag: "alias", type } };
      }
      case T.Record: {
        this.pos++;
        const name = this.id();
        const fields = this.list(T.LBrace, T.RBrace, () => {
          const d = this.docs();
          const n = this.id();
          this.expect(T.Colon);
          return { name: n, docs: d, type: this.type() };
        });
        return { docs, attrs, name, body: { tag: "record", fields } };
      }
      case T.Flags: {
        this.pos++;
        const name = this.id();
        const flags = this.list<NamedDocs>(T.LBrace, T.RBrace, () => ({ docs: this.docs(), name: this.id() }));
        return { docs, attrs, name, body: { tag: "flags", flags } };
      }
      case T.Variant: {
        const start = this.pos++;
        const name = this.id();
        const cases = this.list(T.LBrace, T.RBrace, () => {
          const d = this.docs();
          const n = this.id();
          let type: TypeAst | null = null;
          if (this.eat(T.LParen)) {
            type = this.type();
            this.expect(T.RParen);
          }
          return { name: n, docs: d, type };
        });
        return { docs, attrs, name, body: { tag: "variant", cases, span: this.span(start, start + 1) } };
      }
      case T.Enum: {
        const start = this.pos++;
        const name = this.id();
        const cases = this.list<NamedDocs>(T.LBrace, T.RBrace, () => ({ docs: this.docs(), name: this.id() }));
        return { docs, attrs, name, body: { tag: "enum", cases, span: this.span(start, start + 1) } };
      }
      case T.Resource: {
        this.pos++;
        const name = this.id();
        let funcs: ResourceFuncAst[] = [];
        if (!this.eat(T.Semicolon)) {
          this.expect(T.LBrace);
          const base = this.scratch.length;
          while (!this.eat(T.RBrace)) this.scratch.push(this.resourceFunc());
          funcs = this.take(base);
        }
        return { docs, attrs, name, body: { tag: "resource", funcs } };
      }
      default:
        return null;
    }
  }

  private resourceFunc(): ResourceFuncAst {
    const docs = this.docs();
    const attrs = this.attributes();
    if (this.peek() === T.Constructor) {
      const start = this.pos++;
      const name: Ident = {
        name: "constructor",
        source: this.source,
        start: this.starts[start],
        end: this.ends[start],
      };
      const params = this.params();
      let result: TypeAst | null = null;
      if (this.eat(T.RArrow)) result = this.type();
      this.expect(T.Semicolon);
      return {
        docs,
        attrs,
        kind: "constructor",
        name,
        func: {
          async: false,
          params,
          result,
          source: this.source,
          start: this.starts[start],
          end: this.endFrom(start),
        },
      };
    }
    const name = this.id();
    this.expect(T.Colon);
    const isStatic = this.eat(T.Static);
    const func = this.func();
    this.expect(T.Semicolon);
    return { docs, attrs, kind: isStatic ? "static" : "method", name, func };
  }

  /** wit-parser refuses types nested deeper than this. */
  private typeDepth = 0;

  private type(): TypeAst {
    if (++this.typeDepth > MAX_TYPE_DEPTH)
      throw new WitError("WIT_SYNTAX", "type nesting too deep", this.span(this.pos));
    try {
      return this.typeInner();
    } finally {
      this.typeDepth--;
    }
  }

  private typeInner(): TypeAst {
    const start = this.pos;
    const k = this.peek();
    const prim = PRIMS[k];
    if (prim !== undefined) {
      this.pos++;
      return { tag: "prim", prim, source: this.source, start: this.starts[start], end: this.ends[start] };
    }
    switch (k) {
      case T.Id:
      case T.ExplicitId: {
        // `resul<u32>`: a name takes no `<`.
        if (k === T.Id && this.kinds[this.pos + 1] === T.Lt) this.misspelledKeyword(GENERIC_TYPE_KEYWORDS, "a type");
        const name = this.id();
        return { tag: "name", name, source: this.source, start: name.start, end: name.end };
      }
      case T.List: {
        this.pos++;
        this.expect(T.Lt);
        const elem = this.type();
        let size: number | null = null;
        let sizeSpan: Span | null = null;
        if (this.eat(T.Comma)) {
          const at = this.expect(T.Integer);
          sizeSpan = this.span(at);
          size = Number(this.tokText(at));
          if (!Number.isSafeInteger(size) || size > 0xffffffff)
            throw new WitError("WIT_SYNTAX", "fixed-size list length is too large", sizeSpan);
        }
        this.expect(T.Gt);
        return {
          tag: "list",
          elem,
          size,
          sizeSpan,
          source: this.source,
          start: this.starts[start],
          end: this.endFrom(start),
        };
      }
      case T.Map: {
        this.pos++;
        this.expect(T.Lt);
        const key = this.type();
        this.expect(T.Comma);
        const value = this.type();
        this.expect(T.Gt);
        return { tag: "map", key, value, source: this.source, start: this.starts[start], end: this.endFrom(start) };
      }
      case T.Option: {
        this.pos++;
        this.expect(T.Lt);
        const elem = this.type();
        this.expect(T.Gt);
        return { tag: "option", elem, source: this.source, start: this.starts[start], end: this.endFrom(start) };
      }
      case T.Result: {
        this.pos++;
        let ok: TypeAst | null = null;
        let err: TypeAst | null = null;
        if (this.eat(T.Lt)) {
          if (this.eat(T.Underscore)) {
            this.expect(T.Comma);
            err = this.type();
          } else {
            ok = this.type();
            if (this.eat(T.Comma)) err = this.type();
          }
          this.expect(T.Gt);
        }
        return { tag: "result", ok, err, source: this.source, start: this.starts[start], end: this.endFrom(start) };
      }
      case T.Tuple: {
        this.pos++;
        const types = this.list(T.Lt, T.Gt, () => this.type());
        return { tag: "tuple", types, source: this.source, start: this.starts[start], end: this.endFrom(start) };
      }
      case T.Future:
      case T.Stream: {
        this.pos++;
        let elem: TypeAst | null = null;
        if (this.eat(T.Lt)) {
          elem = this.type();
          this.expect(T.Gt);
        }
        const tag = k === T.Future ? "future" : "stream";
        return { tag, elem, source: this.source, start: this.starts[start], end: this.endFrom(start) };
      }
      case T.Own:
      case T.Borrow: {
        this.pos++;
        this.expect(T.Lt);
        const name = this.id();
        this.expect(T.Gt);
        const handle = k === T.Own ? "own" : "borrow";
        return {
          tag: "handle",
          handle,
          name,
          source: this.source,
          start: this.starts[start],
          end: this.endFrom(start),
        };
      }
      default:
        return this.unexpected("a type");
    }
  }

  // ---- worlds --------------------------------------------------------------------------------

  private world(docs: string[] | null, attrs: Attribute[]): WorldAst {
    this.expect(T.World);
    const name = this.id();
    this.expect(T.LBrace);
    const items: WorldItemAst[] = [];
    while (!this.eat(T.RBrace)) {
      const d = this.docs();
      const a = this.attributes();
      const k = this.peek();
      const start = this.pos;
      if (k === T.Import || k === T.Export) {
        this.pos++;
        const kind = this.extern();
        items.push({ tag: k === T.Import ? "import" : "export", docs: d, attrs: a, kind, span: this.spanFrom(start) });
      } else if (k === T.Use) {
        items.push({ tag: "use", use: this.use(a) });
      } else if (k === T.Include) {
        this.pos++;
        const path = this.usePath();
        let names: { name: Ident; as: Ident }[] = [];
        if (this.eat(T.With)) {
          names = this.list(T.LBrace, T.RBrace, () => {
            const name = this.id();
            this.expect(T.As);
            return { name, as: this.id() };
          });
        } else this.expect(T.Semicolon);
        items.push({ tag: "include", attrs: a, path, names, span: this.spanFrom(start) });
      } else {
        const def = this.typedef(d, a);
        if (def === null)
          this.unexpected("`import`, `export`, `include`, `use`, or type definition", WORLD_ITEM_KEYWORDS);
        items.push({ tag: "type", def });
      }
    }
    return { docs, attrs, name, items };
  }

  private extern(): ExternKind {
    if (this.isId() && this.peek(1) === T.Colon) {
      const after = this.peek(2);
      if (after === T.Func || after === T.Async) {
        const name = this.id();
        this.pos++;
        const func = this.func();
        this.expect(T.Semicolon);
        return { tag: "func", name, func };
      }
      if (after === T.Interface) {
        const name = this.id();
        this.pos += 2;
        return { tag: "interface", name, items: this.interfaceBody() };
      }
      // `x: i;` or `x: ns:pkg/i;` name an interface; `ns:pkg/i;` (a slash after the second
      // identifier) is a package path with no plain name.
      if (this.isId(2) && this.peek(3) !== T.Slash) {
        const name = this.id();
        this.pos++;
        const path = this.usePath();
        this.expect(T.Semicolon);
        return { tag: "named", name, path };
      }
    }
    const path = this.usePath();
    this.expect(T.Semicolon);
    return { tag: "path", path };
  }
}
