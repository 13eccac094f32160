// Resolves a WAC document (parsed by ./wac/) into a composition graph: `let x = new pkg {...}`
// instantiates, arguments are wired by name (named, inferred, `...inst` spread, `...` fill),
// `.name` and `["name"]` alias exports, `export` exports, `import` names composition imports, and
// `targets` checks the result against a world. Graph errors become span-carrying `WacError`s.
import { decodeWitPackage, isWitPackage, parseComponent } from "@wasm-compose/component";
import type { PackageId, Resolve, WorldId } from "@wasm-compose/wit";
import { type EncodeOptions, encodeGraph } from "./encode.js";
import { CompositionError } from "./errors.js";
import { type ComponentId, CompositionGraph, type InstanceId, type ItemRef } from "./graph.js";
import { parseInterfaceName } from "./names.js";
import { targetProblems } from "./targets.js";
import type { Expr, InstantiationArg, NewExpr, Span, WacDocument } from "./wac/ast.js";
import { WacError, type WacSource } from "./wac/errors.js";
import { parseWac } from "./wac/parser.js";

/** A package a WAC document refers to: a component's bytes, or WIT (for `targets` and type-only packages). */
export type WacPackage =
  | { kind: "component"; bytes: Uint8Array; source?: string | null; version?: string | null }
  | { kind: "wit"; resolve: Resolve; package: PackageId; source?: string | null };

/** Options of {@link composeWac}. */
export interface ComposeWacOptions extends EncodeOptions {
  /** Finds a package by name (`ns:pkg`) and the version written with it, if any; `null` when unknown. */
  packages: (name: string, version: string | null) => WacPackage | null;
  /** Import the instantiated components instead of embedding them. */
  importDependencies?: boolean;
  /** The name errors report for the source (default `<input>.wac`). */
  filename?: string;
}

/** A resolved WAC document: its graph and, when it names one, the world it targets. */
export interface WacComposition {
  doc: WacDocument;
  graph: CompositionGraph;
  targets: { resolve: Resolve; world: WorldId; name: string; span: Span } | null;
}

type Value = { kind: "instance"; id: InstanceId; span: Span } | { kind: "item"; ref: ItemRef; span: Span };

/** Parses and resolves a WAC document, encodes the composition, and checks its `targets` world. */
export function composeWac(source: string, opts: ComposeWacOptions): WacComposition & { bytes: Uint8Array } {
  const doc = parseWac(source, { filename: opts.filename });
  const c = resolveWac(doc, source, opts);
  const src: WacSource = { name: doc.filename, text: source };
  let bytes: Uint8Array;
  try {
    bytes = encodeGraph(c.graph, opts);
  } catch (e) {
    throw toWacError(e, src, doc.span, c);
  }
  if (c.targets !== null) {
    const problems = targetProblems(bytes, c.targets.resolve, c.targets.world);
    if (problems.length > 0) {
      throw new WacError(
        "E_WAC_INVALID",
        `the composition does not target ${c.targets.name}: ${problems.join("; ")}`,
        src,
        c.targets.span,
      );
    }
  }
  return { ...c, bytes };
}

/** Where each instantiation and argument is written, to point graph errors at the source. */
const spans = new WeakMap<CompositionGraph, { instances: Map<string, Span>; args: Map<string, Span> }>();

function toWacError(e: unknown, src: WacSource, fallback: Span, c: WacComposition): unknown {
  if (!(e instanceof CompositionError)) return e;
  const s = spans.get(c.graph);
  const node = e.details.node;
  const span =
    (node !== undefined && e.details.import !== undefined ? s?.args.get(`${node}\0${e.details.import}`) : undefined) ??
    (node !== undefined ? s?.instances.get(node) : undefined) ??
    fallback;
  const err = new WacError("E_WAC_INVALID", e.message, src, span);
  (err as { cause?: unknown }).cause = e;
  return err;
}

/** Resolves a parsed WAC document into a graph (not yet encoded). Throws `WacError`. */
export function resolveWac(doc: WacDocument, source: string, opts: ComposeWacOptions): WacComposition {
  return new WacResolver(doc, { name: doc.filename, text: source }, opts).run();
}

class WacResolver {
  private readonly graph = new CompositionGraph();
  private readonly locals = new Map<string, Value>();
  private readonly components = new Map<string, ComponentId>();
  private readonly where = { instances: new Map<string, Span>(), args: new Map<string, Span>() };

  constructor(
    private readonly doc: WacDocument,
    private readonly src: WacSource,
    private readonly opts: ComposeWacOptions,
  ) {
    spans.set(this.graph, this.where);
  }

  private fail(
    message: string,
    span: Span,
    code: WacError["code"] = "E_WAC_INVALID",
    hint: string | null = null,
  ): never {
    throw new WacError(code, message, this.src, span, hint);
  }

  /** Runs a graph call, turning its error into one at `span`. */
  private at<T>(span: Span, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof CompositionError) {
        const err = new WacError(
          e.code === "unknown-export" ? "E_WAC_UNKNOWN" : "E_WAC_INVALID",
          e.message,
          this.src,
          span,
        );
        (err as { cause?: unknown }).cause = e;
        throw err;
      }
      throw e;
    }
  }

  run(): WacComposition {
    for (const s of this.doc.statements) {
      switch (s.kind) {
        case "import": {
          const name = s.name?.value ?? (s.type.tag === "package" ? s.type.path.text : s.id.name);
          this.locals.set(s.id.name, { kind: "item", ref: this.graph.import(name), span: s.span });
          break;
        }
        case "let":
          this.locals.set(s.id.name, this.expr(s.expr, s.id.name));
          break;
        case "export":
          this.export(s);
          break;
        default:
          // Type, interface, world and use declarations only describe types; the graph takes its
          // types from the components, so they need nothing here.
          break;
      }
    }
    // An import takes its type from the instantiations it is given to; one given to none would
    // be dropped silently, so it is an error.
    const used = new Set(
      this.graph.instances.flatMap((i) => [...i.args.values()].flatMap((a) => (a.kind === "import" ? [a.name] : []))),
    );
    for (const s of this.doc.statements) {
      if (s.kind !== "import") continue;
      const v = this.locals.get(s.id.name);
      if (v?.kind === "item" && v.ref.kind === "import" && !used.has(v.ref.name)) {
        this.fail(
          `import \`${s.id.name}\` is not given to any instantiation`,
          s.id.span,
          "E_WAC_INVALID",
          "use it as an argument, or remove it",
        );
      }
    }
    return { doc: this.doc, graph: this.graph, targets: this.targets() };
  }

  private targets(): WacComposition["targets"] {
    const t = this.doc.package.targets;
    if (t === null) return null;
    const pkg = this.lookup(t.package.name, t.package.version?.text ?? null, t.span);
    let wit: { resolve: Resolve; package: PackageId };
    if (pkg.kind === "wit") wit = pkg;
    else {
      const binary = parseComponent(pkg.bytes);
      if (!isWitPackage(binary)) this.fail(`${t.package.name} is a component, not a WIT package with worlds`, t.span);
      wit = decodeWitPackage(binary);
    }
    const worldName = t.segments.map((x) => x.name).join("/");
    const world = wit.resolve.packages[wit.package].worlds.get(worldName);
    if (world === undefined) {
      const known = [...wit.resolve.packages[wit.package].worlds.keys()];
      this.fail(
        `package ${t.package.name} has no world \`${worldName}\``,
        t.span,
        "E_WAC_UNKNOWN",
        `its worlds: ${known.join(", ") || "none"}`,
      );
    }
    return { resolve: wit.resolve, world, name: t.text, span: t.span };
  }

  private lookup(name: string, version: string | null, span: Span): WacPackage {
    const p = this.opts.packages(name, version);
    if (p === null) {
      this.fail(
        `package \`${version === null ? name : `${name}@${version}`}\` not found`,
        span,
        "E_WAC_UNKNOWN",
        "give it with --dep ns:pkg=path or put it in the deps folder",
      );
    }
    return p;
  }

  private component(n: NewExpr): ComponentId {
    if (n.component.tag === "local") {
      this.fail("instantiating an imported component is not supported; name a package", n.component.span);
    }
    const pkg = n.component.package;
    const version = pkg.version?.text ?? null;
    const key = version === null ? pkg.name : `${pkg.name}@${version}`;
    const known = this.components.get(key);
    if (known !== undefined) return known;
    const p = this.lookup(pkg.name, version, pkg.span);
    if (p.kind !== "component")
      this.fail(`package \`${key}\` is WIT only: it has no component to instantiate`, pkg.span);
    const id = this.at(pkg.span, () =>
      this.graph.addComponent(p.bytes, {
        name: pkg.name,
        version: version ?? p.version ?? null,
        source: p.source ?? null,
        importDependency: this.opts.importDependencies ?? false,
      }),
    );
    this.components.set(key, id);
    return id;
  }

  private expr(e: Expr, letName?: string): Value {
    let v = this.primary(e, letName);
    for (const p of e.postfix) {
      if (v.kind !== "instance") this.fail("only an instance's exports can be accessed", p.span);
      const name = p.tag === "access" ? this.exportName(v.id, p.name.name, p.span) : p.name.value;
      const id = v.id;
      v = { kind: "item", ref: this.at(p.span, () => this.graph.alias(id, name)), span: p.span };
    }
    return v;
  }

  private primary(e: Expr, letName?: string): Value {
    const p = e.primary;
    if (p.tag === "nested") return this.expr(p.expr);
    if (p.tag === "name") {
      const v = this.locals.get(p.name.name);
      if (v === undefined) this.fail(`\`${p.name.name}\` is not defined`, p.name.span, "E_WAC_UNKNOWN");
      return v;
    }
    return { kind: "instance", id: this.instantiate(p.new, letName), span: p.span };
  }

  /** The export an `.name` access means: the exact name, or the one interface export named `name`. */
  private exportName(id: InstanceId, name: string, span: Span): string {
    const exports = [...this.graph.componentOf(id).exports.keys()];
    if (exports.includes(name)) return name;
    const matches = exports.filter((x) => parseInterfaceName(x)?.iface === name);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) this.fail(`\`${name}\` matches several exports: ${matches.join(", ")}`, span);
    this.fail(
      `instance \`${this.graph.instanceName(id)}\` has no export \`${name}\``,
      span,
      "E_WAC_UNKNOWN",
      `its exports: ${exports.join(", ") || "none"}`,
    );
  }

  /** The import an argument name means: the exact name, or the one interface import named `name`. */
  private importName(imports: string[], name: string): string | null {
    if (imports.includes(name)) return name;
    const matches = imports.filter((x) => parseInterfaceName(x)?.iface === name);
    return matches.length === 1 ? matches[0] : null;
  }

  private instantiate(n: NewExpr, letName?: string): InstanceId {
    const cid = this.component(n);
    const fill = n.args.some((a) => a.tag === "fill");
    const id = this.at(n.span, () => this.graph.instantiate(cid, { name: letName, openImports: fill }));
    const instName = this.graph.instanceName(id);
    this.where.instances.set(instName, n.span);
    const imports = [...this.graph.componentOf(id).imports.keys()];
    const given = new Set<string>();
    const set = (imp: string, v: Value, span: Span) => {
      if (given.has(imp)) this.fail(`import \`${imp}\` is given twice`, span, "E_WAC_DUPLICATE");
      given.add(imp);
      if (v.kind === "instance") this.fail(`an instance cannot be an argument; use an export of it (\`.name\`)`, span);
      this.where.args.set(`${instName}\0${imp}`, span);
      this.at(span, () => this.graph.setArgument(id, imp, v.ref));
    };
    for (const a of n.args) this.argument(a, imports, given, set, id);
    return id;
  }

  private argument(
    a: InstantiationArg,
    imports: string[],
    given: Set<string>,
    set: (imp: string, v: Value, span: Span) => void,
    id: InstanceId,
  ): void {
    const hint = `its imports: ${imports.join(", ") || "none"}`;
    switch (a.tag) {
      case "named": {
        const imp = this.importName(imports, a.name.value);
        if (imp === null)
          this.fail(
            `\`${this.graph.componentOf(id).name}\` has no import \`${a.name.value}\``,
            a.name.span,
            "E_WAC_UNKNOWN",
            hint,
          );
        set(imp, this.expr(a.expr), a.span);
        break;
      }
      case "inferred": {
        const v = this.locals.get(a.name.name);
        if (v === undefined) this.fail(`\`${a.name.name}\` is not defined`, a.name.span, "E_WAC_UNKNOWN");
        // The argument's name: an import's or export's own name, else the local name.
        const inferred = v.kind === "item" ? v.ref.name : a.name.name;
        const imp = this.importName(imports, inferred) ?? this.importName(imports, a.name.name);
        if (imp === null)
          this.fail(
            `\`${this.graph.componentOf(id).name}\` has no import \`${inferred}\``,
            a.span,
            "E_WAC_UNKNOWN",
            hint,
          );
        set(imp, v, a.span);
        break;
      }
      case "spread": {
        const v = this.locals.get(a.name.name);
        if (v === undefined) this.fail(`\`${a.name.name}\` is not defined`, a.name.span, "E_WAC_UNKNOWN");
        if (v.kind !== "instance") this.fail(`\`${a.name.name}\` is not an instance`, a.span);
        const exports = [...this.graph.componentOf(v.id).exports.keys()];
        let used = 0;
        for (const imp of imports) {
          if (given.has(imp)) continue;
          const exp = exports.includes(imp) ? imp : null;
          if (exp === null) continue;
          set(imp, { kind: "item", ref: this.graph.alias(v.id, exp), span: a.span }, a.span);
          used++;
        }
        if (used === 0) this.fail(`\`${a.name.name}\` exports nothing the instantiation still needs`, a.span);
        break;
      }
      case "fill":
        break;
    }
  }

  private export(s: Extract<WacDocument["statements"][number], { kind: "export" }>): void {
    const v = this.expr(s.expr);
    if (s.spread !== null) {
      if (v.kind !== "instance") this.fail("only an instance's exports can be spread", s.span);
      for (const name of this.graph.componentOf(v.id).exports.keys()) {
        this.at(s.span, () => this.graph.export(this.graph.alias(v.id, name)));
      }
      return;
    }
    if (v.kind === "instance") {
      this.fail(
        "exporting a whole instance is not supported; export its items (`x.name`) or all of them (`x...`)",
        s.span,
      );
    }
    const name = s.rename?.name.value ?? v.ref.name;
    this.at(s.span, () => this.graph.export(v.ref, name));
  }
}
