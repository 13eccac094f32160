// Resolver: turns parsed packages into the `Resolve` model, with every check wit-parser makes.
//
// Ids are allocated in the same order as wit-parser (named interfaces in dependency order, then
// inline ones; types as they are resolved), so `toJson` output lines up with `wasm-tools`.
import type {
  Attribute,
  FuncAst,
  Ident,
  InterfaceAst,
  InterfaceItemAst,
  PackageFileAst,
  TypeAst,
  TypeDefAst,
  TypeDefBody,
  UseAst,
  UsePath,
  WorldAst,
} from "./ast.js";
import { elaborateWorld, sameOwner } from "./elaborate.js";
import { closestName, didYouMean, type Span, WitError, type WitErrorCode } from "./errors.js";
import {
  type Case,
  type Docs,
  type Field,
  type FunctionKind,
  type InterfaceId,
  type PackageId,
  type PackageName,
  type Param,
  packageNameToString,
  type Resolve,
  type Stability,
  type Type,
  type TypeDef,
  type TypeDefKind,
  type TypeId,
  type TypeOwner,
  UNKNOWN_STABILITY,
  type WitFunction,
  type World,
  type WorldId,
  type WorldItem,
  type WorldKey,
  worldKeyName,
} from "./model.js";
import { compareVersions, compareVersionsAndBuild } from "./semver.js";
import { toposort } from "./toposort.js";

/** Which `@unstable` features are enabled. */
export interface FeatureOptions {
  features?: string[];
  allFeatures?: boolean;
}

/** One package's syntax, possibly spread over several files. */
export interface UnresolvedPackage {
  name: PackageName;
  nameSpan: Span;
  docs: Docs;
  files: PackageFileAst[];
}

/** The packages of one WIT source set: the main package and the nested `package x:y { }` blocks. */
export interface PackageGroup {
  main: UnresolvedPackage;
  nested: UnresolvedPackage[];
}

function fail(code: WitErrorCode, message: string, span: Span | null = null, hint: string | null = null): never {
  throw new WitError(code, message, span, hint);
}

/**
 * Turns the comments before an item into wit-parser's doc string: `/** *\/` blocks without their
 * delimiters, any other comment without its leading slashes (so a plain `/* x *\/` keeps `* x *\/`,
 * as wit-parser keeps it), the common indentation removed; `null` when there is none.
 */
export function docsOf(raw: string[] | null): Docs {
  if (raw === null || raw.length === 0) return null;
  if (raw.length === 1 && raw[0].charCodeAt(1) === 47) return lineDoc(raw[0]);
  const lines: string[] = [];
  for (const d of raw) {
    let body: string;
    if (d.startsWith("/**")) body = d.slice(3, -2);
    else {
      let k = 0;
      while (d.charCodeAt(k) === 47) k++;
      body = d.slice(k);
    }
    lines.push(body.trimEnd());
  }
  let min = Number.POSITIVE_INFINITY;
  for (const l of lines) {
    if (l.length === 0) continue;
    let k = 0;
    while (k < l.length && isAsciiSpace(l.charCodeAt(k))) k++;
    if (k < min) min = k;
  }
  const pad = min !== Number.POSITIVE_INFINITY && min > 0 ? " ".repeat(min) : "";
  let out = "";
  for (let l of lines) {
    if (pad && l.startsWith(pad)) l = l.slice(pad.length);
    if (l.length === 0) out += "\n";
    else if (l.indexOf("\n") < 0 && l.indexOf("\r") < 0) out += `${l}\n`;
    else for (const line of l.split(/\r?\n/)) out += `${line}\n`;
  }
  let end = out.length;
  while (end > 0 && out.charCodeAt(end - 1) === 10) end--;
  return out.slice(0, end);
}

/** `docsOf` for one `//` or `///` line (the common case), without the general loops. */
function lineDoc(d: string): string {
  let k = 0;
  while (d.charCodeAt(k) === 47) k++;
  const body = d.slice(k).trimEnd();
  // The common indentation is removed only when it is all spaces (as `docsOf` does).
  let ws = 0;
  while (ws < body.length && isAsciiSpace(body.charCodeAt(ws))) ws++;
  let sp = 0;
  while (sp < ws && body.charCodeAt(sp) === 32) sp++;
  return sp === ws && ws > 0 ? body.slice(ws) : body;
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

/** Merges the per-file syntax of one package folder (or one file) into a package group. */
export function buildGroup(files: PackageFileAst[][]): PackageGroup {
  let name: PackageName | null = null;
  let nameSpan: Span | null = null;
  let docs: Docs = null;
  let commented = false;
  const mainFiles: PackageFileAst[] = [];
  const nested: UnresolvedPackage[] = [];
  for (const parts of files) {
    const [main, ...rest] = parts;
    if (main.name) {
      const cur = astName(main.name);
      if (name !== null && packageNameToString(cur) !== packageNameToString(name)) {
        fail(
          "WIT_PACKAGE",
          `package identifier \`${packageNameToString(cur)}\` does not match previous package name of \`${packageNameToString(name)}\``,
          main.name.span,
        );
      }
      name = cur;
      nameSpan = main.name.span;
      const d = docsOf(main.docs);
      if (main.commented) {
        if (commented) {
          fail(
            "WIT_PACKAGE",
            "found doc comments on multiple 'package' items",
            main.name.span,
            "wit-parser counts every comment before a file's `package` line as the package's docs, plain `//` ones too; keep such comments in one file of the package and move the others below the `package` line",
          );
        }
        commented = true;
      }
      if (d !== null) docs = d;
    }
    mainFiles.push(main);
    for (const n of rest) {
      if (!n.name) continue;
      nested.push({ name: astName(n.name), nameSpan: n.name.span, docs: docsOf(n.docs), files: [n] });
    }
  }
  if (name === null || nameSpan === null)
    fail("WIT_PACKAGE", "no `package` header was found in any WIT file for this package");
  return { main: { name, nameSpan, docs, files: mainFiles }, nested };
}

function astName(n: { namespace: Ident; name: Ident; version: string | null }): PackageName {
  return { namespace: n.namespace.name, name: n.name.name, version: n.version };
}

function comparePackageNames(a: PackageName, b: PackageName): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version === b.version) return 0;
  if (a.version === null) return -1;
  if (b.version === null) return 1;
  const c = compareVersions(a.version, b.version);
  if (c !== 0) return c;
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/**
 * Every `use`/import/include path of a package's files, in source order, with what it must name
 * (a top-level `use` may name either).
 */
function forEachPath(
  files: PackageFileAst[],
  f: (path: UsePath, kind: "interface" | "world" | "either") => void,
): void {
  for (let fi = 0; fi < files.length; fi++) {
    const items = files[fi].items;
    for (let k = 0; k < items.length; k++) {
      const item = items[k];
      if (item.tag === "use") f(item.use.path, "either");
      else if (item.tag === "interface") forEachUsePath(item.iface.items, f);
      else {
        const worldItems = item.world.items;
        for (let w = 0; w < worldItems.length; w++) {
          const wi = worldItems[w];
          if (wi.tag === "use") f(wi.use.path, "interface");
          else if (wi.tag === "include") f(wi.path, "world");
          else if (wi.tag === "import" || wi.tag === "export") {
            if (wi.kind.tag === "path" || wi.kind.tag === "named") f(wi.kind.path, "interface");
            else if (wi.kind.tag === "interface") forEachUsePath(wi.kind.items, f);
          }
        }
      }
    }
  }
}

function forEachUsePath(items: InterfaceItemAst[], f: (path: UsePath, kind: "interface") => void): void {
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (it.tag === "use") f(it.use.path, "interface");
  }
}

/**
 * Adds package groups to `resolve` in dependency order (the first group is the main one, the rest
 * are dependencies). Returns the id of the main group's main package.
 */
export function pushGroups(resolve: Resolve, groups: PackageGroup[], opts: FeatureOptions): PackageId {
  const byName = new Map<string, UnresolvedPackage>();
  for (const g of groups) {
    for (const p of [...g.nested, g.main]) {
      const key = packageNameToString(p.name);
      const prev = byName.get(key);
      if (prev) {
        fail(
          "WIT_PACKAGE",
          `package ${key} is defined in two different locations:\n  * ${where(prev.nameSpan)}\n  * ${where(p.nameSpan)}`,
          p.nameSpan,
        );
      }
      byName.set(key, p);
    }
  }
  const sorted = [...byName.values()].sort((a, b) => comparePackageNames(a.name, b.name));
  const order: UnresolvedPackage[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (pkg: UnresolvedPackage) => {
    const key = packageNameToString(pkg.name);
    if (done.has(key)) return;
    visiting.add(key);
    const deps: { name: string; span: Span }[] = [];
    const seen = new Set<string>();
    forEachPath(pkg.files, (path) => {
      if (path.tag !== "package") return;
      const n = packageNameToString(astName(path.pkg));
      if (seen.has(n)) return;
      seen.add(n);
      deps.push({ name: n, span: path.pkg.span });
    });
    for (const dep of deps) {
      if (visiting.has(dep.name)) fail("WIT_CYCLE", `package \`${dep.name}\` creates a dependency cycle`, dep.span);
      const d = byName.get(dep.name);
      if (d) visit(d);
    }
    visiting.delete(key);
    done.add(key);
    order.push(pkg);
  };
  for (const p of sorted) visit(p);
  const opt = { features: new Set(opts.features ?? []), allFeatures: opts.allFeatures ?? false };
  const pushed = new Set(byName.keys());
  let mainId: PackageId = -1;
  for (const p of order) {
    const id = new PackageBuilder(resolve, p, opt, pushed).run();
    if (p === groups[0].main) mainId = id;
  }
  return mainId;
}

function where(span: Span): string {
  const p = span.source.position(span.start);
  return `${span.source.name}:${p.line}:${p.column}`;
}

/** What a name in an interface or world scope stands for. */
/** What a name in an interface or world scope stands for. */
type LookupEntry =
  | { tag: "type"; id: TypeId }
  | { tag: "func" }
  /** `def` (its syntax) or `target` (the type a gated-out `use` names): for checks made before gates apply. */
  | { tag: "excluded"; def?: TypeDefAst; target?: TypeId };

type PackageItem =
  | { tag: "interface"; id: InterfaceId }
  | { tag: "world"; id: WorldId }
  | { tag: "excluded"; what: "interface" | "world"; ast: InterfaceAst | WorldAst };

const EXCLUDED_ANON = -1 as TypeId;

class PackageBuilder {
  private pkgId: PackageId = -1;
  private readonly anon = new Map<string, TypeId>();
  /** Names visible in each local interface (types, functions, gated-out names). */
  private readonly ifaceLookup = new Map<InterfaceId, Map<string, LookupEntry>>();
  private readonly packageItems = new Map<string, PackageItem>();
  private fileItems: Map<string, PackageItem>[] = [];
  /** Where each world's includes and name are written, for errors found while merging them. */
  private readonly includeSpans = new Map<WorldId, Span[]>();
  private readonly worldSpans = new Map<WorldId, Span>();
  /** Where each export of a world is written (for elaboration errors). */
  private readonly exportSpans = new Map<WorldId, Map<WorldKey, Span>>();
  private curFile = 0;
  /** Set while resolving a gated-out item: references to gated-out types are then allowed. */
  private lenient = false;
  /** Set while checking a gated-out interface or world that is then dropped. */
  private dropping = false;
  /** Anonymous types gated out while dropping an item (see `dropped`). */
  private readonly droppedAnon: { key: string; kind: TypeDefKind }[] = [];
  private readonly borrowMemo = new Map<TypeId, boolean>();

  constructor(
    private readonly resolve: Resolve,
    private readonly pkg: UnresolvedPackage,
    private readonly opts: { features: Set<string>; allFeatures: boolean },
    /** Every package being pushed with this one, resolved or not (for hints). */
    private readonly pushed: ReadonlySet<string> = new Set(),
  ) {}

  run(): PackageId {
    const r = this.resolve;
    const nameStr = packageNameToString(this.pkg.name);
    if (r.packageNames.has(nameStr))
      fail("WIT_PACKAGE", `package \`${nameStr}\` is already defined`, this.pkg.nameSpan);
    this.pkgId = r.packages.length;
    r.packages.push({ name: this.pkg.name, docs: this.pkg.docs, interfaces: new Map(), worlds: new Map() });
    r.packageNames.set(nameStr, this.pkgId);

    const files = this.pkg.files;
    // 1. Names declared in the package, and per-file names (top-level `use`).
    const decls = new Map<
      string,
      { tag: "interface"; ast: InterfaceAst; file: number } | { tag: "world"; ast: WorldAst; file: number }
    >();
    files.forEach((file, fi) => {
      for (const item of file.items) {
        if (item.tag === "use") continue;
        const ast = item.tag === "interface" ? item.iface : item.world;
        if (decls.has(ast.name.name)) fail("WIT_DUPLICATE", `duplicate item named \`${ast.name.name}\``, ast.name);
        decls.set(
          ast.name.name,
          item.tag === "interface"
            ? { tag: "interface", ast: item.iface, file: fi }
            : { tag: "world", ast: item.world, file: fi },
        );
      }
    });

    // 2. Dependencies between interfaces (through `use`) and worlds (through `include`), sorted.
    const deps = new Map<string, Ident[]>();
    for (const name of decls.keys()) deps.set(name, []);
    files.forEach((file) => {
      const ns = new Map<string, Ident | null>();
      for (const item of file.items) {
        let name: Ident;
        let src: Ident | null;
        if (item.tag === "use") {
          name = item.use.as ?? item.use.path.name;
          src = item.use.path.tag === "local" ? item.use.path.name : null;
        } else {
          name = item.tag === "interface" ? item.iface.name : item.world.name;
          src = name;
        }
        if (ns.has(name.name)) fail("WIT_DUPLICATE", `duplicate name \`${name.name}\` in this file`, name);
        ns.set(name.name, src);
      }
      const addDep = (owner: string, path: UsePath) => {
        if (path.tag !== "local") return;
        const used = path.name;
        const local = ns.get(used.name);
        if (local === null) return;
        if (local !== undefined) deps.get(owner)!.push(local);
        else if (decls.has(used.name)) deps.get(owner)!.push(used);
        else
          fail(
            "WIT_UNKNOWN",
            `interface or world \`${used.name}\` not found in package`,
            used,
            didYouMean(used.name, decls.keys()),
          );
      };
      for (const item of file.items) {
        if (item.tag === "interface") {
          for (const it of item.iface.items) if (it.tag === "use") addDep(item.iface.name.name, it.use.path);
        } else if (item.tag === "world") {
          for (const it of item.world.items) if (it.tag === "include") addDep(item.world.name.name, it.path);
        }
      }
    });
    const order = toposort("interface or world", deps);
    checkForeignKinds(files);

    // 3. Allocate named interfaces and worlds in dependency order.
    for (const name of order) {
      const d = decls.get(name)!;
      const stability = this.stability(d.ast.attrs);
      if (!this.includeStability(stability, d.ast.name)) {
        this.packageItems.set(name, { tag: "excluded", what: d.tag, ast: d.ast });
        continue;
      }
      if (d.tag === "interface") {
        const id = this.allocInterface(name);
        r.packages[this.pkgId].interfaces.set(name, id);
        this.packageItems.set(name, { tag: "interface", id });
      } else {
        const id = this.allocWorld(name);
        r.packages[this.pkgId].worlds.set(name, id);
        this.packageItems.set(name, { tag: "world", id });
      }
    }
    this.fileItems = files.map((file) => {
      const items = new Map<string, PackageItem>(this.packageItems);
      for (const item of file.items) {
        if (item.tag !== "use") continue;
        const u = item.use;
        if (u.attrs.length > 0) fail("WIT_INVALID", "attributes not allowed on top-level use", u.span);
        const name = (u.as ?? u.path.name).name;
        if (u.path.tag === "local") {
          const it = this.packageItems.get(u.path.name.name);
          if (!it)
            fail(
              "WIT_UNKNOWN",
              `interface or world \`${u.path.name.name}\` does not exist`,
              u.path.name,
              didYouMean(u.path.name.name, this.packageItems.keys()),
            );
          items.set(name, it);
        } else {
          items.set(name, { tag: "interface", id: this.foreignInterface(u.path) });
        }
      }
      return items;
    });

    // 4. Resolve bodies: interfaces, then worlds, in dependency order.
    // Gated-out interfaces and worlds are checked in their place, as wit-parser resolves them
    // before dropping them (the anonymous types they make can matter to later items).
    for (const name of order) {
      const d = decls.get(name)!;
      const item = this.packageItems.get(name)!;
      if (d.tag !== "interface") continue;
      this.curFile = d.file;
      if (item.tag === "excluded") this.dropDecl(name, d);
      else if (item.tag === "interface") this.resolveInterface(item.id, d.ast.items, d.ast.docs, d.ast.attrs);
    }
    const worldIds: WorldId[] = [];
    for (const name of order) {
      const d = decls.get(name)!;
      const item = this.packageItems.get(name)!;
      if (d.tag !== "world") continue;
      this.curFile = d.file;
      if (item.tag === "excluded") this.dropDecl(name, d);
      else if (item.tag === "world") {
        this.resolveWorld(item.id, d.ast);
        worldIds.push(item.id);
      }
    }

    // 5. Worlds: merge includes, then add transitive imports.
    for (const id of worldIds) {
      this.processIncludes(id);
      try {
        elaborateWorld(r, id, (key) => this.exportSpans.get(id)?.get(key) ?? null);
        checkCaseConflicts(r.worlds[id]);
      } catch (e) {
        if (e instanceof WitError && e.line === null)
          throw new WitError(e.code, e.message, this.worldSpans.get(id) ?? null, e.hint);
        throw e;
      }
    }
    return this.pkgId;
  }

  /**
   * wit-parser checks gated-out interfaces and worlds like any other before dropping them, so they
   * are resolved here too, into arena slots that are then given back.
   */
  private dropDecl(
    name: string,
    d: { tag: "interface"; ast: InterfaceAst; file: number } | { tag: "world"; ast: WorldAst; file: number },
  ): void {
    this.dropped(d.tag, d.ast.name, () => {
      if (d.tag === "interface") {
        const id = this.allocInterface(name);
        this.resolveInterface(id, d.ast.items, d.ast.docs, d.ast.attrs);
        return { tag: "interface", id };
      }
      const id = this.allocWorld(name);
      this.resolveWorld(id, d.ast);
      return { tag: "world", id };
    });
  }

  /**
   * Resolves a gated-out interface or world only to check it, as wit-parser does before dropping
   * it: the arena slots it takes are given back afterwards. Its types must be gated out too.
   */
  private dropped(what: "interface" | "world", span: Span, resolve: () => TypeOwner): void {
    const r = this.resolve;
    const lengths = [r.interfaces.length, r.types.length, r.worlds.length];
    const anon = new Map(this.anon);
    const mark = this.droppedAnon.length;
    const saved = this.lenient;
    const savedDropping = this.dropping;
    this.lenient = true;
    this.dropping = true;
    try {
      const owner = resolve();
      for (let t = lengths[1]; t < r.types.length; t++) {
        if (sameOwner(r.types[t].owner, owner))
          fail(
            "WIT_INVALID",
            `found a reference to a ${what} which is excluded due to its feature not being activated; ` +
              `this type is not gated by a feature but its ${what} is`,
            span,
          );
      }
    } finally {
      this.lenient = saved;
      this.dropping = savedDropping;
      r.interfaces.length = lengths[0];
      r.types.length = lengths[1];
      r.worlds.length = lengths[2];
      this.anon.clear();
      for (const [k, v] of anon) this.anon.set(k, v);
      // wit-parser shares anonymous types package-wide: one made gated-out here (a `list<u8>` in a
      // gated record) is what a later item's same type resolves to, gated out too. Those over
      // types that outlive the drop are kept.
      for (let k = mark; k < this.droppedAnon.length; k++) {
        const { key, kind } = this.droppedAnon[k];
        if (refsBelow(kind, lengths[1]) && !this.anon.has(key)) this.anon.set(key, EXCLUDED_ANON);
      }
      if (!savedDropping) this.droppedAnon.length = mark;
    }
  }

  // ---- allocation helpers --------------------------------------------------------------------

  /** An empty world of this package (its items come when it is resolved). */
  private allocWorld(name: string): WorldId {
    const id: WorldId = this.resolve.worlds.length;
    this.resolve.worlds.push({
      name,
      imports: new Map(),
      exports: new Map(),
      package: this.pkgId,
      docs: null,
      stability: UNKNOWN_STABILITY,
      includes: [],
    });
    return id;
  }

  private allocInterface(name: string | null): InterfaceId {
    const id: InterfaceId = this.resolve.interfaces.length;
    this.resolve.interfaces.push({
      name,
      types: new Map(),
      functions: new Map(),
      docs: null,
      stability: UNKNOWN_STABILITY,
      package: this.pkgId,
    });
    return id;
  }

  private allocType(def: TypeDef): TypeId {
    const id: TypeId = this.resolve.types.length;
    this.resolve.types.push(def);
    return id;
  }

  // ---- gates ---------------------------------------------------------------------------------

  private stability(attrs: Attribute[]): Stability {
    if (attrs.length === 0) return UNKNOWN_STABILITY;
    const since = attrs.filter((a) => a.tag === "since");
    const unstable = attrs.filter((a) => a.tag === "unstable");
    const deprecated = attrs.filter((a) => a.tag === "deprecated");
    if (
      attrs.length > 2 ||
      since.length > 1 ||
      unstable.length > 1 ||
      deprecated.length > 1 ||
      (since.length && unstable.length)
    ) {
      const dupe =
        since.length > 1 ? "@since" : unstable.length > 1 ? "@unstable" : deprecated.length > 1 ? "@deprecated" : null;
      const message = dupe
        ? `cannot specify ${dupe} twice`
        : since.length && unstable.length
          ? "cannot specify both @since and @unstable"
          : "unsupported combination of attributes";
      fail("WIT_INVALID", message, attrs[1].span);
    }
    const dep = deprecated.length ? (deprecated[0] as { version: string }).version : null;
    if (since.length) return { tag: "stable", since: (since[0] as { version: string }).version, deprecated: dep };
    if (unstable.length)
      return { tag: "unstable", feature: (unstable[0] as { feature: string }).feature, deprecated: dep };
    return fail("WIT_INVALID", "cannot specify both @deprecated without @since or @unstable", attrs[0].span);
  }

  private includeStability(s: Stability, span: Span | null): boolean {
    if (s.tag === "unknown") return true;
    if (s.tag === "unstable") return this.opts.allFeatures || this.opts.features.has(s.feature);
    // Inside a gated-out interface or world nothing is kept, so versions are not checked either.
    if (this.dropping) return true;
    const name = packageNameToString(this.pkg.name);
    const v = this.pkg.name.version;
    if (v === null)
      fail(
        "WIT_INVALID",
        `package [${name}] contains a feature gate with a version specifier, so it must have a version`,
        span,
      );
    // Build metadata counts here, as wit-parser orders versions (0.2.0+b2 is after 0.2.0+b1).
    if (compareVersionsAndBuild(s.since, v) > 0)
      fail(
        "WIT_INVALID",
        `feature gate cannot reference unreleased version ${s.since} of package [${name}] (current version ${v})`,
        span,
      );
    return true;
  }

  // ---- paths ---------------------------------------------------------------------------------

  private lookupItem(path: UsePath): { item: PackageItem; span: Span; name: string } {
    if (path.tag === "package") {
      const world = this.foreignItem(path, "interface");
      return { item: world, span: path.name, name: path.name.name };
    }
    const item = this.fileItems[this.curFile].get(path.name.name);
    if (!item)
      fail(
        "WIT_UNKNOWN",
        `interface or world \`${path.name.name}\` does not exist`,
        path.name,
        didYouMean(path.name.name, this.fileItems[this.curFile].keys()),
      );
    return { item, span: path.name, name: path.name.name };
  }

  private foreignItem(path: Extract<UsePath, { tag: "package" }>, want: "interface" | "world"): PackageItem {
    const { pid, pkgName } = this.foreignPackage(path);
    const pkg = this.resolve.packages[pid];
    const name = path.name.name;
    const iface = pkg.interfaces.get(name);
    const world = pkg.worlds.get(name);
    if (want === "world" && world !== undefined) return { tag: "world", id: world };
    if (iface !== undefined) return { tag: "interface", id: iface };
    if (world !== undefined) return { tag: "world", id: world };
    return fail(
      "WIT_UNKNOWN",
      `${want} \`${name}\` not found in package \`${pkgName}\``,
      path.name,
      didYouMean(name, want === "world" ? pkg.worlds.keys() : pkg.interfaces.keys()),
    );
  }

  /**
   * Whether an item's path is one to leave unresolved: the item is gated out by its own gate and
   * names another package's interface or world. wit-parser then checks only that the package is
   * there, not what the path names in it (nor the names a `use` takes from it).
   */
  private gatedOutForeign(path: UsePath, gatedOut: boolean): boolean {
    if (!gatedOut || path.tag !== "package") return false;
    this.foreignPackage(path);
    return true;
  }

  /** The package a foreign path names; an error when it is not there (or is this package). */
  private foreignPackage(path: Extract<UsePath, { tag: "package" }>): { pid: PackageId; pkgName: string } {
    const r = this.resolve;
    const pkgName = packageNameToString(astName(path.pkg));
    const pid = r.packageNames.get(pkgName);
    if (pid === undefined || pid === this.pkgId) {
      if (pid === this.pkgId) fail("WIT_CYCLE", `package \`${pkgName}\` creates a dependency cycle`, path.pkg.span);
      const known = r.packages.map((p) => `\n    ${packageNameToString(p.name)}`).join("");
      fail(
        "WIT_UNKNOWN",
        `package '${pkgName}' not found. known packages:${known}`,
        path.pkg.span,
        missingPackageHint(pkgName, new Set([...r.packageNames.keys(), ...this.pushed])),
      );
    }
    return { pid, pkgName };
  }

  private foreignInterface(path: Extract<UsePath, { tag: "package" }>): InterfaceId {
    const item = this.foreignItem(path, "interface");
    if (item.tag !== "interface") wrongKind(path.name.name, "interface", path.name);
    return item.id;
  }

  /** The interface a path names; `null` for a gated-out one when the referring item is gated out too. */
  private interfaceOf(path: UsePath, referrerExcluded = false): InterfaceId | null {
    return this.itemOf(path, "interface", referrerExcluded);
  }

  private worldOf(path: UsePath, referrerExcluded = false): WorldId | null {
    return this.itemOf(path, "world", referrerExcluded);
  }

  /** The interface or world a path names, refusing the other kind and (unless excused) gated-out items. */
  private itemOf(path: UsePath, want: "interface" | "world", referrerExcluded: boolean): number | null {
    if (want === "world" && path.tag === "package") {
      // A package's world and interface may share a name: look for the world first.
      const item = this.foreignItem(path, "world");
      if (item.tag !== "world") wrongKind(path.name.name, "world", path.name);
      return item.id;
    }
    const { item, span, name } = this.lookupItem(path);
    const other = want === "world" ? "interface" : "world";
    if (item.tag === other || (item.tag === "excluded" && item.what === other)) wrongKind(name, want, span);
    if (item.tag === "excluded" && (referrerExcluded || this.lenient)) return null;
    if (item.tag === "excluded")
      fail(
        "WIT_INVALID",
        `found a reference to a ${item.what} which is excluded due to its feature not being activated`,
        span,
      );
    return item.id;
  }

  /** Names visible in an interface: the local lookup table, or a resolved interface's types and functions. */
  private namesOf(id: InterfaceId): Map<string, LookupEntry> {
    const local = this.ifaceLookup.get(id);
    if (local) return local;
    const iface = this.resolve.interfaces[id];
    const m = new Map<string, LookupEntry>();
    for (const [n, t] of iface.types) m.set(n, { tag: "type", id: t });
    for (const [n] of iface.functions) if (!n.startsWith("[")) m.set(n, { tag: "func" });
    this.ifaceLookup.set(id, m);
    return m;
  }

  // ---- interfaces ----------------------------------------------------------------------------

  private resolveInterface(
    id: InterfaceId,
    items: InterfaceItemAst[],
    docs: string[] | null,
    attrs: Attribute[],
  ): void {
    const iface = this.resolve.interfaces[id];
    iface.docs = docsOf(docs);
    iface.stability = this.stability(attrs);
    const lookup = new Map<string, LookupEntry>();
    const uses: UseAst[] = [];
    const defs: TypeDefAst[] = [];
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (it.tag === "use") uses.push(it.use);
      else if (it.tag === "type") defs.push(it.def);
    }
    this.resolveTypes({ tag: "interface", id }, uses, defs, lookup);
    lookup.forEach((e, name) => {
      if (e.tag === "type") iface.types.set(name, e.id);
    });

    const funcs: WitFunction[] = [];
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (it.tag === "func") {
        define(lookup, it.name, { tag: "func" });
        const kind: FunctionKind = it.func.async ? { tag: "async-freestanding" } : { tag: "freestanding" };
        const f = this.resolveFunction(it.docs, it.attrs, it.name.name, it.func, kind, lookup);
        if (this.includeStability(f.stability, it.name)) funcs.push(f);
      } else if (it.tag === "type" && it.def.body.tag === "resource") {
        this.resourceFuncs(it.def, lookup, funcs);
      }
    }
    for (let k = 0; k < funcs.length; k++) iface.functions.set(funcs[k].name, funcs[k]);
    this.ifaceLookup.set(id, lookup);
  }

  /** Resolves a resource's functions into `out`. */
  private resourceFuncs(def: TypeDefAst, lookup: Map<string, LookupEntry>, out: WitFunction[]): void {
    const entry = lookup.get(def.name.name);
    if (entry === undefined || entry.tag === "func" || def.body.tag !== "resource") return;
    // A gated-out resource keeps its functions by their own gates, as wit-parser does: they are
    // checked, and one that stays (not gated out itself) refers to a resource that is not there.
    const excluded = entry.tag === "excluded";
    const resource = entry.tag === "type" ? entry.id : EXCLUDED_ANON;
    const funcs = def.body.funcs;
    for (let k = 0; k < funcs.length; k++) {
      const rf = funcs[k];
      let name: string;
      let kind: FunctionKind;
      if (rf.kind === "method") {
        name = `[method]${def.name.name}.${rf.name.name}`;
        kind = rf.func.async ? { tag: "async-method", resource } : { tag: "method", resource };
      } else if (rf.kind === "static") {
        name = `[static]${def.name.name}.${rf.name.name}`;
        kind = rf.func.async ? { tag: "async-static", resource } : { tag: "static", resource };
      } else {
        name = `[constructor]${def.name.name}`;
        kind = { tag: "constructor", resource };
      }
      if (excluded) {
        const saved = this.lenient;
        this.lenient = true;
        let f: WitFunction;
        try {
          f = this.resolveFunction(rf.docs, rf.attrs, name, rf.func, kind, lookup);
        } finally {
          this.lenient = saved;
        }
        if (!this.dropping && this.includeStability(f.stability, rf.name)) fail("WIT_INVALID", EXCLUDED_TYPE, rf.name);
        continue;
      }
      const f = this.resolveFunction(rf.docs, rf.attrs, name, rf.func, kind, lookup);
      if (this.includeStability(f.stability, rf.name)) out.push(f);
    }
  }

  private resolveTypes(owner: TypeOwner, uses: UseAst[], defs: TypeDefAst[], lookup: Map<string, LookupEntry>): void {
    for (let k = 0; k < uses.length; k++) this.resolveUse(owner, uses[k], lookup);
    const typeDeps = new Map<string, Ident[]>();
    const typeDefs = new Map<string, TypeDefAst | null>();
    // wit-parser lists `use`d names and definitions in source order, interleaved: merge the two
    // lists (each in source order).
    let ui = 0;
    let di = 0;
    while (ui < uses.length || di < defs.length) {
      if (di === defs.length || (ui < uses.length && uses[ui].span.start < defs[di].name.start)) {
        const names = uses[ui++].names;
        for (let k = 0; k < names.length; k++) {
          const n = names[k];
          const name = (n.as ?? n.name).name;
          typeDeps.set(name, []);
          typeDefs.set(name, null);
        }
      } else {
        const d = defs[di++];
        if (typeDefs.has(d.name.name))
          fail("WIT_DUPLICATE", `name \`${d.name.name}\` is defined more than once`, d.name);
        typeDefs.set(d.name.name, d);
        const ds: Ident[] = [];
        collectDeps(d.body, ds);
        typeDeps.set(d.name.name, ds);
      }
    }
    const order = toposort("type", typeDeps);
    for (let k = 0; k < order.length; k++) {
      const name = order[k];
      const def = typeDefs.get(name);
      if (!def) continue;
      const stability = this.stability(def.attrs);
      const included = this.includeStability(stability, def.name);
      const saved = this.lenient;
      this.lenient = saved || !included;
      const kind = this.resolveTypeDef(def.body, stability, lookup);
      this.lenient = saved;
      if (included) {
        const id = this.allocType({ name, kind, owner, docs: docsOf(def.docs), stability });
        define(lookup, def.name, { tag: "type", id });
      } else {
        define(lookup, def.name, { tag: "excluded", def });
      }
    }
  }

  /**
   * A `use` makes an alias type per name. As in wit-parser, whether the aliases exist depends on
   * the `use`'s own gate, not on the interface or world around it: an alias that exists must
   * point at types that exist, while a gated-out `use` may name gated-out types and interfaces.
   */
  private resolveUse(owner: TypeOwner, u: UseAst, lookup: Map<string, LookupEntry>): void {
    const stability = this.stability(u.attrs);
    // The gate is applied to the aliases, so a `use` of no names never has it checked.
    const included = u.names.length === 0 || this.includeStability(stability, u.span);
    if (this.gatedOutForeign(u.path, !included)) {
      for (const n of u.names) define(lookup, n.as ?? n.name, { tag: "excluded", def: undefined });
      return;
    }
    // A gated-out interface gives null here; `useFromExcluded` then checks the names.
    const from = this.interfaceOf(u.path, true);
    if (from === null) {
      const defs = this.useFromExcluded(u, included);
      for (const n of u.names)
        define(lookup, n.as ?? n.name, { tag: "excluded", def: defs.get(n.name.name) ?? undefined });
      return;
    }
    const names = this.namesOf(from);
    for (let k = 0; k < u.names.length; k++) {
      const n = u.names[k];
      const e = names.get(n.name.name);
      if (!e)
        unknownUsedName(
          n.name,
          [...names].filter(([, v]) => v.tag === "type").map(([k]) => k),
        );
      if (e.tag === "func") fail("WIT_INVALID", `cannot import function \`${n.name.name}\``, n.name);
      const as = n.as ?? n.name;
      if (!included) {
        define(lookup, as, e.tag === "type" ? { tag: "excluded", target: e.id } : e);
        continue;
      }
      if (e.tag === "excluded") fail("WIT_INVALID", EXCLUDED_TYPE, n.name);
      const id = this.allocType({ name: as.name, kind: { tag: "type", type: e.id }, owner, docs: null, stability });
      define(lookup, as, { tag: "type", id });
    }
  }

  /**
   * Checks a `use` of a gated-out interface, whose names are known only from its syntax: each must
   * be a type there. Only a gated-out `use` may name it (an alias would point into an interface
   * that is not there).
   */
  private useFromExcluded(u: UseAst, included: boolean): Map<string, TypeDefAst | null> {
    const { item } = this.lookupItem(u.path);
    const ast = item.tag === "excluded" && item.what === "interface" ? (item.ast as InterfaceAst) : null;
    const types = new Map<string, TypeDefAst | null>();
    const funcs = new Set<string>();
    for (const it of ast?.items ?? []) {
      if (it.tag === "type") types.set(it.def.name.name, it.def);
      else if (it.tag === "func") funcs.add(it.name.name);
      else for (const n of it.use.names) types.set((n.as ?? n.name).name, null);
    }
    for (const n of u.names) {
      if (funcs.has(n.name.name)) fail("WIT_INVALID", `cannot import function \`${n.name.name}\``, n.name);
      if (!types.has(n.name.name)) unknownUsedName(n.name, types.keys());
      if (!included) continue;
      // wit-parser names the gated-out type when it is gated itself, else its interface.
      const def = types.get(n.name.name);
      const gated = def != null && !this.includeStability(this.stability(def.attrs), def.name);
      if (gated) fail("WIT_INVALID", EXCLUDED_TYPE, n.name);
      fail(
        "WIT_INVALID",
        "found a reference to a interface which is excluded due to its feature not being activated",
        u.path.tag === "local" ? u.path.name : u.path.span,
      );
    }
    return types;
  }

  // ---- types ---------------------------------------------------------------------------------

  private typeName(name: Ident, lookup: Map<string, LookupEntry>): TypeId {
    const e = lookup.get(name.name);
    if (!e)
      fail(
        "WIT_UNKNOWN",
        `name \`${name.name}\` does not exist`,
        name,
        didYouMean(name.name, [
          ...[...lookup].filter(([, v]) => v.tag === "type").map(([k]) => k),
          ...BUILTIN_TYPE_NAMES,
        ]),
      );
    if (e.tag === "func") fail("WIT_INVALID", `cannot use function \`${name.name}\` as a type`, name);
    if (e.tag === "excluded" && this.lenient) return EXCLUDED_ANON;
    if (e.tag === "excluded") fail("WIT_INVALID", EXCLUDED_TYPE, name);
    return e.id;
  }

  private validateResource(name: Ident, lookup: Map<string, LookupEntry>): TypeId {
    const id = this.typeName(name, lookup);
    if (id === EXCLUDED_ANON) {
      // Gated out, but wit-parser still checks that a handle names a resource.
      if (!this.excludedResourceOk(name.name, lookup, 0))
        fail("WIT_INVALID", `type \`${name.name}\` used in a handle must be a resource`, name);
      return id;
    }
    let cur = id;
    for (;;) {
      const k = this.resolve.types[cur].kind;
      if (k.tag === "resource") return id;
      if (k.tag === "type" && typeof k.type === "number") {
        // An alias of a gated-out type (in a gated-out item): nothing more to follow.
        if (k.type === EXCLUDED_ANON) return id;
        cur = k.type;
      } else fail("WIT_INVALID", `type \`${name.name}\` used in a handle must be a resource`, name);
    }
  }

  /** Whether a gated-out name may be a resource: a resource, an alias of one, or unknown here. */
  private excludedResourceOk(name: string, lookup: Map<string, LookupEntry>, depth: number): boolean {
    const e = lookup.get(name);
    if (e === undefined || e.tag === "func" || depth > 100) return true;
    const target = e.tag === "type" ? e.id : e.target;
    if (target !== undefined) {
      let cur = target;
      for (;;) {
        if (cur === EXCLUDED_ANON) return true;
        const k = this.resolve.types[cur].kind;
        if (k.tag === "resource") return true;
        if (k.tag !== "type" || typeof k.type !== "number") return false;
        cur = k.type;
      }
    }
    if (e.tag === "type") return true;
    const def = e.def;
    if (def === undefined || def.body.tag === "resource") return true;
    if (def.body.tag !== "alias") return false;
    const t = def.body.type;
    return t.tag === "name" ? this.excludedResourceOk(t.name.name, lookup, depth + 1) : false;
  }

  private resolveTypeDef(body: TypeDefBody, stability: Stability, lookup: Map<string, LookupEntry>): TypeDefKind {
    switch (body.tag) {
      case "alias":
        return this.kindOf(body.type, stability, lookup);
      case "resource": {
        const names = new Set<string>();
        let ctors = 0;
        for (const f of body.funcs) {
          if (f.kind === "constructor") {
            if (++ctors > 1) fail("WIT_DUPLICATE", "duplicate constructors", f.name);
          } else {
            if (names.has(f.name.name)) fail("WIT_DUPLICATE", `duplicate function name \`${f.name.name}\``, f.name);
            names.add(f.name.name);
          }
        }
        return { tag: "resource" };
      }
      case "record": {
        const fields = new Array<Field>(body.fields.length);
        for (let k = 0; k < fields.length; k++) {
          const f = body.fields[k];
          fields[k] = { docs: docsOf(f.docs), name: f.name.name, type: this.resolveType(f.type, stability, lookup) };
        }
        return { tag: "record", fields };
      }
      case "flags":
        return { tag: "flags", flags: body.flags.map((f) => ({ docs: docsOf(f.docs), name: f.name.name })) };
      case "variant": {
        if (body.cases.length === 0) fail("WIT_INVALID", "empty variant", body.span);
        const cases = new Array<Case>(body.cases.length);
        for (let k = 0; k < cases.length; k++) {
          const c = body.cases[k];
          const docs = docsOf(c.docs);
          cases[k] = { docs, name: c.name.name, type: c.type ? this.resolveType(c.type, stability, lookup) : null };
        }
        return { tag: "variant", cases };
      }
      case "enum":
        if (body.cases.length === 0) fail("WIT_INVALID", "empty enum", body.span);
        return { tag: "enum", cases: body.cases.map((c) => ({ docs: docsOf(c.docs), name: c.name.name })) };
    }
  }

  private kindOf(t: TypeAst, stability: Stability, lookup: Map<string, LookupEntry>): TypeDefKind {
    switch (t.tag) {
      case "prim":
        return { tag: "type", type: t.prim };
      case "name":
        return { tag: "type", type: this.typeName(t.name, lookup) };
      case "list": {
        const elem = this.resolveType(t.elem, stability, lookup);
        return t.size === null ? { tag: "list", type: elem } : { tag: "fixed-size-list", type: elem, size: t.size };
      }
      case "map": {
        const key = this.resolveType(t.key, stability, lookup);
        const value = this.resolveType(t.value, stability, lookup);
        if (typeof key !== "string" || key === "f32" || key === "f64" || key === "error-context")
          fail(
            "WIT_INVALID",
            "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string",
            t,
          );
        return { tag: "map", key, value };
      }
      case "option":
        return { tag: "option", type: this.resolveType(t.elem, stability, lookup) };
      case "result":
        return {
          tag: "result",
          ok: t.ok ? this.resolveType(t.ok, stability, lookup) : null,
          err: t.err ? this.resolveType(t.err, stability, lookup) : null,
        };
      case "tuple": {
        const types = new Array<Type>(t.types.length);
        for (let k = 0; k < types.length; k++) types[k] = this.resolveType(t.types[k], stability, lookup);
        return { tag: "tuple", types };
      }
      case "future":
      case "stream":
        return { tag: t.tag, type: t.elem ? this.resolveType(t.elem, stability, lookup) : null };
      case "handle":
        return { tag: "handle", handle: t.handle, resource: this.validateResource(t.name, lookup) };
    }
  }

  private resolveType(t: TypeAst, stability: Stability, lookup: Map<string, LookupEntry>): Type {
    // Primitives and names (most types) stand for themselves: no kind to build and intern.
    if (t.tag === "prim") return t.prim;
    if (t.tag === "name") return this.typeName(t.name, lookup);
    const kind = this.kindOf(t, stability, lookup);
    return this.anonType(kind, this.findStability(kind, stability), t);
  }

  private anonType(kind: TypeDefKind, stability: Stability, span: Span): Type {
    if (kind.tag === "type") return kind.type;
    if (kind.tag === "handle" && kind.handle === "own") return kind.resource;
    const key = anonKey(kind);
    // A gated-out item's anonymous types over gated-out types are dropped with it.
    if (this.lenient && refsExcluded(kind)) return EXCLUDED_ANON;
    const prev = this.anon.get(key);
    if (prev !== undefined) {
      if (prev === EXCLUDED_ANON && this.lenient) return EXCLUDED_ANON;
      if (prev === EXCLUDED_ANON)
        fail(
          "WIT_INVALID",
          EXCLUDED_TYPE,
          span,
          "an identical anonymous type inside a gated-out item is resolved first; wit-parser makes each " +
            "anonymous type once per package, so this one is gated out too (gate this item as well, or give the type a name)",
        );
      return prev;
    }
    if (!this.includeStability(stability, span)) {
      this.anon.set(key, EXCLUDED_ANON);
      if (this.dropping) this.droppedAnon.push({ key, kind });
      return EXCLUDED_ANON;
    }
    const id = this.allocType({ name: null, kind, owner: { tag: "none" }, docs: null, stability });
    this.anon.set(key, id);
    return id;
  }

  private findStability(kind: TypeDefKind, stability: Stability): Stability {
    if (stability.tag !== "unknown") return stability;
    const types = this.resolve.types;
    let found: Stability | null = null;
    switch (kind.tag) {
      case "type":
      case "list":
      case "fixed-size-list":
      case "option":
      case "future":
      case "stream":
        found = knownStability(types, kind.type);
        break;
      case "handle":
        found = knownStability(types, kind.resource);
        break;
      case "tuple":
        for (let k = 0; k < kind.types.length; k++) if ((found = knownStability(types, kind.types[k]))) break;
        break;
      case "map":
        found = knownStability(types, kind.key) ?? knownStability(types, kind.value);
        break;
      case "result":
        found = knownStability(types, kind.ok) ?? knownStability(types, kind.err);
        break;
      default:
        break;
    }
    return found ?? UNKNOWN_STABILITY;
  }

  // ---- functions -----------------------------------------------------------------------------

  private resolveFunction(
    docs: string[] | null,
    attrs: Attribute[],
    name: string,
    func: FuncAst,
    kind: FunctionKind,
    lookup: Map<string, LookupEntry>,
  ): WitFunction {
    // Most functions have no gate: nothing to check or switch.
    if (attrs.length === 0) return this.resolveFunctionBody(docs, UNKNOWN_STABILITY, name, func, kind, lookup);
    const stability = this.stability(attrs);
    const saved = this.lenient;
    this.lenient = saved || !this.includeStability(stability, attrs[0].span);
    try {
      return this.resolveFunctionBody(docs, stability, name, func, kind, lookup);
    } finally {
      this.lenient = saved;
    }
  }

  private resolveFunctionBody(
    docs: string[] | null,
    stability: Stability,
    name: string,
    func: FuncAst,
    kind: FunctionKind,
    lookup: Map<string, LookupEntry>,
  ): WitFunction {
    // The model keeps the array: allocate it at its exact size (`push` reserves 17 slots).
    const first = kind.tag === "method" || kind.tag === "async-method" ? 1 : 0;
    const params = new Array<Param>(first + func.params.length);
    if (kind.tag === "method" || kind.tag === "async-method") {
      const hk: TypeDefKind = { tag: "handle", handle: "borrow", resource: kind.resource };
      params[0] = { name: "self", type: this.anonType(hk, this.findStability(hk, UNKNOWN_STABILITY), func) };
    }
    for (let k = 0; k < func.params.length; k++) {
      const p = func.params[k];
      const type = this.resolveType(p.type, UNKNOWN_STABILITY, lookup);
      if (hasParam(params, first + k, p.name.name))
        fail("WIT_DUPLICATE", `param \`${p.name.name}\` is defined more than once`, p.name);
      params[first + k] = { name: p.name.name, type };
    }
    let result: Type | null = null;
    if (kind.tag === "constructor") {
      if (func.result === null) result = kind.resource;
      else {
        result = this.resolveType(func.result, UNKNOWN_STABILITY, lookup);
        const def = typeof result === "number" ? this.resolve.types[result] : null;
        if (result === EXCLUDED_ANON) return { name, kind, params, result, docs: docsOf(docs), stability };
        if (def?.kind.tag !== "result")
          fail("WIT_INVALID", "if a constructor return type is declared it must be a `result`", func.result);
        if (def.kind.ok !== kind.resource) {
          const r = func.result;
          const okSpan = r.tag === "result" && r.ok ? r.ok : r;
          fail("WIT_INVALID", "the `ok` type must be the resource being constructed", okSpan);
        }
      }
    } else if (func.result !== null) {
      result = this.resolveType(func.result, UNKNOWN_STABILITY, lookup);
      if (this.containsBorrow(result))
        fail(
          "WIT_INVALID",
          `function \`${name}\` returns a type which contains a \`borrow<T>\` which is not supported`,
          func.result,
        );
    }
    return { name, kind, params, result, docs: docsOf(docs), stability };
  }

  /** Whether a type contains a `borrow<T>` (memoized: types never change once created). */
  private containsBorrow(t: Type | null): boolean {
    if (typeof t !== "number" || t < 0) return false;
    const memo = this.borrowMemo.get(t);
    if (memo !== undefined) return memo;
    const k = this.resolve.types[t].kind;
    let found = false;
    switch (k.tag) {
      case "handle":
        found = k.handle === "borrow";
        break;
      case "type":
      case "list":
      case "fixed-size-list":
      case "option":
        found = this.containsBorrow(k.type);
        break;
      case "map":
        found = this.containsBorrow(k.key) || this.containsBorrow(k.value);
        break;
      case "result":
        found = this.containsBorrow(k.ok) || this.containsBorrow(k.err);
        break;
      case "tuple":
        for (let i = 0; i < k.types.length; i++) if ((found = this.containsBorrow(k.types[i]))) break;
        break;
      case "record":
        for (let i = 0; i < k.fields.length; i++) if ((found = this.containsBorrow(k.fields[i].type))) break;
        break;
      case "variant":
        for (let i = 0; i < k.cases.length; i++) if ((found = this.containsBorrow(k.cases[i].type))) break;
        break;
      default:
        break;
    }
    this.borrowMemo.set(t, found);
    return found;
  }

  // ---- worlds --------------------------------------------------------------------------------

  private resolveWorld(id: WorldId, ast: WorldAst): void {
    const world = this.resolve.worlds[id];
    this.worldSpans.set(id, ast.name);
    world.docs = docsOf(ast.docs);
    world.stability = this.stability(ast.attrs);
    const lookup = new Map<string, LookupEntry>();
    const uses: UseAst[] = [];
    const defs: TypeDefAst[] = [];
    for (const it of ast.items) {
      if (it.tag === "use") uses.push(it.use);
      else if (it.tag === "type") defs.push(it.def);
    }
    this.resolveTypes({ tag: "world", id }, uses, defs, lookup);
    for (const it of ast.items) {
      if (it.tag !== "include") continue;
      const stability = this.stability(it.attrs);
      const gatedOut = !this.includeStability(stability, it.span);
      if (this.gatedOutForeign(it.path, gatedOut)) continue;
      const from = this.worldOf(it.path, gatedOut);
      if (from === null) continue;
      if (this.includeStability(stability, it.span)) {
        world.includes.push({
          stability,
          world: from,
          names: it.names.map((n) => ({ name: n.name.name, as: n.as.name })),
        });
        const spans = this.includeSpans.get(id) ?? [];
        spans.push(it.span);
        this.includeSpans.set(id, spans);
      }
    }
    // Names are checked against every item, gated out or not, as wit-parser does before dropping any.
    const seen = { import: new Map<WorldKey, string>(), export: new Map<WorldKey, string>() };
    for (const [name, e] of lookup) {
      // wit-parser 0.259 keeps a world's gated-out types as imports that point nowhere, and rejects them.
      if (e.tag === "excluded" && !this.dropping) fail("WIT_INVALID", EXCLUDED_TYPE, worldTypeSpan(ast, name));
      if (e.tag === "type") world.imports.set(name, { tag: "type", id: e.id });
      seen.import.set(name, "type");
    }

    const imported = new Set<InterfaceId>();
    const exported = new Set<InterfaceId>();
    const importedExcluded = new Set<object>();
    const foreignPaths = new Set<string>();
    const exportedExcluded = new Set<object>();
    for (const it of ast.items) {
      if (it.tag === "type") {
        if (it.def.body.tag === "resource") {
          const funcs: WitFunction[] = [];
          this.resourceFuncs(it.def, lookup, funcs);
          for (const f of funcs) world.imports.set(f.name, { tag: "function", func: f });
        }
        continue;
      }
      if (it.tag !== "import" && it.tag !== "export") continue;
      const desc = it.tag;
      const k = it.kind;
      const stability = this.stability(it.attrs);
      const included = this.includeStability(stability, it.span);
      let item: WorldItem | null = null;
      let key: WorldKey;
      let what: string;
      let span: Span;
      if (k.tag === "interface") {
        key = k.name.name;
        what = "interface";
        span = k.name;
        if (!included) {
          this.dropped("interface", k.name, () => {
            const iid = this.allocInterface(null);
            this.resolveInterface(iid, k.items, it.docs, it.attrs);
            return { tag: "interface", id: iid };
          });
        } else {
          const iid = this.allocInterface(null);
          this.resolveInterface(iid, k.items, it.docs, it.attrs);
          item = { tag: "interface", id: iid, stability: this.resolve.interfaces[iid].stability };
        }
      } else if (k.tag === "path") {
        if (k.path.tag === "package") {
          // Found again by its path whether it is resolved or gated out and left unresolved.
          const path = `${desc} ${packageNameToString(astName(k.path.pkg))}/${k.path.name.name}`;
          if (foreignPaths.has(path))
            fail("WIT_DUPLICATE", `interface cannot be ${desc}ed more than once`, k.path.span);
          foreignPaths.add(path);
        }
        if (this.gatedOutForeign(k.path, !included)) continue;
        const iid = this.interfaceOf(k.path, !included);
        if (iid === null) {
          // A gated-out interface still may not be imported (or exported) twice.
          const { item: ex } = this.lookupItem(k.path);
          const seenExcluded = desc === "import" ? importedExcluded : exportedExcluded;
          if (ex.tag === "excluded") {
            if (seenExcluded.has(ex.ast))
              fail(
                "WIT_DUPLICATE",
                `interface cannot be ${desc}ed more than once`,
                k.path.tag === "local" ? k.path.name : k.path.span,
              );
            seenExcluded.add(ex.ast);
          }
          continue;
        }
        item = { tag: "interface", id: iid, stability };
        key = iid;
        what = "interface";
        span = k.path.tag === "local" ? k.path.name : k.path.span;
      } else if (k.tag === "named") {
        // A plain name for an interface defined elsewhere: the same interface may appear under
        // several names, and by its own name too.
        const iid = this.gatedOutForeign(k.path, !included) ? null : this.interfaceOf(k.path, !included);
        key = k.name.name;
        what = "interface";
        span = k.name;
        if (iid !== null) item = { tag: "interface", id: iid, stability };
      } else {
        const kind: FunctionKind = k.func.async ? { tag: "async-freestanding" } : { tag: "freestanding" };
        const f = this.resolveFunction(it.docs, it.attrs, k.name.name, k.func, kind, lookup);
        item = { tag: "function", func: f };
        key = f.name;
        what = "func";
        span = k.name;
      }
      if (item?.tag === "interface" && typeof key !== "string") {
        const set = desc === "import" ? imported : exported;
        if (set.has(item.id)) fail("WIT_DUPLICATE", `interface cannot be ${desc}ed more than once`, span);
        set.add(item.id);
      }
      const prev = seen[desc].get(key);
      if (prev !== undefined)
        fail("WIT_DUPLICATE", `${desc} \`${String(key)}\` conflicts with prior ${prev} of same name`, span);
      seen[desc].set(key, what);
      if (item !== null && included) (desc === "import" ? world.imports : world.exports).set(key, item);
      if (desc === "export" && included) {
        const spans = this.exportSpans.get(id) ?? new Map<WorldKey, Span>();
        spans.set(key, span);
        this.exportSpans.set(id, spans);
      }
    }
  }

  private processIncludes(id: WorldId): void {
    const world = this.resolve.worlds[id];
    const spans = this.includeSpans.get(id) ?? [];
    for (const [index, inc] of world.includes.entries()) {
      const span = spans[index] ?? null;
      const from = this.resolve.worlds[inc.world];
      // Each name in `with` must be a plain name of the included world; the first rename of a
      // name is the one used (wit-parser accepts the same name twice).
      const unknown = inc.names.find((n) => !from.imports.has(n.name) && !from.exports.has(n.name));
      if (unknown !== undefined)
        fail(
          "WIT_UNKNOWN",
          `no import or export kebab-name \`${unknown.name}\`. Note that an ID does not support renaming`,
          span,
        );
      const merge = (dst: Map<WorldKey, WorldItem>, src: Map<WorldKey, WorldItem>, desc: string) => {
        for (const [key, item] of src) {
          if (typeof key === "string") {
            const n = inc.names.find((x) => x.name === key)?.as ?? key;
            if (dst.has(n)) fail("WIT_DUPLICATE", `${desc} of \`${n}\` shadows previously ${desc}ed items`, span);
            dst.set(n, item);
          } else {
            const prior = dst.get(key);
            if (prior === undefined) dst.set(key, item);
            else if (prior.tag === "interface" && item.tag === "interface") {
              // Both gates known and different is an error; a known one wins over none.
              const a = prior.stability;
              const b = item.stability;
              if (b.tag !== "unknown" && a.tag === "unknown") dst.set(key, { ...prior, stability: b });
              else if (a.tag !== "unknown" && b.tag !== "unknown" && gateText(a) !== gateText(b))
                fail(
                  "WIT_INVALID",
                  `interface \`${worldKeyName(this.resolve, key)}\` is ${desc}ed with ${gateText(a)} here and with ` +
                    `${gateText(b)} in the included world`,
                  span,
                );
            }
          }
        }
      };
      merge(world.imports, from.imports, "import");
      merge(world.exports, from.exports, "export");
    }
    world.includes = [];
  }
}

/** A gate as written: `@since(version = 1.0.0)`, `@unstable(feature = x)`, with `@deprecated` if any. */
function gateText(s: Stability): string {
  const dep = s.tag !== "unknown" && s.deprecated !== null ? ` @deprecated(version = ${s.deprecated})` : "";
  if (s.tag === "stable") return `@since(version = ${s.since})${dep}`;
  if (s.tag === "unstable") return `@unstable(feature = ${s.feature})${dep}`;
  return "no gate";
}

/** Where a world's type (a definition or a `use`d name) is written. */
function worldTypeSpan(ast: WorldAst, name: string): Span | null {
  for (const it of ast.items) {
    if (it.tag === "type" && it.def.name.name === name) return it.def.name;
    if (it.tag === "use") for (const n of it.use.names) if ((n.as ?? n.name).name === name) return n.as ?? n.name;
  }
  return null;
}

/** Whether some type an anonymous type refers to passes `test` (absent types never do). */
function someRef(kind: TypeDefKind, test: (t: Type) => boolean): boolean {
  const x = (t: Type | null) => t !== null && test(t);
  switch (kind.tag) {
    case "record":
      return kind.fields.some((f) => x(f.type));
    case "variant":
      return kind.cases.some((c) => x(c.type));
    case "tuple":
      return kind.types.some(x);
    case "handle":
      return x(kind.resource);
    case "map":
      return x(kind.key) || x(kind.value);
    case "result":
      return x(kind.ok) || x(kind.err);
    case "list":
    case "fixed-size-list":
    case "option":
    case "future":
    case "stream":
    case "type":
      return x(kind.type);
    default:
      return false;
  }
}

/** Whether every type an anonymous type refers to has an id below `limit` (primitives always do). */
function refsBelow(kind: TypeDefKind, limit: number): boolean {
  return !someRef(kind, (t) => typeof t === "number" && t >= limit);
}

function refsExcluded(kind: TypeDefKind): boolean {
  return someRef(kind, (t) => t === EXCLUDED_ANON);
}

/** Fails for a name that is defined as the other kind of item than `want`. */
/**
 * Another package's item named both as an interface and as a world refuses the package before
 * anything is resolved, gated out or not, as wit-parser's first pass over the syntax does.
 */
function checkForeignKinds(files: PackageFileAst[]): void {
  const kinds = new Map<string, "interface" | "world" | "either">();
  forEachPath(files, (path, kind) => {
    if (path.tag !== "package" || kind === "either") return;
    const key = `${packageNameToString(astName(path.pkg))}/${path.name.name}`;
    const before = kinds.get(key);
    if (before === undefined) kinds.set(key, kind);
    else if (before !== kind) wrongKind(path.name.name, kind, path.name);
  });
}

function wrongKind(name: string, want: "interface" | "world", span: Span): never {
  const [is, not] = want === "world" ? ["an interface", "a world"] : ["a world", "an interface"];
  return fail("WIT_INVALID", `name \`${name}\` is defined as ${is}, not ${not}`, span);
}

/** Whether one of the first `count` params is named `name`. */
/**
 * Plain names of a world's imports (and of its exports) must differ in more than case: kebab-case
 * names are case-insensitive in the component model, as wit-parser checks.
 */
function checkCaseConflicts(world: World): void {
  for (const [items, desc] of [
    [world.imports, "import"],
    [world.exports, "export"],
  ] as const) {
    const seen = new Map<string, string>();
    for (const key of items.keys()) {
      if (typeof key !== "string") continue;
      const lower = key.toLowerCase();
      const prior = seen.get(lower);
      if (prior !== undefined && prior !== key)
        fail(
          "WIT_DUPLICATE",
          `${desc} \`${key}\` in world \`${world.name}\` conflicts with ${desc} \`${prior}\` (kebab-case identifiers are case-insensitive)`,
        );
      seen.set(lower, key);
    }
  }
}

/** What to do about a package that is not there: a near name, another version, or where it goes. */
function missingPackageHint(name: string, known: ReadonlySet<string>): string {
  const bare = name.replace(/@.*$/, "");
  const versions = [...known].filter((k) => k.startsWith(`${bare}@`)).map((k) => k.slice(bare.length + 1));
  if (versions.length > 0)
    return `\`${bare}\` is here at version ${versions.join(", ")}: use that version, or add ${name}`;
  // A typo is in the name or in the namespace, not both: `example:math` is no near miss for `example:app`.
  const [ns, pkg] = bare.split(":") as [string, string];
  const parts = [...known].map((k) => ({ k, ns: k.slice(0, k.indexOf(":")), pkg: k.replace(/^[^:]*:|@.*$/g, "") }));
  const sameNs = parts.filter((p) => p.ns === ns);
  const samePkg = parts.filter((p) => p.pkg === pkg);
  const byName = closestName(
    pkg,
    sameNs.map((p) => p.pkg),
  );
  const byNs = closestName(
    ns,
    samePkg.map((p) => p.ns),
  );
  const near =
    byName !== null
      ? sameNs.find((p) => p.pkg === byName)
      : byNs !== null
        ? samePkg.find((p) => p.ns === byNs)
        : undefined;
  if (near !== undefined) return `did you mean \`${near.k}\`?`;
  return `a package's dependencies go in its folder's \`deps/\` (a folder or a .wit file per package); one source text can nest them as \`package ${name} { ... }\``;
}

/** The built-in types' names, for hints on a misspelled one (`strng`): the names in scope come first. */
const BUILTIN_TYPE_NAMES = [
  ...["bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string"],
  ...["error-context", "list", "option", "result", "tuple", "future", "stream", "borrow", "own"],
];

const EXCLUDED_TYPE = "found a reference to a type which is excluded due to its feature not being activated";

function unknownUsedName(name: Ident, candidates: Iterable<string>): never {
  return fail("WIT_UNKNOWN", `name \`${name.name}\` does not exist`, name, didYouMean(name.name, candidates));
}

function hasParam(params: Param[], count: number, name: string): boolean {
  for (let i = 0; i < count; i++) if (params[i].name === name) return true;
  return false;
}

/** The stability of a type that has a known one, else `null`. */
function knownStability(types: TypeDef[], t: Type | null): Stability | null {
  if (typeof t !== "number" || t < 0) return null;
  const s = types[t].stability;
  return s.tag === "unknown" ? null : s;
}

function define(lookup: Map<string, LookupEntry>, name: Ident, entry: LookupEntry): void {
  if (lookup.has(name.name)) fail("WIT_DUPLICATE", `name \`${name.name}\` is defined more than once`, name);
  lookup.set(name.name, entry);
}

function collectDeps(body: TypeDefBody, out: Ident[]): void {
  switch (body.tag) {
    case "alias":
      collectTypeDeps(body.type, out);
      break;
    case "record":
      for (let k = 0; k < body.fields.length; k++) collectTypeDeps(body.fields[k].type, out);
      break;
    case "variant":
      for (let k = 0; k < body.cases.length; k++) {
        const type = body.cases[k].type;
        if (type) collectTypeDeps(type, out);
      }
      break;
    default:
      break;
  }
}

function collectTypeDeps(t: TypeAst, out: Ident[]): void {
  switch (t.tag) {
    case "prim":
      return;
    case "name":
      out.push(t.name);
      return;
    case "handle":
      out.push(t.name);
      return;
    case "list":
    case "option":
      collectTypeDeps(t.elem, out);
      return;
    case "map":
      collectTypeDeps(t.key, out);
      collectTypeDeps(t.value, out);
      return;
    case "result":
      if (t.ok) collectTypeDeps(t.ok, out);
      if (t.err) collectTypeDeps(t.err, out);
      return;
    case "tuple":
      for (let k = 0; k < t.types.length; k++) collectTypeDeps(t.types[k], out);
      return;
    case "future":
    case "stream":
      if (t.elem) collectTypeDeps(t.elem, out);
      return;
  }
}

/** The interning key of an anonymous type: its kind and the identity of what it refers to. */
function anonKey(kind: TypeDefKind): string {
  switch (kind.tag) {
    case "record": {
      let s = "record";
      for (let k = 0; k < kind.fields.length; k++) s += ` ${kind.fields[k].name}:${keyOf(kind.fields[k].type)}`;
      return s;
    }
    case "variant": {
      let s = "variant";
      for (let k = 0; k < kind.cases.length; k++) s += ` ${kind.cases[k].name}:${keyOf(kind.cases[k].type)}`;
      return s;
    }
    case "flags":
      return `flags ${kind.flags.map((f) => f.name).join(" ")}`;
    case "enum":
      return `enum ${kind.cases.map((c) => c.name).join(" ")}`;
    case "tuple": {
      let s = "tuple ";
      for (let k = 0; k < kind.types.length; k++) s += k === 0 ? keyOf(kind.types[k]) : ` ${keyOf(kind.types[k])}`;
      return s;
    }
    case "handle":
      return `borrow ${kind.resource}`;
    case "list":
    case "option":
    case "future":
    case "stream":
      return `${kind.tag} ${keyOf(kind.type)}`;
    case "fixed-size-list":
      return `fixed ${keyOf(kind.type)} ${kind.size}`;
    case "map":
      return `map ${keyOf(kind.key)} ${keyOf(kind.value)}`;
    case "result":
      return `result ${keyOf(kind.ok)} ${keyOf(kind.err)}`;
    default:
      return kind.tag;
  }
}

/** How a type reads in an interning key: `_` for none, `#id` for a type id, a primitive's name. */
function keyOf(x: Type | null): string {
  return x === null ? "_" : typeof x === "number" ? `#${x}` : x;
}
