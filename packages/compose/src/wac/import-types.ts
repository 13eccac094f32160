// The declared type of a WAC import that is not a package path (a function, an inline interface,
// a document interface, a `type f = func(...)` alias) as a WIT world item: WAC's type syntax is
// WIT's, so the type is written back as WIT and parsed by @wasm-compose/wit. Types it would take
// from elsewhere (`use`, document-level types) are refused: they would need imports of their own.
import { parseWitPackage, type Resolve, type WorldItem, worldKeyName } from "@wasm-compose/wit";
import type {
  FuncAst,
  Ident,
  ImportStatement,
  InterfaceItemAst,
  InterfaceStatement,
  Span,
  TypeAst,
  TypeDefAst,
  WacDocument,
} from "./ast.js";

/** Refuses the import: `message` at `span`, with a hint. */
export type ImportTypeFail = (message: string, span: Span, hint?: string) => never;

const WORLD = "wac-declared-import";
const ITEM = "item";

/** The declared type of `s` (whose type is not a package path), or a refusal through `fail`. */
export function importItemType(
  doc: WacDocument,
  source: string,
  s: ImportStatement,
  fail: ImportTypeFail,
): { resolve: Resolve; item: WorldItem } {
  const text = (span: Span) => source.slice(span.offset, span.offset + span.length);
  const interfaces = new Map<string, InterfaceStatement>();
  const types = new Map<string, TypeDefAst>();
  const worlds = new Set<string>();
  for (const st of doc.statements) {
    if (st.kind === "interface") interfaces.set(st.name.name, st);
    else if (st.kind === "type") types.set(st.def.name.name, st.def);
    else if (st.kind === "world") worlds.add(st.name.name);
  }
  const what = `the type of import \`${s.id.name}\``;
  const refuse = (why: string, hint?: string): never => fail(`${what} is not supported: ${why}`, s.type.span, hint);

  /** The function a `type f = func(...)` alias (or an alias of one) names; `null` when it names no function. */
  const funcAlias = (name: string, local: Map<string, TypeDefAst>): FuncAst | null => {
    const seen = new Set<string>();
    let def = local.get(name) ?? types.get(name);
    while (def !== undefined && !seen.has(def.name.name)) {
      seen.add(def.name.name);
      if (def.body.tag === "func") return def.body.func;
      if (def.body.tag !== "alias" || def.body.type.tag !== "name") return null;
      const next = def.body.type.name.name;
      def = local.get(next) ?? types.get(next);
    }
    return null;
  };

  /** Refuses a type name the WIT text cannot see: a document-level type (WIT has none). */
  const checkNames = (names: Ident[], defined: Set<string>, where: string) => {
    for (const n of names) {
      if (defined.has(n.name)) continue;
      if (types.has(n.name)) {
        refuse(
          `${where} uses the document's type \`${n.name}\`; only an interface's own types are`,
          "import an interface that defines the type and the functions using it",
        );
      }
    }
  };

  /**
   * An interface body as WIT: WAC-only function aliases resolved. A `use` is refused: the types it
   * brings would belong to another interface, which the composition would have to import too.
   */
  const body = (items: InterfaceItemAst[], where: string): string => {
    const local = new Map<string, TypeDefAst>();
    for (const i of items) if (i.tag === "type") local.set(i.def.name.name, i.def);
    const defined = new Set<string>();
    const used: Ident[] = [];
    const lines: string[] = [];
    for (const i of items) {
      if (i.tag === "use") {
        const p = i.use.path;
        if (p.tag === "package") {
          return refuse(
            `${where} uses \`${p.path.text}\` of another package`,
            "import an interface of that package by its path",
          );
        }
        return refuse(
          `${where} uses types of interface \`${p.name.name}\`, which would have to be imported too`,
          "define the types in the imported interface itself",
        );
      } else if (i.tag === "type") {
        // A function type alias is WAC's alone: it is no item of the interface.
        if (i.def.body.tag === "func") continue;
        defined.add(i.def.name.name);
        used.push(...typeDefNames(i.def));
        lines.push(text(i.def.span));
      } else {
        const ref = i.func;
        const f =
          ref.tag === "func"
            ? ref.func
            : (funcAlias(ref.name.name, local) ?? refuse(`\`${ref.name.name}\` in ${where} is not a function type`));
        used.push(...funcNames(f));
        lines.push(`${text(i.name.span)}: ${text(f.span)};`);
      }
    }
    checkNames(used, defined, where);
    return lines.map((l) => `  ${l}`).join("\n");
  };

  let item: string;
  const t = s.type;
  if (t.tag === "package") throw new Error("a package path types an import by its package");
  if (t.tag === "func") {
    checkNames(funcNames(t.func), new Set(), "the function");
    item = `import ${ITEM}: ${text(t.func.span)};`;
  } else if (t.tag === "interface") {
    item = `import ${ITEM}: interface {\n${body(t.items, "the interface")}\n}`;
  } else {
    const name = t.name.name;
    const iface = interfaces.get(name);
    if (iface !== undefined) {
      // Its items inline, so the import is a plain instance, as wac writes it (a named import would
      // say it `implements` the document's interface, which names no real package).
      item = `import ${ITEM}: interface {\n${body(iface.items, `interface \`${name}\``)}\n}`;
    } else {
      const f = funcAlias(name, new Map());
      if (f !== null) {
        checkNames(funcNames(f), new Set(), `the function \`${name}\``);
        item = `import ${ITEM}: ${text(f.span)};`;
      } else if (worlds.has(name)) {
        return refuse(`\`${name}\` is a world, and importing a component is not supported`);
      } else if (types.has(name)) {
        return fail(
          `\`${name}\` is a value type: an import is typed by an interface, a function or a package path`,
          t.span,
        );
      } else return fail(`\`${name}\` is not defined`, t.span);
    }
  }
  const pkg = doc.package.name;
  const wit = [
    `package ${pkg.name}${pkg.version === null ? "" : `@${pkg.version.text}`};`,
    `world ${WORLD} {\n  ${item}\n}`,
    "",
  ].join("\n\n");
  let parsed: ReturnType<typeof parseWitPackage>;
  try {
    parsed = parseWitPackage(wit, { filename: "<declared import type>.wit" });
  } catch (e) {
    return refuse(`it does not read as WIT: ${(e as Error).message}`);
  }
  const { resolve, packageId } = parsed;
  const world = resolve.worlds[resolve.packages[packageId].worlds.get(WORLD)!];
  for (const [key, it] of world.imports) if (worldKeyName(resolve, key) === ITEM) return { resolve, item: it };
  return refuse("its WIT has no such import");
}

/** The type names a type refers to. */
function typeNames(t: TypeAst | null, out: Ident[] = []): Ident[] {
  if (t === null) return out;
  switch (t.tag) {
    case "name":
    case "handle":
      out.push(t.name);
      break;
    case "list":
    case "option":
    case "future":
    case "stream":
      typeNames(t.elem, out);
      break;
    case "result":
      typeNames(t.ok, out);
      typeNames(t.err, out);
      break;
    case "tuple":
      for (const x of t.types) typeNames(x, out);
      break;
    case "prim":
      break;
  }
  return out;
}

function funcNames(f: FuncAst): Ident[] {
  const out: Ident[] = [];
  for (const p of f.params) typeNames(p.type, out);
  return typeNames(f.result, out);
}

function typeDefNames(d: TypeDefAst): Ident[] {
  const b = d.body;
  switch (b.tag) {
    case "alias":
      return typeNames(b.type);
    case "func":
      return funcNames(b.func);
    case "record":
      return b.fields.flatMap((f) => typeNames(f.type));
    case "variant":
      return b.cases.flatMap((c) => typeNames(c.type));
    case "resource":
      return b.funcs.flatMap((f) => funcNames(f.func));
    default:
      return [];
  }
}
