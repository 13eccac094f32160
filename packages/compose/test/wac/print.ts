// A test-only printer from the syntax tree back to WAC text, for round-trip checks: what the parser
// keeps must be enough to write the document again.
import type { WacAst, WacDocument } from "@wasm-compose/compose";
import { KEYWORDS } from "../../src/wac/lexer.js";

const id = (i: WacAst.Ident) => (KEYWORDS.has(i.name) ? `%${i.name}` : i.name);
const docs = (d: string[] | null, pad: string) => (d === null ? "" : d.map((x) => `${pad}${x}\n`).join(""));
const ext = (n: WacAst.ExternName) => (n.kind === "string" ? `"${n.value}"` : id({ name: n.value, span: n.span }));

function pkgName(p: WacAst.PackageNameAst, withVersion: boolean): string {
  const name = p.parts.map((x) => x.name).join(":");
  return withVersion && p.version ? `${name}@${p.version.text}` : name;
}

function pkgPath(p: WacAst.PackagePathAst): string {
  const v = p.package.version ? `@${p.package.version.text}` : "";
  return `${pkgName(p.package, false)}/${p.segments.map((s) => s.name).join("/")}${v}`;
}

function usePath(p: WacAst.UsePath): string {
  return p.tag === "local" ? id(p.name) : pkgPath(p.path);
}

function type(t: WacAst.TypeAst): string {
  switch (t.tag) {
    case "prim":
      return t.prim;
    case "name":
      return id(t.name);
    case "list":
      return t.size === null ? `list<${type(t.elem)}>` : `list<${type(t.elem)}, ${t.size}>`;
    case "option":
      return `option<${type(t.elem)}>`;
    case "result":
      if (t.ok === null && t.err === null) return "result";
      if (t.err === null) return `result<${type(t.ok!)}>`;
      return `result<${t.ok === null ? "_" : type(t.ok)}, ${type(t.err)}>`;
    case "tuple":
      return `tuple<${t.types.map(type).join(", ")}>`;
    case "future":
    case "stream":
      return t.elem === null ? t.tag : `${t.tag}<${type(t.elem)}>`;
    case "handle":
      return `${t.handle}<${id(t.name)}>`;
  }
}

function func(f: WacAst.FuncAst): string {
  const params = f.params.map((p) => `${id(p.name)}: ${type(p.type)}`).join(", ");
  return `${f.async ? "async " : ""}func(${params})${f.result ? ` -> ${type(f.result)}` : ""}`;
}

function funcRef(f: WacAst.FuncRefAst): string {
  return f.tag === "name" ? id(f.name) : func(f.func);
}

function use(u: WacAst.UseAst, pad: string): string {
  const names = u.names.map((n) => (n.as ? `${id(n.name)} as ${id(n.as)}` : id(n.name))).join(", ");
  return `${docs(u.docs, pad)}${pad}use ${usePath(u.path)}.{${names}};\n`;
}

function typedef(d: WacAst.TypeDefAst, pad: string): string {
  const head = `${docs(d.docs, pad)}${pad}`;
  const b = d.body;
  const inner = `${pad}  `;
  const named = (xs: WacAst.NamedDocs[]) => xs.map((x) => `${docs(x.docs, inner)}${inner}${id(x.name)},\n`).join("");
  switch (b.tag) {
    case "alias":
      return `${head}type ${id(d.name)} = ${type(b.type)};\n`;
    case "func":
      return `${head}type ${id(d.name)} = ${func(b.func)};\n`;
    case "record":
      return `${head}record ${id(d.name)} {\n${b.fields.map((f) => `${docs(f.docs, inner)}${inner}${id(f.name)}: ${type(f.type)},\n`).join("")}${pad}}\n`;
    case "variant":
      return `${head}variant ${id(d.name)} {\n${b.cases.map((c) => `${docs(c.docs, inner)}${inner}${id(c.name)}${c.type ? `(${type(c.type)})` : ""},\n`).join("")}${pad}}\n`;
    case "enum":
      return `${head}enum ${id(d.name)} {\n${named(b.cases)}${pad}}\n`;
    case "flags":
      return `${head}flags ${id(d.name)} {\n${named(b.flags)}${pad}}\n`;
    case "resource": {
      if (b.funcs.length === 0) return `${head}resource ${id(d.name)};\n`;
      const fs = b.funcs.map((f) => {
        const sig =
          f.kind === "constructor"
            ? `constructor(${f.func.params.map((p) => `${id(p.name)}: ${type(p.type)}`).join(", ")})${f.func.result ? ` -> ${type(f.func.result)}` : ""}`
            : `${id(f.name)}: ${f.kind === "static" ? "static " : ""}${func(f.func)}`;
        return `${docs(f.docs, inner)}${inner}${sig};\n`;
      });
      return `${head}resource ${id(d.name)} {\n${fs.join("")}${pad}}\n`;
    }
  }
}

function interfaceBody(items: WacAst.InterfaceItemAst[], pad: string): string {
  const inner = `${pad}  `;
  const out = items.map((item) => {
    if (item.tag === "use") return use(item.use, inner);
    if (item.tag === "type") return typedef(item.def, inner);
    return `${docs(item.docs, inner)}${inner}${id(item.name)}: ${funcRef(item.func)};\n`;
  });
  return `{\n${out.join("")}${pad}}`;
}

function extern(k: WacAst.ExternKind, pad: string): string {
  switch (k.tag) {
    case "interface":
      return `${id(k.name)}: interface ${interfaceBody(k.items, pad)}`;
    case "func":
      return `${id(k.name)}: ${func(k.func)};`;
    case "ref":
      return `${id(k.name)}: ${id(k.ref)};`;
    case "path":
      return `${usePath(k.path)};`;
  }
}

function world(items: WacAst.WorldItemAst[]): string {
  const pad = "  ";
  const out = items.map((item) => {
    switch (item.tag) {
      case "use":
        return use(item.use, pad);
      case "type":
        return typedef(item.def, pad);
      case "include": {
        const w = item.names.length
          ? ` with { ${item.names.map((n) => `${id(n.name)} as ${id(n.as)}`).join(", ")} }`
          : "";
        return `${docs(item.docs, pad)}${pad}include ${usePath(item.path)}${w};\n`;
      }
      default:
        return `${docs(item.docs, pad)}${pad}${item.tag} ${extern(item.kind, pad)}\n`;
    }
  });
  return `{\n${out.join("")}}`;
}

function expr(e: WacAst.Expr): string {
  const p = e.primary;
  let out: string;
  if (p.tag === "name") out = id(p.name);
  else if (p.tag === "nested") out = `(${expr(p.expr)})`;
  else {
    const c = p.new.component;
    const args = p.new.args.map((a) => {
      if (a.tag === "named") return `${ext(a.name)}: ${expr(a.expr)}`;
      if (a.tag === "inferred") return id(a.name);
      return a.tag === "spread" ? `...${id(a.name)}` : "...";
    });
    out = `new ${c.tag === "local" ? id(c.name) : pkgName(c.package, true)} { ${args.join(", ")} }`;
  }
  for (const x of e.postfix) out += x.tag === "access" ? `.${id(x.name)}` : `["${x.name.value}"]`;
  return out;
}

function statement(s: WacAst.Statement): string {
  switch (s.kind) {
    case "import": {
      const t = s.type;
      const ty =
        t.tag === "package"
          ? pkgPath(t.path)
          : t.tag === "func"
            ? func(t.func)
            : t.tag === "interface"
              ? `interface ${interfaceBody(t.items, "")}`
              : id(t.name);
      return `${docs(s.docs, "")}import ${id(s.id)}${s.name ? ` as ${ext(s.name)}` : ""}: ${ty};\n`;
    }
    case "let":
      return `${docs(s.docs, "")}let ${id(s.id)} = ${expr(s.expr)};\n`;
    case "export": {
      const opts = s.spread ? "..." : s.rename ? ` ${s.rename.keyword} ${ext(s.rename.name)}` : "";
      return `${docs(s.docs, "")}export ${expr(s.expr)}${opts};\n`;
    }
    case "use":
      return use(s.use, "");
    case "interface":
      return `${docs(s.docs, "")}interface ${id(s.name)} ${interfaceBody(s.items, "")}\n`;
    case "world":
      return `${docs(s.docs, "")}world ${id(s.name)} ${world(s.items)}\n`;
    case "type":
      return typedef(s.def, "");
  }
}

/** The document as WAC text, in a canonical layout. */
export function printWac(doc: WacDocument): string {
  const p = doc.package;
  const targets = p.targets ? ` targets ${pkgPath(p.targets)}` : "";
  return `${docs(p.docs, "")}package ${pkgName(p.name, true)}${targets};\n\n${doc.statements.map(statement).join("\n")}`;
}

/** The document without spans, and without the `text` fields that are derived, for comparing trees. */
export function withoutSpans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSpans);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "span" || k === "spread" || k === "filename") continue;
    out[k] = withoutSpans(x);
  }
  if ("spread" in (v as object)) out.spread = (v as { spread: unknown }).spread !== null;
  return out;
}
