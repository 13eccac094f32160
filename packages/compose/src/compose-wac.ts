// Resolves a WAC document (parsed by ./wac/) into a composition graph: `let x = new pkg {...}`
// instantiates, arguments are wired by name (named, inferred, `...inst` spread, `...` fill),
// `.name` and `["name"]` alias exports, `export` exports, `import` names composition imports, and
// `targets` checks the result against a world. Graph errors become span-carrying `WacError`s.
import {
  componentWorld,
  decodeWitPackage,
  externNameProblem,
  isWitPackage,
  parseComponent,
} from "@wasm-compose/component";
import {
  interfaceQualifiedName,
  type PackageId,
  type Resolve,
  UNKNOWN_STABILITY,
  type WorldId,
  worldKeyName,
} from "@wasm-compose/wit";
import { type EncodeOptions, encodeGraph } from "./encode.js";
import { CompositionError } from "./errors.js";
import {
  type ComponentId,
  CompositionGraph,
  type InstanceId,
  type ItemRef,
  type ItemType,
  type SourceRef,
} from "./graph.js";
import { compareVersions, parseInterfaceName, semverCompatible } from "./names.js";
import { targets } from "./targets.js";
import type { Expr, Ident, InstantiationArg, NewExpr, PackagePathAst, Span, WacDocument } from "./wac/ast.js";
import { WacError, type WacSource } from "./wac/errors.js";
import { importItemType } from "./wac/import-types.js";
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
  /** `source` already parsed (e.g. to find the packages it refers to), so it is not parsed again. */
  document?: WacDocument;
  /** The hint an unknown package gets (the CLI names its `--dep` and deps folder). */
  missingPackageHint?: string;
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
  const doc = opts.document ?? parseWac(source, { filename: opts.filename });
  const c = resolveWac(doc, source, opts);
  const src: WacSource = { name: doc.filename, text: source };
  let bytes: Uint8Array;
  try {
    bytes = encodeGraph(c.graph, opts);
  } catch (e) {
    if (!(e instanceof CompositionError)) throw e;
    // Point at the argument or instantiation the error names, else at the package line.
    const s = spans.get(c.graph);
    const { node, import: imp } = e.details;
    const span =
      (node !== undefined && imp !== undefined ? s?.args.get(`${node}\0${imp}`) : undefined) ??
      (node !== undefined ? s?.instances.get(node) : undefined) ??
      doc.span;
    throw fromCompositionError(e, src, span);
  }
  if (c.targets !== null) {
    try {
      targets(bytes, c.targets.resolve, c.targets.world);
    } catch (e) {
      if (!(e instanceof CompositionError)) throw e;
      const message = `the composition does not target ${c.targets.name}: ${(e.details.problems ?? []).join("; ")}`;
      throw fromCompositionError(e, src, c.targets.span, message);
    }
  }
  return { ...c, bytes };
}

/** Where each instantiation and argument is written, to point graph errors at the source. */
const spans = new WeakMap<CompositionGraph, { instances: Map<string, Span>; args: Map<string, Span> }>();

/** A composition error as a WAC error at `span`; the original is its `cause`. */
function fromCompositionError(e: CompositionError, src: WacSource, span: Span, message = e.message): WacError {
  const err = new WacError(e.code === "UNKNOWN_EXPORT" ? "WAC_UNKNOWN" : "WAC_INVALID", message, src, span);
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

  private fail(message: string, span: Span, code: WacError["code"] = "WAC_INVALID", hint: string | null = null): never {
    throw new WacError(code, message, this.src, span, hint);
  }

  /** Runs a graph call, turning its error into one at `span`. */
  private at<T>(span: Span, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw e instanceof CompositionError ? fromCompositionError(e, this.src, span) : e;
    }
  }

  run(): WacComposition {
    for (const s of this.doc.statements) {
      switch (s.kind) {
        case "import": {
          // Every import has its declared type: a package path's interface, or the WIT of a
          // function, an inline interface or a document declaration.
          const declared =
            s.type.tag === "package"
              ? this.declaredType(s.type.path)
              : {
                  type: importItemType(this.doc, this.src.text, s, (m, span, hint) =>
                    this.fail(m, span, "WAC_INVALID", hint ?? null),
                  ),
                  name: null,
                };
          const name = s.name?.value ?? declared.name ?? s.id.name;
          this.checkImportName(name, s.name?.span ?? s.id.span);
          const ref = this.at(s.span, () => this.graph.import(name, declared.type));
          this.locals.set(s.id.name, { kind: "item", ref, span: s.span });
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
    return { doc: this.doc, graph: this.graph, targets: this.targets() };
  }

  /** The WIT package a `targets` path names (a WIT package, or a component encoding one). */
  private witPackage(path: PackagePathAst): { resolve: Resolve; package: PackageId } {
    const pkg = this.lookup(path.package.name, path.package.version?.text ?? null, path.span);
    if (pkg.kind === "wit") return pkg;
    const binary = parseComponent(pkg.bytes);
    if (!isWitPackage(binary))
      this.fail(`${path.package.name} is a component, not a WIT package with worlds`, path.span);
    return decodeWitPackage(binary);
  }

  /**
   * The interface an import's package path names, as the import's type, and its name: an
   * interface of a WIT package, or of a component's world (exact name first, then the one
   * interface named so, as for `.name` access).
   */
  private declaredType(path: PackagePathAst): { type: ItemType; name: string } {
    const pkg = this.lookup(path.package.name, path.package.version?.text ?? null, path.span);
    const name = path.segments.map((x) => x.name).join("/");
    const missing = (known: string[]): never =>
      this.fail(
        `package ${path.package.name} has no interface \`${name}\``,
        path.span,
        "WAC_UNKNOWN",
        `its interfaces: ${known.join(", ") || "none"}`,
      );
    const binary = pkg.kind === "component" ? parseComponent(pkg.bytes) : null;
    if (binary !== null && !isWitPackage(binary)) {
      const { resolve, world } = componentWorld(binary);
      const w = resolve.worlds[world];
      const items = [...w.exports, ...w.imports].flatMap(([key, item]) =>
        item.tag === "interface" ? [{ name: worldKeyName(resolve, key), item }] : [],
      );
      const named = items.filter((i) => parseInterfaceName(i.name)?.iface === name);
      const found = items.find((i) => i.name === path.text) ?? (named.length === 1 ? named[0] : undefined);
      if (found === undefined) return missing([...new Set(items.map((i) => i.name))]);
      // A component has no package version of its own: its interface's version must be the one written.
      const has = parseInterfaceName(found.name)?.version ?? null;
      const want = path.package.version?.text ?? null;
      if (want !== null && has !== null && !versionMatches(want, has)) {
        this.fail(
          `interface \`${path.text}\` not found: package ${path.package.name} has \`${found.name}\`, version ${has}, not ${want}`,
          path.span,
          "WAC_UNKNOWN",
        );
      }
      return { type: { resolve, item: found.item }, name: found.name };
    }
    const wit = pkg.kind === "wit" ? pkg : decodeWitPackage(binary!);
    const { interfaces } = wit.resolve.packages[wit.package];
    const id = interfaces.get(name) ?? missing([...interfaces.keys()]);
    return {
      type: { resolve: wit.resolve, item: { tag: "interface", id, stability: UNKNOWN_STABILITY } },
      // The interface's own name, versioned as its package is (the path may leave the version out).
      name: interfaceQualifiedName(wit.resolve, id) ?? path.text,
    };
  }

  private targets(): WacComposition["targets"] {
    const t = this.doc.package.targets;
    if (t === null) return null;
    const wit = this.witPackage(t);
    const worldName = t.segments.map((x) => x.name).join("/");
    const world = wit.resolve.packages[wit.package].worlds.get(worldName);
    if (world === undefined) {
      const known = [...wit.resolve.packages[wit.package].worlds.keys()];
      const isInterface = wit.resolve.packages[wit.package].interfaces.has(worldName);
      this.fail(
        isInterface
          ? `\`${worldName}\` of package ${t.package.name} is an interface; \`targets\` needs a world`
          : `package ${t.package.name} has no world \`${worldName}\``,
        t.span,
        "WAC_UNKNOWN",
        `its worlds: ${known.join(", ") || "none"}`,
      );
    }
    return { resolve: wit.resolve, world, name: t.text, span: t.span };
  }

  /**
   * An import name the composition can have: a kebab name or an interface name. A dependency, URL
   * or hash name (`url=<...>`) names a component, which these imports are not.
   */
  private checkImportName(name: string, span: Span): void {
    if (/^(?:unlocked-dep|locked-dep|url|integrity)=/.test(name)) {
      this.fail(
        `import name "${name}" is a dependency, URL or hash name, which names a component; an interface or function import needs a kebab name or an interface name (\`ns:pkg/iface\`)`,
        span,
      );
    }
    const problem = externNameProblem(name, "import", { annotated: false });
    if (problem !== null) this.fail(`import name ${problem}`, span);
  }

  private lookup(name: string, version: string | null, span: Span): WacPackage {
    const written = version === null ? name : `${name}@${version}`;
    const p = this.opts.packages(name, version);
    if (p === null) {
      this.fail(
        `package \`${written}\` not found`,
        span,
        "WAC_UNKNOWN",
        this.opts.missingPackageHint ?? "the `packages` function found no such package",
      );
    }
    // The package found must be the version written (when its version is known).
    const found = version === null ? null : packageVersion(p);
    if (found !== null && version !== null && !versionMatches(version, found)) {
      this.fail(
        `package \`${written}\` not found: the package \`${name}\` found has version ${found}, not ${version}`,
        span,
        "WAC_UNKNOWN",
        this.opts.missingPackageHint ?? null,
      );
    }
    return p;
  }

  private component(n: NewExpr): ComponentId {
    if (n.component.tag === "local") {
      // wac's grammar has `new <package-name>` only: a component is instantiated from a package.
      this.fail(
        `\`new ${n.component.name.name}\`: only a package can be instantiated, not an imported component`,
        n.component.span,
        "WAC_INVALID",
        "name the package (`new ns:pkg { ... }`); --import-dependencies imports it instead of embedding it",
      );
    }
    const pkg = n.component.package;
    if (pkg.name === this.doc.package.name.name) {
      this.fail(
        `\`new ${pkg.name}\`: a composition cannot instantiate its own package`,
        pkg.span,
        "WAC_INVALID",
        "name the package of a component to instantiate",
      );
    }
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
      if (v.kind !== "instance") {
        const ref = v.ref;
        const item = ref.kind === "export" && ref.member === undefined ? this.graph.providedItem(ref) : undefined;
        // An item of an exported interface instance (`i.iface.f`): a member of that export.
        if (ref.kind === "export" && item?.tag === "interface") {
          const member = p.tag === "access" ? p.name.name : p.name.value;
          v = { kind: "item", ref: this.at(p.span, () => this.graph.member(ref, member)), span: p.span };
          continue;
        }
        this.fail("only an instance's exports can be accessed", p.span);
      }
      const name = p.tag === "access" ? this.exportName(v.id, p.name.name, p.span) : p.name.value;
      const id = v.id;
      v = { kind: "item", ref: this.at(p.span, () => this.graph.alias(id, name)), span: p.span };
    }
    return v;
  }

  /** The value a local name is bound to. */
  private local(name: Ident): Value {
    const v = this.locals.get(name.name);
    if (v === undefined) this.fail(`\`${name.name}\` is not defined`, name.span, "WAC_UNKNOWN");
    return v;
  }

  private primary(e: Expr, letName?: string): Value {
    const p = e.primary;
    if (p.tag === "nested") return this.expr(p.expr);
    if (p.tag === "name") return this.local(p.name);
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
      "WAC_UNKNOWN",
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
      if (given.has(imp)) this.fail(`import \`${imp}\` is given twice`, span, "WAC_DUPLICATE");
      given.add(imp);
      this.where.args.set(`${instName}\0${imp}`, span);
      // A whole instance may stand for an interface import; the graph checks that its exports fit.
      const source: SourceRef = v.kind === "instance" ? { kind: "instance", instance: v.id } : v.ref;
      this.at(span, () => this.graph.setArgument(id, imp, source));
    };
    // As in wac, spreads fill what named and inferred arguments left, in the order written.
    for (const a of n.args) if (a.tag !== "spread") this.argument(a, imports, given, set, id);
    for (const a of n.args) if (a.tag === "spread") this.argument(a, imports, given, set, id);
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
        // A string names the import exactly; only an identifier may stand for an interface name.
        const imp =
          a.name.kind === "string"
            ? imports.includes(a.name.value)
              ? a.name.value
              : null
            : this.importName(imports, a.name.value);
        if (imp === null)
          this.fail(
            `\`${this.graph.componentOf(id).name}\` has no import \`${a.name.value}\``,
            a.name.span,
            "WAC_UNKNOWN",
            hint,
          );
        set(imp, this.expr(a.expr), a.span);
        break;
      }
      case "inferred": {
        const v = this.local(a.name);
        // The argument's name: an import's or export's own name, else the local name.
        const inferred = v.kind === "item" ? v.ref.name : a.name.name;
        const imp = this.importName(imports, inferred) ?? this.importName(imports, a.name.name);
        if (imp === null)
          this.fail(
            `\`${this.graph.componentOf(id).name}\` has no import \`${inferred}\``,
            a.span,
            "WAC_UNKNOWN",
            hint,
          );
        set(imp, v, a.span);
        break;
      }
      case "spread": {
        const v = this.local(a.name);
        if (v.kind !== "instance") this.fail(`\`${a.name.name}\` is not an instance`, a.span);
        const exports = [...this.graph.componentOf(v.id).exports.keys()];
        // As in wac, a spread that matches no import at all is an error; one whose matches were
        // all given already is not.
        // The export of the import's name, else the highest semver-compatible one (as in wac).
        const provider = (imp: string): string | undefined => {
          if (exports.includes(imp)) return imp;
          const compatible = exports.filter((x) => semverCompatible(imp, x));
          const version = (x: string) => parseInterfaceName(x)!.version!;
          return compatible.sort((x, y) => compareVersions(version(y), version(x)))[0];
        };
        const matching = imports.flatMap((imp) => {
          const exp = provider(imp);
          return exp === undefined ? [] : [{ imp, exp }];
        });
        if (matching.length === 0) this.fail(`\`${a.name.name}\` exports nothing the instantiation imports`, a.span);
        for (const { imp, exp } of matching) {
          if (!given.has(imp)) set(imp, { kind: "item", ref: this.graph.alias(v.id, exp), span: a.span }, a.span);
        }
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
      const names = [...this.graph.componentOf(v.id).exports.keys()];
      if (names.length === 0)
        this.fail(`instance \`${this.graph.instanceName(v.id)}\` has no exports to spread`, s.span);
      // As in wac, a spread adds only the exports whose names are still free.
      for (const name of names) {
        if (!this.graph.exports.has(name)) this.at(s.span, () => this.graph.export(this.graph.alias(v.id, name)));
      }
      return;
    }
    if (v.kind === "instance") {
      // An instance has no name of its own to export under (wac: the name cannot be inferred).
      if (s.rename === null) {
        this.fail(
          `exporting the instance \`${this.graph.instanceName(v.id)}\` needs a name`,
          s.span,
          "WAC_INVALID",
          'add `as "name"`, or export its items (`x.name`) or all of them (`x...`)',
        );
      }
      const name = s.rename.name.value;
      this.at(s.span, () => this.graph.export({ kind: "instance", instance: v.id }, name));
      return;
    }
    const name = s.rename?.name.value ?? v.ref.name;
    this.at(s.span, () => this.graph.export(v.ref, name));
  }
}

/** The version of a package, when it says one: a WIT package's, or the one given with a component. */
function packageVersion(p: WacPackage): string | null {
  if (p.kind === "wit") return p.resolve.packages[p.package].name.version;
  if (p.version != null) return p.version;
  // A component encoding a WIT package carries that package's version.
  try {
    const binary = parseComponent(p.bytes);
    if (!isWitPackage(binary)) return null;
    const wit = decodeWitPackage(binary);
    return wit.resolve.packages[wit.package].name.version;
  } catch {
    return null;
  }
}

/**
 * Whether a package's version is the one written: a full version exactly (as in WIT paths), a
 * shorter one (`1`, `1.2`) as a prefix of it.
 */
function versionMatches(written: string, found: string): boolean {
  if (written === found) return true;
  if (/^\d+(?:\.\d+)?$/.test(written)) return found === written || found.startsWith(`${written}.`);
  return false;
}
