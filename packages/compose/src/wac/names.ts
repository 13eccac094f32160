// Name checks that need no packages: duplicates, undefined names, use before definition, kind of item.

import { didYouMean } from "@wasm-compose/wit";
import type {
  Expr,
  ExternKind,
  FuncAst,
  FuncRefAst,
  Ident,
  InterfaceItemAst,
  Span,
  Statement,
  TypeAst,
  TypeDefAst,
  UseAst,
  UsePath,
  WacDocument,
  WorldItemAst,
} from "./ast.js";
import { SourceText, WacError } from "./errors.js";

type DefKind = "import" | "let" | "interface" | "world" | "type" | "use";

interface Def {
  kind: DefKind;
  span: Span;
}

/**
 * What a reference needs its name to be. Expressions and types accept any item: wac exports types
 * (`export t as "t2"`) and a `let` may alias a type export, so only the resolver can judge them.
 */
type Want = "any" | "interface" | "world";

/** Names local to an interface or world body; they may be used anywhere in the body. */
type LocalScope = Map<string, Span>;

const KIND_NAMES: Record<DefKind, string> = {
  import: "an import",
  let: "a `let` binding",
  interface: "an interface",
  world: "a world",
  type: "a type",
  use: "a type",
};

/**
 * Checks the names of a parsed document without its packages: every name is defined once in its scope,
 * every reference names an item defined above it (WAC is evaluated top-down), `use` and world imports
 * do not name a declared world or type, `include` does not name a declared interface or type, and
 * explicit export names and named `new` arguments are not repeated. Throws the first `WacError`.
 *
 * `source` is the text `doc` was parsed from, for the error snippet.
 */
export function checkWac(doc: WacDocument, source: string): void {
  new NameChecker(new SourceText(doc.filename, source)).document(doc);
}

class NameChecker {
  /** Every top-level definition, first one per name, to tell "defined below" from "not defined". */
  private readonly all = new Map<string, Def>();
  /** Top-level definitions seen so far. */
  private readonly defined = new Map<string, Def>();

  constructor(private readonly source: SourceText) {}

  private fail(code: WacError["code"], message: string, span: Span, hint: string | null = null): never {
    throw new WacError(code, message, this.source, span, hint);
  }

  document(doc: WacDocument): void {
    for (const s of doc.statements)
      for (const [id, kind] of definitions(s))
        if (!this.all.has(id.name)) this.all.set(id.name, { kind, span: id.span });
    const exportNames = new Map<string, Span>();
    for (const s of doc.statements) {
      this.statement(s, exportNames);
      for (const [id, kind] of definitions(s)) this.define(this.defined, id, kind);
    }
  }

  private define(scope: Map<string, Def>, id: Ident, kind: DefKind): void {
    const prev = scope.get(id.name);
    if (prev !== undefined)
      this.fail(
        "WAC_DUPLICATE",
        `\`${id.name}\` is defined more than once`,
        id.span,
        `the first definition is at line ${prev.span.line}, column ${prev.span.column}`,
      );
    scope.set(id.name, { kind, span: id.span });
  }

  private defineLocal(scope: LocalScope, id: Ident, what = "defined"): void {
    const prev = scope.get(id.name);
    if (prev !== undefined)
      this.fail(
        "WAC_DUPLICATE",
        `\`${id.name}\` is ${what} more than once`,
        id.span,
        `the first definition is at line ${prev.line}, column ${prev.column}`,
      );
    scope.set(id.name, id.span);
  }

  /** Checks a reference to a top-level name (or a name of the enclosing body, `local`). */
  private ref(id: Ident, want: Want, local: LocalScope | null = null): void {
    if (want === "any" && local?.has(id.name)) return;
    const def = this.defined.get(id.name);
    if (def === undefined) {
      const later = this.all.get(id.name);
      if (later !== undefined)
        this.fail(
          "WAC_ORDER",
          `\`${id.name}\` is used before it is defined`,
          id.span,
          `it is defined at line ${later.span.line}; WAC is evaluated from top to bottom, so move the definition above this use`,
        );
      const candidates: string[] = [];
      for (const [name, d] of this.defined) if (fits(d.kind, want)) candidates.push(name);
      if (local && want === "any") candidates.push(...local.keys());
      this.fail("WAC_UNKNOWN", `\`${id.name}\` is not defined`, id.span, didYouMean(id.name, candidates));
    }
    if (fits(def.kind, want)) return;
    const expected = want === "interface" ? "an interface" : "a world";
    this.fail("WAC_KIND", `expected ${expected}, found ${KIND_NAMES[def.kind]} \`${id.name}\``, id.span);
  }

  // ---- statements ----------------------------------------------------------------------------

  private statement(s: Statement, exportNames: Map<string, Span>): void {
    switch (s.kind) {
      case "import": {
        const t = s.type;
        if (t.tag === "func") this.func(t.func, null);
        else if (t.tag === "interface") this.interfaceBody(t.items);
        else if (t.tag === "name") this.ref(t.name, "any");
        break;
      }
      case "let":
        this.expr(s.expr);
        break;
      case "export":
        this.expr(s.expr);
        if (s.rename !== null) {
          const prev = exportNames.get(s.rename.name.value);
          if (prev !== undefined)
            this.fail(
              "WAC_DUPLICATE",
              `export name \`${s.rename.name.value}\` is used more than once`,
              s.rename.name.span,
              `it is first used at line ${prev.line}, column ${prev.column}`,
            );
          exportNames.set(s.rename.name.value, s.rename.name.span);
        }
        break;
      case "use":
        this.use(s.use, null);
        break;
      case "interface":
        this.interfaceBody(s.items);
        break;
      case "world":
        this.world(s.items);
        break;
      case "type":
        this.typedef(s.def, null);
        break;
    }
  }

  private expr(e: Expr): void {
    const p = e.primary;
    if (p.tag === "name") this.ref(p.name, "any");
    else if (p.tag === "nested") this.expr(p.expr);
    else {
      if (p.new.component.tag === "local") this.ref(p.new.component.name, "any");
      const named = new Map<string, Span>();
      for (const arg of p.new.args) {
        if (arg.tag === "named") {
          const prev = named.get(arg.name.value);
          if (prev !== undefined)
            this.fail(
              "WAC_DUPLICATE",
              `argument \`${arg.name.value}\` is given more than once`,
              arg.name.span,
              `it is first given at line ${prev.line}, column ${prev.column}`,
            );
          named.set(arg.name.value, arg.name.span);
          this.expr(arg.expr);
        } else if (arg.tag === "inferred" || arg.tag === "spread") this.ref(arg.name, "any");
      }
    }
  }

  private use(u: UseAst, local: LocalScope | null): void {
    this.usePath(u.path, "interface");
    if (local !== null) for (const n of u.names) this.defineLocal(local, n.as ?? n.name);
  }

  private usePath(p: UsePath, want: Want): void {
    if (p.tag === "local") this.ref(p.name, want);
  }

  // ---- interfaces, worlds, types -------------------------------------------------------------

  private interfaceBody(items: InterfaceItemAst[]): void {
    const local: LocalScope = new Map();
    for (const item of items) {
      if (item.tag === "use") this.use(item.use, local);
      else if (item.tag === "type") this.defineLocal(local, item.def.name);
      else this.defineLocal(local, item.name);
    }
    for (const item of items) {
      if (item.tag === "type") this.typedef(item.def, local);
      else if (item.tag === "func") this.funcRef(item.func, local);
    }
  }

  private world(items: WorldItemAst[]): void {
    const local: LocalScope = new Map();
    const imports: LocalScope = new Map();
    const exports: LocalScope = new Map();
    for (const item of items) {
      if (item.tag === "use") this.use(item.use, local);
      else if (item.tag === "type") this.defineLocal(local, item.def.name);
    }
    for (const item of items) {
      switch (item.tag) {
        case "type":
          this.typedef(item.def, local);
          break;
        case "include":
          this.usePath(item.path, "world");
          break;
        case "import":
        case "export":
          if (item.tag === "import") this.defineLocal(imports, externName(item.kind), "imported");
          else this.defineLocal(exports, externName(item.kind), "exported");
          this.extern(item.kind, local);
          break;
        case "use":
          break;
      }
    }
  }

  private extern(k: ExternKind, local: LocalScope): void {
    switch (k.tag) {
      case "interface":
        this.interfaceBody(k.items);
        break;
      case "func":
        this.func(k.func, local);
        break;
      case "ref":
        this.ref(k.ref, "any", local);
        break;
      case "path":
        this.usePath(k.path, "interface");
        break;
    }
  }

  private typedef(def: TypeDefAst, local: LocalScope | null): void {
    const b = def.body;
    switch (b.tag) {
      case "alias":
        this.type(b.type, local);
        break;
      case "func":
        this.func(b.func, local);
        break;
      case "record":
        this.unique(b.fields.map((f) => f.name));
        for (const f of b.fields) this.type(f.type, local);
        break;
      case "variant":
        this.unique(b.cases.map((c) => c.name));
        for (const c of b.cases) if (c.type) this.type(c.type, local);
        break;
      case "flags":
        this.unique(b.flags.map((f) => f.name));
        break;
      case "enum":
        this.unique(b.cases.map((c) => c.name));
        break;
      case "resource": {
        // A resource's methods may refer to the resource itself.
        const inner: LocalScope = new Map(local ?? []);
        inner.set(def.name.name, def.name.span);
        this.unique(b.funcs.map((f) => f.name));
        for (const f of b.funcs) this.func(f.func, inner);
        break;
      }
    }
  }

  /** Fields, cases, flags, methods and parameters: each name once. */
  private unique(ids: Ident[]): void {
    const seen: LocalScope = new Map();
    for (const id of ids) this.defineLocal(seen, id);
  }

  private funcRef(f: FuncRefAst, local: LocalScope | null): void {
    if (f.tag === "name") this.ref(f.name, "any", local);
    else this.func(f.func, local);
  }

  private func(f: FuncAst, local: LocalScope | null): void {
    this.unique(f.params.map((p) => p.name));
    for (const p of f.params) this.type(p.type, local);
    if (f.result) this.type(f.result, local);
  }

  private type(t: TypeAst, local: LocalScope | null): void {
    switch (t.tag) {
      case "prim":
        break;
      case "name":
      case "handle":
        this.ref(t.name, "any", local);
        break;
      case "list":
      case "option":
        this.type(t.elem, local);
        break;
      case "future":
      case "stream":
        if (t.elem) this.type(t.elem, local);
        break;
      case "result":
        if (t.ok) this.type(t.ok, local);
        if (t.err) this.type(t.err, local);
        break;
      case "tuple":
        for (const e of t.types) this.type(e, local);
        break;
    }
  }
}

/** Whether an item of `kind` may be what `want` asks for; imports and lets are judged by the resolver. */
function fits(kind: DefKind, want: Want): boolean {
  if (want === "any" || kind === "import" || kind === "let") return true;
  return kind === want;
}

/** The top-level names a statement defines. */
function definitions(s: Statement): [Ident, DefKind][] {
  switch (s.kind) {
    case "import":
      return [[s.id, "import"]];
    case "let":
      return [[s.id, "let"]];
    case "interface":
      return [[s.name, "interface"]];
    case "world":
      return [[s.name, "world"]];
    case "type":
      return [[s.def.name, "type"]];
    case "use":
      return s.use.names.map((n) => [n.as ?? n.name, "use"]);
    case "export":
      return [];
  }
}

/** The name a world import or export is known by, for duplicate checks. */
function externName(k: ExternKind): Ident {
  if (k.tag !== "path") return k.name;
  if (k.path.tag === "local") return k.path.name;
  return { name: k.path.path.text, span: k.path.path.span };
}
