// The packages a WAC document refers to, so a resolver can fetch them before resolving the document.
import type {
  Expr,
  ExternKind,
  ImportType,
  InterfaceItemAst,
  PackageNameAst,
  Span,
  UsePath,
  WacDocument,
  WorldItemAst,
} from "./ast.js";

/** A package a document refers to: by `targets`, `import`, `use`, `new`, or a world's items. */
export interface PackageRef {
  /** `ns:pkg`, without the version. */
  name: string;
  /** The version written with the reference, if any. */
  version?: string;
  /** Where the package is first referred to (with this version). */
  span: Span;
}

/**
 * The distinct packages (name and version) that `doc` refers to, in order of first reference.
 * The document's own package is not included.
 */
export function referencedPackages(doc: WacDocument): PackageRef[] {
  const out: PackageRef[] = [];
  const seen = new Set<string>();
  const add = (pkg: PackageNameAst) => {
    const version = pkg.version?.text;
    const key = version === undefined ? pkg.name : `${pkg.name}@${version}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(version === undefined ? { name: pkg.name, span: pkg.span } : { name: pkg.name, version, span: pkg.span });
  };
  const usePath = (p: UsePath) => {
    if (p.tag === "package") add(p.path.package);
  };
  const ifaceItems = (items: InterfaceItemAst[]) => {
    for (const item of items) if (item.tag === "use") usePath(item.use.path);
  };
  const extern = (k: ExternKind) => {
    if (k.tag === "path") usePath(k.path);
    else if (k.tag === "interface") ifaceItems(k.items);
  };
  const worldItems = (items: WorldItemAst[]) => {
    for (const item of items) {
      if (item.tag === "import" || item.tag === "export") extern(item.kind);
      else if (item.tag === "use") usePath(item.use.path);
      else if (item.tag === "include") usePath(item.path);
    }
  };
  const importType = (t: ImportType) => {
    if (t.tag === "package") add(t.path.package);
    else if (t.tag === "interface") ifaceItems(t.items);
  };

  if (doc.package.targets) add(doc.package.targets.package);
  for (const s of doc.statements) {
    switch (s.kind) {
      case "import":
        importType(s.type);
        break;
      case "use":
        usePath(s.use.path);
        break;
      case "interface":
        ifaceItems(s.items);
        break;
      case "world":
        worldItems(s.items);
        break;
      case "let":
      case "export":
        walkNews(s.expr, add);
        break;
      case "type":
        break;
    }
  }
  return out;
}

function walkNews(expr: Expr, add: (pkg: PackageNameAst) => void): void {
  const p = expr.primary;
  if (p.tag === "nested") walkNews(p.expr, add);
  else if (p.tag === "new") {
    if (p.new.component.tag === "package") add(p.new.component.package);
    for (const arg of p.new.args) if (arg.tag === "named") walkNews(arg.expr, add);
  }
}
