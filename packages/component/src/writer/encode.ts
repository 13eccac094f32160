// Encodes the binary-level model (../reader/model.ts) back into bytes: the inverse of the reader.
import type {
  Alias,
  Canon,
  CanonOption,
  CoreInstance,
  CoreSort,
  DefinedType,
  ExternDesc,
  FuncType,
  Instance,
  PrimName,
  Sort,
  SortIndex,
  TypeDecl,
  TypeDef,
  ValType,
} from "../reader/model.js";
import type { ByteWriter } from "./bytes.js";

const PRIM_CODES: Record<PrimName, number> = {
  bool: 0x7f,
  s8: 0x7e,
  u8: 0x7d,
  s16: 0x7c,
  u16: 0x7b,
  s32: 0x7a,
  u32: 0x79,
  s64: 0x78,
  u64: 0x77,
  f32: 0x76,
  f64: 0x75,
  char: 0x74,
  string: 0x73,
  "error-context": 0x64,
};

const CORE_SORT_CODES: Record<CoreSort, number> = {
  func: 0x00,
  table: 0x01,
  memory: 0x02,
  global: 0x03,
  tag: 0x04,
  type: 0x10,
  module: 0x11,
  instance: 0x12,
};

/** A type definition to encode: the reader's `TypeDef` (offsets, if present, are ignored). */
export type TypeDefInput =
  | { kind: "defined"; type: DefinedType }
  | Omit<FuncType, never>
  | { kind: "component" | "instance"; decls: (TypeDeclInput | TypeDecl)[] }
  | { kind: "resource"; rep: number; dtor: number | null; callback: number | null };

export function encodeValType(w: ByteWriter, t: ValType): void {
  if (typeof t === "number") w.s33(t);
  else w.u8(PRIM_CODES[t.prim]);
}

function optValType(w: ByteWriter, t: ValType | null): void {
  if (t === null) w.u8(0);
  else {
    w.u8(1);
    encodeValType(w, t);
  }
}

export function encodeSort(w: ByteWriter, s: Sort): void {
  if (typeof s === "object") {
    w.u8(0x00).u8(CORE_SORT_CODES[s.core]);
    return;
  }
  w.u8({ func: 0x01, value: 0x02, type: 0x03, component: 0x04, instance: 0x05 }[s]);
}

export function encodeSortIndex(w: ByteWriter, si: SortIndex): void {
  encodeSort(w, si.sort);
  w.u32(si.index);
}

/**
 * An import or export name: a string, or one with the interface a plain-named instance implements
 * (component-model#613).
 */
export type NameInput = string | { name: string; implements?: string };

/** An import/export name: 0x00 and the string, or 0x02, the string and its `implements` option. */
export function encodeExternName(w: ByteWriter, input: NameInput): void {
  if (typeof input === "string" || input.implements === undefined) {
    w.u8(0x00).name(typeof input === "string" ? input : input.name);
    return;
  }
  w.u8(0x02).name(input.name).u32(1).u8(0x00).name(input.implements);
}

export function encodeExternDesc(w: ByteWriter, d: ExternDesc): void {
  switch (d.kind) {
    case "module":
      w.u8(0x00).u8(0x11).u32(d.type);
      break;
    case "func":
      w.u8(0x01).u32(d.type);
      break;
    case "value":
      w.u8(0x02);
      encodeValType(w, d.type);
      break;
    case "type":
      w.u8(0x03);
      if (d.bound === "sub-resource") w.u8(0x01);
      else w.u8(0x00).u32(d.bound.eq);
      break;
    case "component":
      w.u8(0x04).u32(d.type);
      break;
    case "instance":
      w.u8(0x05).u32(d.type);
      break;
  }
}

export function encodeDefined(w: ByteWriter, d: DefinedType): void {
  switch (d.kind) {
    case "prim":
      w.u8(PRIM_CODES[d.prim]);
      break;
    case "record":
      w.u8(0x72).vec(d.fields, (f) => {
        w.name(f.name);
        encodeValType(w, f.type);
      });
      break;
    case "variant":
      w.u8(0x71).vec(d.cases, (c) => {
        w.name(c.name);
        optValType(w, c.type);
        if (c.refines === null) w.u8(0);
        else w.u8(1).u32(c.refines);
      });
      break;
    case "list":
      w.u8(0x70);
      encodeValType(w, d.element);
      break;
    case "fixed-size-list":
      w.u8(0x67);
      encodeValType(w, d.element);
      w.u32(d.size);
      break;
    case "map":
      w.u8(0x63);
      encodeValType(w, d.key);
      encodeValType(w, d.value);
      break;
    case "tuple":
      w.u8(0x6f).vec(d.types, (t) => encodeValType(w, t));
      break;
    case "flags":
      w.u8(0x6e).vec(d.names, (n) => w.name(n));
      break;
    case "enum":
      w.u8(0x6d).vec(d.names, (n) => w.name(n));
      break;
    case "option":
      w.u8(0x6b);
      encodeValType(w, d.type);
      break;
    case "result":
      w.u8(0x6a);
      optValType(w, d.ok);
      optValType(w, d.err);
      break;
    case "own":
      w.u8(0x69).u32(d.type);
      break;
    case "borrow":
      w.u8(0x68).u32(d.type);
      break;
    case "stream":
      w.u8(0x66);
      optValType(w, d.type);
      break;
    case "future":
      w.u8(0x65);
      optValType(w, d.type);
      break;
  }
}

export function encodeTypeDef(w: ByteWriter, d: TypeDefInput | TypeDef): void {
  switch (d.kind) {
    case "defined":
      encodeDefined(w, d.type);
      break;
    case "func":
      w.u8(d.async ? 0x43 : 0x40).vec(d.params, (p) => {
        w.name(p.name);
        encodeValType(w, p.type);
      });
      if (d.result === null) w.u8(0x01).u8(0x00);
      else {
        w.u8(0x00);
        encodeValType(w, d.result);
      }
      break;
    case "component":
    case "instance":
      w.u8(d.kind === "component" ? 0x41 : 0x42).vec(d.decls, (x) => encodeDecl(w, x));
      break;
    case "resource":
      w.u8(d.callback === null ? 0x3f : 0x3e).u8(0x7f);
      if (d.dtor === null) w.u8(0);
      else w.u8(1).u32(d.dtor);
      if (d.callback !== null) w.u8(1).u32(d.callback);
      break;
  }
}

/** A declaration in a component or instance type (core types inside are not supported here). */
export type TypeDeclInput =
  | { kind: "type"; type: TypeDefInput }
  | { kind: "alias"; alias: Alias }
  | { kind: "export" | "import"; name: NameInput; desc: ExternDesc };

export function encodeDecl(w: ByteWriter, d: TypeDeclInput | TypeDecl): void {
  switch (d.kind) {
    case "core-type":
      throw new Error("core types in component types are not supported by the writer");
    case "type":
      w.u8(0x01);
      encodeTypeDef(w, d.type);
      break;
    case "alias":
      w.u8(0x02);
      encodeAlias(w, d.alias);
      break;
    case "import":
    case "export":
      w.u8(d.kind === "import" ? 0x03 : 0x04);
      encodeExternName(w, d.name);
      encodeExternDesc(w, d.desc);
      break;
  }
}

export function encodeAlias(w: ByteWriter, a: Alias): void {
  encodeSort(w, a.sort);
  switch (a.kind) {
    case "export":
      w.u8(0x00).u32(a.instance).name(a.name);
      break;
    case "core-export":
      w.u8(0x01).u32(a.instance).name(a.name);
      break;
    case "outer":
      w.u8(0x02).u32(a.count).u32(a.index);
      break;
  }
}

/** A component instance to encode; names are plain strings. */
export type InstanceInput =
  | { kind: "instantiate"; component: number; args: { name: string; item: SortIndex }[] }
  | { kind: "exports"; exports: { name: string; item: SortIndex }[] };

export function encodeInstance(w: ByteWriter, i: InstanceInput | Instance): void {
  if (i.kind === "instantiate") {
    w.u8(0x00)
      .u32(i.component)
      .vec(i.args, (a) => {
        w.name(a.name);
        encodeSortIndex(w, a.item);
      });
  } else {
    w.u8(0x01).vec(i.exports as { name: string | { name: string }; item: SortIndex }[], (e) => {
      encodeExternName(w, e.name);
      encodeSortIndex(w, e.item);
    });
  }
}

export function encodeCoreInstance(w: ByteWriter, i: CoreInstance): void {
  if (i.kind === "instantiate") {
    w.u8(0x00)
      .u32(i.module)
      .vec(i.args, (a) => w.name(a.name).u8(0x12).u32(a.instance));
  } else {
    w.u8(0x01).vec(i.exports, (e) => w.name(e.name).u8(CORE_SORT_CODES[e.sort]).u32(e.index));
  }
}

function encodeOptions(w: ByteWriter, opts: CanonOption[]): void {
  const codes: Record<CanonOption["kind"], number> = {
    utf8: 0x00,
    utf16: 0x01,
    "latin1+utf16": 0x02,
    memory: 0x03,
    realloc: 0x04,
    "post-return": 0x05,
    async: 0x06,
    callback: 0x07,
    "core-type": 0x08,
    gc: 0x09,
  };
  w.vec(opts, (o) => {
    w.u8(codes[o.kind]);
    if ("index" in o) w.u32(o.index);
  });
}

/** Encodes lift, lower and the resource built-ins (other built-ins are not written here). */
export function encodeCanon(w: ByteWriter, c: Canon): void {
  switch (c.kind) {
    case "lift":
      w.u8(0x00).u8(0x00).u32(c.coreFunc);
      encodeOptions(w, c.options);
      w.u32(c.type);
      break;
    case "lower":
      w.u8(0x01).u8(0x00).u32(c.func);
      encodeOptions(w, c.options);
      break;
    case "builtin":
      if (c.opcode < 0x02 || c.opcode > 0x04) throw new Error(`canon ${c.name} is not supported by the writer`);
      w.u8(c.opcode).u32(c.immediates[0]);
      break;
  }
}
