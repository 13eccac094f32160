// Parser: recursive descent from tokens to the syntax tree of one WAC document (`ast.ts`).

import { didYouMean, keywordNames, TokenCursor } from "@wasm-compose/wit";
import type {
  ComponentRef,
  ExportStatement,
  Expr,
  ExternKind,
  ExternName,
  FuncAst,
  FuncRefAst,
  Ident,
  ImportStatement,
  ImportType,
  IncludeName,
  InstantiationArg,
  InterfaceItemAst,
  InterfaceStatement,
  LetStatement,
  NamedDocs,
  NewExpr,
  PackageDecl,
  PackageNameAst,
  PackagePathAst,
  ParamAst,
  PostfixExpr,
  PrimaryExpr,
  PrimitiveType,
  ResourceFuncAst,
  Span,
  Statement,
  StringLit,
  TypeAst,
  TypeDefAst,
  TypeDefBodyKind,
  UseAst,
  UseName,
  UsePath,
  VersionAst,
  WacDocument,
  WorldItemAst,
  WorldStatement,
} from "./ast.js";
import { type SourceText, WacError, type WacErrorCode } from "./errors.js";
import { describeToken, KEYWORDS, T, type Tokens, tokenize } from "./lexer.js";
import { checkWac } from "./names.js";

/** Options of `parseWac`. */
export interface ParseWacOptions {
  /** The name errors report for the source (default `<input>.wac`). */
  filename?: string;
  /** Run the name checks of `checkWac` after parsing (default `true`). */
  checkNames?: boolean;
}

/** Parses a WAC document and, unless `checkNames` is `false`, checks its names. Throws `WacError` on invalid input. */
export function parseWac(source: string, opts: ParseWacOptions = {}): WacDocument {
  const filename = opts.filename ?? "<input>.wac";
  const doc = new Parser(tokenize(filename, source)).document(filename);
  if (opts.checkNames !== false) checkWac(doc, source);
  return doc;
}

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
  [T.StringType]: "string",
  [T.ErrorContext]: "error-context",
};

/** Keywords by token kind, for "did you mean" hints on a misspelled one (it lexes as an identifier). */
const KEYWORD_NAMES = keywordNames(KEYWORDS);
const TYPE_KEYWORDS = ["type", "record", "variant", "enum", "flags", "resource"];
const STATEMENT_KEYWORDS = ["import", "let", "export", "use", "interface", "world", ...TYPE_KEYWORDS];
const WORLD_ITEM_KEYWORDS = ["import", "export", "include", "use", ...TYPE_KEYWORDS];

const STATEMENT_START = "`import`, `let`, `export`, `use`, `interface`, `world` or a type declaration";

/**
 * How deep expressions and types may nest. Parsing, name checks and resolution recurse once per
 * level, so a document nested thousands deep would overflow the stack instead of getting an error.
 */
export const MAX_NESTING = 256;

class Parser extends TokenCursor<SourceText> {
  /** How deep the expression or type being parsed is nested. */
  private depth = 0;

  constructor(toks: Tokens) {
    super(toks, T.Eof);
  }

  /** Counts one more level of nesting; refuses the document past {@link MAX_NESTING}. */
  private nest(what: string): void {
    if (++this.depth > MAX_NESTING)
      this.fail("WAC_INVALID", `${what} nest more than ${MAX_NESTING} levels deep`, this.span(this.pos));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private span(tok: number): Span {
    return this.source.span(this.starts[tok], this.ends[tok]);
  }

  /** The span from token `startTok` to the last token consumed. */
  private spanFrom(startTok: number): Span {
    return this.source.span(this.starts[startTok], this.ends[Math.max(startTok, this.pos - 1)]);
  }

  private expect(kind: number, hint: string | null = null): number {
    if (this.kinds[this.pos] !== kind) {
      const word = KEYWORD_NAMES[kind];
      this.unexpected(describeToken(kind), hint ?? (word === undefined ? null : this.misspelled([word])));
    }
    return this.pos++;
  }

  /** "did you mean `let`?" when the current token is an identifier close to one of `keywords`. */
  private misspelled(keywords: readonly string[]): string | null {
    return this.kinds[this.pos] === T.Id ? didYouMean(this.tokText(this.pos), keywords) : null;
  }

  private fail(code: WacErrorCode, message: string, span: Span, hint: string | null = null): never {
    throw new WacError(code, message, this.source, span, hint);
  }

  private unexpected(expected: string, hint: string | null = null): never {
    // At the end of input, point just after the last token rather than at a blank last line.
    const at =
      this.kinds[this.pos] === T.Eof && this.pos > 0
        ? this.source.span(this.ends[this.pos - 1], this.ends[this.pos - 1] + 1)
        : this.span(this.pos);
    return this.fail("WAC_SYNTAX", `expected ${expected}, found ${this.found()}`, at, hint);
  }

  /** The current token as "found Y" reads it: identifiers, strings and integers with their text. */
  private found(): string {
    const k = this.kinds[this.pos];
    const t = this.tokText(this.pos);
    if (k === T.Id || k === T.ExplicitId) return `identifier \`${t}\``;
    if (k === T.String) return `string ${t}`;
    if (k === T.Integer) return `integer \`${t}\``;
    return describeToken(k);
  }

  private isId(offset = 0): boolean {
    const k = this.peek(offset);
    return k === T.Id || k === T.ExplicitId;
  }

  private id(expected = "an identifier"): Ident {
    const k = this.kinds[this.pos];
    if (k !== T.Id && k !== T.ExplicitId) this.unexpected(expected);
    const t = this.tokText(this.pos);
    return { name: k === T.ExplicitId ? t.slice(1) : t, span: this.span(this.pos++) };
  }

  /** A part of a package name or path: keywords are plain words there (`ns:pkg/world`). */
  private pathPart(): Ident {
    const k = this.kinds[this.pos];
    if (k >= T.Package) return { name: this.tokText(this.pos), span: this.span(this.pos++) };
    return this.id();
  }

  private string(): StringLit {
    const at = this.expect(T.String);
    const t = this.tokText(at);
    return { value: t.slice(1, -1), span: this.span(at) };
  }

  /** An identifier or a string, e.g. after `as`. */
  private externName(): ExternName {
    if (this.peek() === T.String) {
      const s = this.string();
      return { kind: "string", value: s.value, span: s.span };
    }
    if (!this.isId()) this.unexpected("an identifier or a string");
    const id = this.id();
    return { kind: "ident", value: id.name, span: id.span };
  }

  /** `open item (, item)* ,? close` */
  private list<R>(open: number, close: number, item: () => R): R[] {
    this.expect(open);
    const out: R[] = [];
    while (!this.eat(close)) {
      out.push(item());
      if (!this.eat(T.Comma)) {
        this.expect(close);
        break;
      }
    }
    return out;
  }

  // ---- document ------------------------------------------------------------------------------

  document(filename: string): WacDocument {
    const pkg = this.packageDecl();
    const statements: Statement[] = [];
    while (this.peek() !== T.Eof) statements.push(this.statement());
    return { filename, package: pkg, statements, span: this.source.span(0, this.text.length) };
  }

  private packageDecl(): PackageDecl {
    const docs = this.docs();
    const start = this.pos;
    this.expect(T.Package, "a WAC document starts with `package ns:name;`");
    const name = this.packageName(true);
    const targets = this.eat(T.Targets) ? this.packagePath() : null;
    this.expect(T.Semicolon);
    return { docs, name, targets, span: this.spanFrom(start) };
  }

  private statement(): Statement {
    switch (this.peek()) {
      case T.Import:
        return this.importStatement();
      case T.Let:
        return this.letStatement();
      case T.Export:
        return this.exportStatement();
      case T.Use: {
        const use = this.use();
        return { kind: "use", use, span: use.span };
      }
      case T.Interface:
        return this.interfaceStatement();
      case T.World:
        return this.worldStatement();
      case T.Package:
        return this.unexpected(STATEMENT_START, "a document has one `package` declaration, at its top");
      default: {
        const start = this.pos;
        const def = this.typedef(this.docs());
        if (def === null) return this.unexpected(STATEMENT_START, this.misspelled(STATEMENT_KEYWORDS));
        return { kind: "type", def, span: this.spanFrom(start) };
      }
    }
  }

  // ---- package names and paths ---------------------------------------------------------------

  /** `ns:pkg` (more `:`-parts allowed) with an `@version` when `withVersion`. */
  private packageName(withVersion: boolean): PackageNameAst {
    const start = this.pos;
    const parts = [this.id("a package name")];
    if (this.peek() === T.Colon) this.adjacent();
    this.expect(T.Colon, "a package name has a namespace: `ns:name`");
    this.adjacent();
    parts.push(this.pathPart());
    while (this.peek() === T.Colon && this.adjacent()) {
      this.pos++;
      this.adjacent();
      parts.push(this.pathPart());
    }
    const version = withVersion && this.peek() === T.At && this.adjacent() ? this.version() : null;
    let name = parts[0].name;
    for (let i = 1; i < parts.length; i++) name += `:${parts[i].name}`;
    return { name, parts, version, span: this.spanFrom(start) };
  }

  /**
   * Checks that the next token touches the previous one: a package name or path is one word, as in
   * wac, so `a: b` and `a:b /c` are not read as one. Returns `true` for use in conditions.
   */
  private adjacent(): boolean {
    if (this.starts[this.pos] !== this.ends[this.pos - 1] && this.kinds[this.pos] !== T.Eof)
      this.fail(
        "WAC_SYNTAX",
        "unexpected space in a package name or path",
        this.source.span(this.ends[this.pos - 1], this.starts[this.pos]),
        "package names and paths are written without spaces: `ns:pkg/item@1.2.3`",
      );
    return true;
  }

  /** `ns:pkg/a/b@1.2.3` */
  private packagePath(): PackagePathAst {
    const start = this.pos;
    const pkg = this.packageName(false);
    if (this.peek() === T.At) {
      const at = this.pos;
      this.version();
      if (this.peek() === T.Slash)
        this.fail(
          "WAC_SYNTAX",
          "expected `/`, found `@`",
          this.span(at),
          "the version of a package path goes at its end: `ns:pkg/item@1.2.3`",
        );
      this.pos = at;
    }
    const segments: Ident[] = [];
    if (this.peek() === T.Slash) this.adjacent();
    this.expect(T.Slash, "a package path names an item of the package: `ns:pkg/item`");
    this.adjacent();
    segments.push(this.pathPart());
    while (this.peek() === T.Slash && this.adjacent()) {
      this.pos++;
      this.adjacent();
      segments.push(this.pathPart());
    }
    if (this.peek() === T.At && this.adjacent()) pkg.version = this.version();
    let text = pkg.name;
    for (const seg of segments) text += `/${seg.name}`;
    if (pkg.version !== null) text += `@${pkg.version.text}`;
    return { package: pkg, segments, text, span: this.spanFrom(start) };
  }

  private version(): VersionAst {
    this.expect(T.At);
    if (this.peek() !== T.Version) this.unexpected("a version");
    const span = this.span(this.pos);
    const text = this.tokText(this.pos++);
    if (!isSemver(text))
      this.fail("WAC_INVALID", `\`${text}\` is not a valid semantic version`, span, "versions look like `1.2.3`");
    return { text, span };
  }

  // ---- import, let, export -------------------------------------------------------------------

  private importStatement(): ImportStatement {
    const docs = this.docs();
    const start = this.expect(T.Import);
    const id = this.id();
    const name = this.eat(T.As) ? this.externName() : null;
    this.expect(T.Colon);
    let type: ImportType;
    const k = this.peek();
    if (k === T.Func || k === T.Async) {
      const func = this.func();
      type = { tag: "func", func, span: func.span };
    } else if (k === T.Interface) {
      const at = this.pos++;
      const items = this.interfaceBody();
      type = { tag: "interface", items, span: this.spanFrom(at) };
    } else if (this.isId() && this.peek(1) === T.Colon) {
      const path = this.packagePath();
      type = { tag: "package", path, span: path.span };
    } else if (this.isId()) {
      const name = this.id();
      type = { tag: "name", name, span: name.span };
    } else return this.unexpected("a package path, `func`, `interface` or a type name");
    this.expect(T.Semicolon);
    return { kind: "import", docs, id, name, type, span: this.spanFrom(start) };
  }

  private letStatement(): LetStatement {
    const docs = this.docs();
    const start = this.expect(T.Let);
    const id = this.id();
    this.expect(T.Equals);
    const expr = this.expr();
    this.expect(T.Semicolon);
    return { kind: "let", docs, id, expr, span: this.spanFrom(start) };
  }

  private exportStatement(): ExportStatement {
    const docs = this.docs();
    const start = this.expect(T.Export);
    if (this.peek() === T.Ellipsis)
      this.unexpected("an expression", "to export every export of an instance, write `export inst...;`");
    const expr = this.expr();
    let spread: Span | null = null;
    if (this.peek() === T.Ellipsis) spread = this.span(this.pos++);
    let rename: ExportStatement["rename"] = null;
    const k = this.peek();
    if (k === T.As || k === T.With) {
      if (spread !== null)
        this.fail(
          "WAC_SYNTAX",
          `expected \`;\`, found ${describeToken(k)}`,
          this.span(this.pos),
          "a spread export keeps the names of the instance's exports; it cannot be renamed",
        );
      const at = this.pos++;
      const name = this.externName();
      rename = { keyword: k === T.As ? "as" : "with", name, span: this.spanFrom(at) };
    }
    this.expect(T.Semicolon);
    return { kind: "export", docs, expr, rename, spread, span: this.spanFrom(start) };
  }

  // ---- expressions ---------------------------------------------------------------------------

  private expr(): Expr {
    this.nest("expressions");
    const start = this.pos;
    const primary = this.primary();
    const postfix: PostfixExpr[] = [];
    for (;;) {
      const k = this.peek();
      if (k === T.Dot) {
        const at = this.pos++;
        const name = this.id("an export name");
        postfix.push({ tag: "access", name, span: this.spanFrom(at) });
      } else if (k === T.LBracket) {
        const at = this.pos++;
        if (this.peek() !== T.String) this.unexpected("a string", 'a named access is written `inst["ns:pkg/name"]`');
        const name = this.string();
        this.expect(T.RBracket);
        postfix.push({ tag: "named-access", name, span: this.spanFrom(at) });
      } else break;
    }
    this.depth--;
    return { primary, postfix, span: this.spanFrom(start) };
  }

  private primary(): PrimaryExpr {
    const start = this.pos;
    switch (this.peek()) {
      case T.New: {
        const n = this.newExpr();
        return { tag: "new", new: n, span: n.span };
      }
      case T.LParen: {
        this.pos++;
        const expr = this.expr();
        this.expect(T.RParen);
        return { tag: "nested", expr, span: this.spanFrom(start) };
      }
      case T.Id:
      case T.ExplicitId: {
        // `nwe ns:pkg { ... }`: a name is never followed by another name.
        const next = this.kinds[this.pos + 1];
        const hint = next === T.Id || next === T.ExplicitId ? this.misspelled(["new"]) : null;
        if (hint !== null) return this.unexpected("an expression (`new`, a name or `(`)", hint);
        const name = this.id();
        return { tag: "name", name, span: name.span };
      }
      default:
        return this.unexpected("an expression (`new`, a name or `(`)");
    }
  }

  private newExpr(): NewExpr {
    const start = this.expect(T.New);
    let component: ComponentRef;
    if (this.isId() && this.peek(1) === T.Colon) {
      const pkg = this.packageName(true);
      component = { tag: "package", package: pkg, span: pkg.span };
    } else if (this.isId()) {
      const name = this.id();
      component = { tag: "local", name, span: name.span };
    } else return this.unexpected("a package name");
    this.expect(T.LBrace);
    const args: InstantiationArg[] = [];
    let fill: Span | null = null;
    while (!this.eat(T.RBrace)) {
      if (fill !== null) this.unexpected("`}`", "`...` (import the arguments not given) must be the last argument");
      const arg = this.instantiationArg();
      if (arg.tag === "fill") fill = arg.span;
      args.push(arg);
      if (!this.eat(T.Comma)) {
        this.expect(T.RBrace);
        break;
      }
    }
    return { component, args, span: this.spanFrom(start) };
  }

  private instantiationArg(): InstantiationArg {
    const start = this.pos;
    const k = this.peek();
    if (k === T.Ellipsis) {
      this.pos++;
      const next = this.peek();
      if (next === T.Comma || next === T.RBrace) return { tag: "fill", span: this.span(start) };
      const name = this.id("an instance name or `}`");
      return { tag: "spread", name, span: this.spanFrom(start) };
    }
    if (k === T.String || (this.isId() && this.peek(1) === T.Colon)) {
      const name = this.externName();
      this.expect(T.Colon);
      const expr = this.expr();
      return { tag: "named", name, expr, span: this.spanFrom(start) };
    }
    if (this.isId()) {
      const name = this.id();
      return { tag: "inferred", name, span: name.span };
    }
    return this.unexpected("an argument (`name`, `name: expr`, `...instance` or `...`) or `}`");
  }

  // ---- use -----------------------------------------------------------------------------------

  private usePath(): UsePath {
    if (this.isId() && this.peek(1) === T.Colon) {
      const path = this.packagePath();
      return { tag: "package", path, span: path.span };
    }
    const name = this.id("an interface name or a package path");
    return { tag: "local", name, span: name.span };
  }

  private use(): UseAst {
    const docs = this.docs();
    const start = this.expect(T.Use);
    const path = this.usePath();
    this.expect(T.Dot, "a `use` names the types it brings in: `use iface.{a, b as c};`");
    const names = this.list<UseName>(T.LBrace, T.RBrace, () => {
      const at = this.pos;
      const name = this.id();
      const as = this.eat(T.As) ? this.id() : null;
      return { name, as, span: this.spanFrom(at) };
    });
    if (names.length === 0) this.fail("WAC_INVALID", "a `use` must name at least one type", this.spanFrom(start));
    this.expect(T.Semicolon);
    return { docs, path, names, span: this.spanFrom(start) };
  }

  // ---- interfaces and worlds -----------------------------------------------------------------

  private interfaceStatement(): InterfaceStatement {
    const docs = this.docs();
    const start = this.expect(T.Interface);
    const name = this.id();
    const items = this.interfaceBody();
    return { kind: "interface", docs, name, items, span: this.spanFrom(start) };
  }

  private interfaceBody(): InterfaceItemAst[] {
    this.expect(T.LBrace);
    const items: InterfaceItemAst[] = [];
    while (!this.eat(T.RBrace)) {
      const docs = this.docs();
      const start = this.pos;
      if (this.peek() === T.Use) {
        const use = this.use();
        items.push({ tag: "use", use, span: use.span });
      } else if (this.isId()) {
        const name = this.id();
        this.expect(T.Colon);
        const func = this.funcRef();
        this.expect(T.Semicolon);
        items.push({ tag: "func", docs, name, func, span: this.spanFrom(start) });
      } else {
        const def = this.typedef(docs);
        if (def === null) {
          return this.unexpected("a function, `use`, a type declaration or `}`", this.misspelled(TYPE_KEYWORDS));
        }
        items.push({ tag: "type", def, span: def.span });
      }
    }
    return items;
  }

  private funcRef(): FuncRefAst {
    if (this.isId()) {
      const name = this.id();
      return { tag: "name", name, span: name.span };
    }
    const func = this.func();
    return { tag: "func", func, span: func.span };
  }

  private worldStatement(): WorldStatement {
    const docs = this.docs();
    const start = this.expect(T.World);
    const name = this.id();
    this.expect(T.LBrace);
    const items: WorldItemAst[] = [];
    while (!this.eat(T.RBrace)) {
      const d = this.docs();
      const k = this.peek();
      const at = this.pos;
      if (k === T.Import || k === T.Export) {
        this.pos++;
        const kind = this.extern();
        items.push({ tag: k === T.Import ? "import" : "export", docs: d, kind, span: this.spanFrom(at) });
      } else if (k === T.Use) {
        const use = this.use();
        items.push({ tag: "use", use, span: use.span });
      } else if (k === T.Include) {
        this.pos++;
        const path = this.usePath();
        let names: IncludeName[] = [];
        if (this.eat(T.With)) {
          names = this.list(T.LBrace, T.RBrace, () => {
            const start = this.pos;
            const name = this.id();
            this.expect(T.As);
            const as = this.id();
            return { name, as, span: this.spanFrom(start) };
          });
        }
        this.expect(T.Semicolon);
        items.push({ tag: "include", docs: d, path, names, span: this.spanFrom(at) });
      } else {
        const def = this.typedef(d);
        if (def === null) {
          return this.unexpected(
            "`import`, `export`, `include`, `use`, a type declaration or `}`",
            this.misspelled(WORLD_ITEM_KEYWORDS),
          );
        }
        items.push({ tag: "type", def, span: def.span });
      }
    }
    return { kind: "world", docs, name, items, span: this.spanFrom(start) };
  }

  private extern(): ExternKind {
    const start = this.pos;
    if (this.isId() && this.peek(1) === T.Colon) {
      const after = this.peek(2);
      if (after === T.Func || after === T.Async) {
        const name = this.id();
        this.pos++;
        const func = this.func();
        this.expect(T.Semicolon);
        return { tag: "func", name, func, span: this.spanFrom(start) };
      }
      if (after === T.Interface) {
        const name = this.id();
        this.pos += 2;
        const items = this.interfaceBody();
        this.eat(T.Semicolon); // WAC writes `;` after an inline interface, WIT does not: both are fine
        return { tag: "interface", name, items, span: this.spanFrom(start) };
      }
      if ((after === T.Id || after === T.ExplicitId) && this.peek(3) === T.Semicolon) {
        const name = this.id();
        this.pos++;
        const ref = this.id();
        this.pos++;
        return { tag: "ref", name, ref, span: this.spanFrom(start) };
      }
    }
    const path = this.usePath();
    this.expect(T.Semicolon);
    return { tag: "path", path, span: this.spanFrom(start) };
  }

  // ---- types ---------------------------------------------------------------------------------

  private func(): FuncAst {
    const start = this.pos;
    const isAsync = this.eat(T.Async);
    this.expect(T.Func, isAsync ? "`async` is followed by `func`" : null);
    const params = this.params();
    let result: TypeAst | null = null;
    if (this.eat(T.Arrow)) {
      if (this.peek() === T.LParen)
        this.unexpected("a type", "a function has at most one result: return a tuple or a record");
      result = this.type();
    }
    return { async: isAsync, params, result, span: this.spanFrom(start) };
  }

  private params(): ParamAst[] {
    return this.list(T.LParen, T.RParen, () => {
      const start = this.pos;
      const name = this.id();
      this.expect(T.Colon);
      const type = this.type();
      return { name, type, span: this.spanFrom(start) };
    });
  }

  /** A type definition, or `null` when the next token starts none. */
  private typedef(docs: string[] | null): TypeDefAst | null {
    const start = this.pos;
    const k = this.peek();
    if (k !== T.Type && k !== T.Record && k !== T.Flags && k !== T.Variant && k !== T.Enum && k !== T.Resource)
      return null;
    this.pos++;
    const name = this.id();
    const bodyStart = this.pos;
    const kind = this.typedefBody(k, name, start);
    return { docs, name, body: { ...kind, span: this.spanFrom(bodyStart) }, span: this.spanFrom(start) };
  }

  private typedefBody(k: number, name: Ident, start: number): TypeDefBodyKind {
    switch (k) {
      case T.Type: {
        this.expect(T.Equals);
        const t = this.peek();
        const body: TypeDefBodyKind =
          t === T.Func || t === T.Async ? { tag: "func", func: this.func() } : { tag: "alias", type: this.type() };
        this.expect(T.Semicolon);
        return body;
      }
      case T.Record: {
        const fields = this.list(T.LBrace, T.RBrace, () => {
          const d = this.docs();
          const at = this.pos;
          const n = this.id();
          this.expect(T.Colon);
          const type = this.type();
          return { name: n, docs: d, type, span: this.spanFrom(at) };
        });
        this.nonEmpty(fields.length, "record", name, "field", start);
        return { tag: "record", fields };
      }
      case T.Flags: {
        const flags = this.list<NamedDocs>(T.LBrace, T.RBrace, () => this.namedDocs());
        this.nonEmpty(flags.length, "flags", name, "flag", start);
        return { tag: "flags", flags };
      }
      case T.Variant: {
        const cases = this.list(T.LBrace, T.RBrace, () => {
          const d = this.docs();
          const at = this.pos;
          const n = this.id();
          let type: TypeAst | null = null;
          if (this.eat(T.LParen)) {
            type = this.type();
            this.expect(T.RParen);
          }
          return { name: n, docs: d, type, span: this.spanFrom(at) };
        });
        this.nonEmpty(cases.length, "variant", name, "case", start);
        return { tag: "variant", cases };
      }
      case T.Enum: {
        const cases = this.list<NamedDocs>(T.LBrace, T.RBrace, () => this.namedDocs());
        this.nonEmpty(cases.length, "enum", name, "case", start);
        return { tag: "enum", cases };
      }
      default: {
        const funcs: ResourceFuncAst[] = [];
        if (!this.eat(T.Semicolon)) {
          this.expect(T.LBrace);
          while (!this.eat(T.RBrace)) funcs.push(this.resourceFunc());
        }
        return { tag: "resource", funcs };
      }
    }
  }

  private namedDocs(): NamedDocs {
    const docs = this.docs();
    const name = this.id();
    return { name, docs, span: name.span };
  }

  private nonEmpty(count: number, what: string, name: Ident, item: string, start: number): void {
    if (count === 0)
      this.fail("WAC_INVALID", `${what} \`${name.name}\` must have at least one ${item}`, this.spanFrom(start));
  }

  private resourceFunc(): ResourceFuncAst {
    const docs = this.docs();
    if (this.peek() === T.Constructor) {
      const start = this.pos++;
      const name: Ident = { name: "constructor", span: this.span(start) };
      const params = this.params();
      let result: TypeAst | null = null;
      if (this.eat(T.Arrow)) result = this.type();
      const func: FuncAst = { async: false, params, result, span: this.spanFrom(start) };
      this.expect(T.Semicolon);
      return { docs, kind: "constructor", name, func, span: this.spanFrom(start) };
    }
    if (!this.isId()) this.unexpected("`constructor`, a method name or `}`");
    const start = this.pos;
    const name = this.id();
    this.expect(T.Colon);
    const isStatic = this.eat(T.Static);
    const func = this.func();
    this.expect(T.Semicolon);
    return { docs, kind: isStatic ? "static" : "method", name, func, span: this.spanFrom(start) };
  }

  private type(): TypeAst {
    this.nest("types");
    const t = this.typeBody();
    this.depth--;
    return t;
  }

  private typeBody(): TypeAst {
    const start = this.pos;
    const k = this.peek();
    const prim = PRIMS[k];
    if (prim !== undefined) {
      this.pos++;
      return { tag: "prim", prim, span: this.span(start) };
    }
    switch (k) {
      case T.Id:
      case T.ExplicitId: {
        const name = this.id();
        return { tag: "name", name, span: name.span };
      }
      case T.List: {
        this.pos++;
        this.expect(T.Lt);
        const elem = this.type();
        let size: number | null = null;
        if (this.eat(T.Comma)) {
          const at = this.expect(T.Integer);
          size = Number(this.tokText(at));
          if (!Number.isSafeInteger(size) || size === 0 || size > 0xffffffff)
            this.fail("WAC_INVALID", "a fixed-size list has a length from 1 to 2^32-1", this.span(at));
        }
        this.expect(T.Gt);
        return { tag: "list", elem, size, span: this.spanFrom(start) };
      }
      case T.Option: {
        this.pos++;
        this.expect(T.Lt);
        const elem = this.type();
        this.expect(T.Gt);
        return { tag: "option", elem, span: this.spanFrom(start) };
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
        return { tag: "result", ok, err, span: this.spanFrom(start) };
      }
      case T.Tuple: {
        this.pos++;
        const types = this.list(T.Lt, T.Gt, () => this.type());
        if (types.length === 0) this.fail("WAC_INVALID", "a tuple must have at least one type", this.spanFrom(start));
        return { tag: "tuple", types, span: this.spanFrom(start) };
      }
      case T.Future:
      case T.Stream: {
        this.pos++;
        let elem: TypeAst | null = null;
        if (this.eat(T.Lt)) {
          elem = this.type();
          this.expect(T.Gt);
        }
        return { tag: k === T.Future ? "future" : "stream", elem, span: this.spanFrom(start) };
      }
      case T.Own:
      case T.Borrow: {
        this.pos++;
        this.expect(T.Lt);
        const name = this.id("a resource name");
        this.expect(T.Gt);
        return { tag: "handle", handle: k === T.Own ? "own" : "borrow", name, span: this.spanFrom(start) };
      }
      default:
        return this.unexpected("a type");
    }
  }
}

// ---- semver --------------------------------------------------------------------------------------

/** Whether `s` is a semantic version: `major.minor.patch`, an optional `-pre.release`, an optional `+build`. */
export function isSemver(s: string): boolean {
  let i = 0;
  const n = s.length;
  for (let part = 0; part < 3; part++) {
    if (part > 0) {
      if (s.charCodeAt(i) !== 46) return false;
      i++;
    }
    const from = i;
    while (i < n && isDigitCode(s.charCodeAt(i))) i++;
    if (i === from || (i - from > 1 && s.charCodeAt(from) === 48)) return false;
  }
  if (i < n && s.charCodeAt(i) === 45) {
    i = identifiers(s, i + 1, true);
    if (i < 0) return false;
  }
  if (i < n && s.charCodeAt(i) === 43) {
    i = identifiers(s, i + 1, false);
    if (i < 0) return false;
  }
  return i === n;
}

const isDigitCode = (c: number) => c >= 48 && c <= 57;

/** Dot-separated non-empty identifiers of `[0-9A-Za-z-]` from `i`; the end offset, or -1 when invalid. */
function identifiers(s: string, i: number, noLeadingZero: boolean): number {
  const n = s.length;
  for (;;) {
    const from = i;
    let numeric = true;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isDigitCode(c)) {
        i++;
        continue;
      }
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45) {
        numeric = false;
        i++;
        continue;
      }
      break;
    }
    if (i === from) return -1;
    if (noLeadingZero && numeric && i - from > 1 && s.charCodeAt(from) === 48) return -1;
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      continue;
    }
    return i;
  }
}
