// Parses a component binary into the binary-level model (./model.ts): every component-level
// section, recursively for nested components; core module bodies are recorded as ranges only.
import { ComponentError } from "../errors.js";
import { ByteReader } from "./bytes.js";
import type {
  Alias,
  Canon,
  CanonOption,
  ComponentBinary,
  CoreExternDesc,
  CoreInstance,
  CoreModuleDecl,
  CoreSort,
  CoreType,
  DefinedType,
  Export,
  ExternDesc,
  ExternName,
  FuncType,
  Import,
  Instance,
  PrimName,
  Section,
  Sort,
  SortIndex,
  TypeDecl,
  TypeDef,
  ValType,
} from "./model.js";

/** How deeply components and types may nest before the input is rejected (stack safety). */
const MAX_DEPTH = 64;

const PRIMS: Record<number, PrimName> = {
  127: "bool",
  126: "s8",
  125: "u8",
  124: "s16",
  123: "u16",
  122: "s32",
  121: "u32",
  120: "s64",
  119: "u64",
  118: "f32",
  117: "f64",
  116: "char",
  115: "string",
  100: "error-context",
};

const CORE_SORTS: Record<number, CoreSort> = {
  0: "func",
  1: "table",
  2: "memory",
  3: "global",
  4: "tag",
  16: "type",
  17: "module",
  18: "instance",
  // wasmparser reads 0x20 (an exact function, from the custom-descriptors proposal) as a function
  // sort here too, and validates components that use it.
  32: "func",
};

/** What the first 8 bytes say the input is. */
export type BinaryKind = "component" | "module" | "unknown";

/** Tells a component from a core module by the preamble's layer field. */
export function binaryKind(bytes: Uint8Array): BinaryKind {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return "unknown";
  }
  if (bytes[6] === 1 && bytes[7] === 0) return "component";
  if (bytes[6] === 0 && bytes[7] === 0) return "module";
  return "unknown";
}

/** Parses a whole component binary. Throws {@link ComponentError} on malformed input. */
export function parseComponent(bytes: Uint8Array): ComponentBinary {
  return readComponent(new ByteReader(bytes), bytes.length, 0);
}

function readComponent(r: ByteReader, end: number, depth: number): ComponentBinary {
  const start = r.pos;
  if (depth > MAX_DEPTH) throw new ComponentError("UNSUPPORTED", "components nested too deeply", start);
  if (end - start < 8) throw new ComponentError("BAD_HEADER", "too short for a component preamble", start);
  const b = r.bytes;
  if (b[start] !== 0 || b[start + 1] !== 0x61 || b[start + 2] !== 0x73 || b[start + 3] !== 0x6d) {
    throw new ComponentError("BAD_HEADER", "missing the \\0asm magic", start);
  }
  if (b[start + 6] !== 1 || b[start + 7] !== 0) {
    const what = b[start + 6] === 0 && b[start + 7] === 0 ? "a core module, not a component" : "unknown layer";
    throw new ComponentError("BAD_HEADER", what, start + 6);
  }
  r.pos = start + 8;
  const sections: Section[] = [];
  while (r.pos < end) {
    const offset = r.pos;
    const id = r.u8();
    const size = r.u32();
    if (size > end - r.pos) {
      throw new ComponentError("BAD_SECTION_SIZE", `section ${id} size ${size} exceeds the input`, offset);
    }
    const contentEnd = r.pos + size;
    const s = new ByteReader(b, r.pos, contentEnd);
    sections.push(readSection(s, id, offset, depth));
    if (s.pos !== contentEnd) {
      throw new ComponentError("BAD_SECTION_SIZE", `section ${id} has ${contentEnd - s.pos} unread byte(s)`, s.pos);
    }
    r.pos = contentEnd;
  }
  return { bytes: b, range: { offset: start, length: end - start }, sections };
}

function vec<T>(r: ByteReader, item: () => T): T[] {
  const n = r.count();
  const out: T[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = item();
  return out;
}

function readSection(r: ByteReader, id: number, offset: number, depth: number): Section {
  switch (id) {
    case 0: {
      const name = r.name();
      const at = r.pos;
      r.pos = r.end;
      return { kind: "custom", offset, name, data: { offset: at, length: r.end - at } };
    }
    case 1: {
      const at = r.pos;
      r.pos = r.end;
      return { kind: "core-module", offset, range: { offset: at, length: r.end - at } };
    }
    case 2:
      return { kind: "core-instance", offset, items: vec(r, () => readCoreInstance(r)) };
    case 3:
      return { kind: "core-type", offset, items: vec(r, () => readCoreType(r, depth)) };
    case 4:
      return { kind: "component", offset, component: readComponent(r, r.end, depth + 1) };
    case 5:
      return { kind: "instance", offset, items: vec(r, () => readInstance(r)) };
    case 6:
      return { kind: "alias", offset, items: vec(r, () => readAlias(r)) };
    case 7:
      return { kind: "type", offset, items: vec(r, () => readTypeDef(r, depth)) };
    case 8:
      return { kind: "canon", offset, items: vec(r, () => readCanon(r)) };
    case 9: {
      const func = r.u32();
      const args = vec(r, () => r.u32());
      const results = r.u32();
      return { kind: "start", offset, start: { func, args, results } };
    }
    case 10:
      return { kind: "import", offset, items: vec(r, () => readImport(r)) };
    case 11:
      return { kind: "export", offset, items: vec(r, () => readExport(r)) };
    default:
      return r.fail(`unknown section id ${id}`, offset);
  }
}

function coreSort(r: ByteReader): CoreSort {
  const at = r.pos;
  const s = CORE_SORTS[r.u8()];
  if (s === undefined) r.fail("bad core sort", at);
  return s;
}

function sort(r: ByteReader): Sort {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00:
      return { core: coreSort(r) };
    case 0x01:
      return "func";
    case 0x02:
      return "value";
    case 0x03:
      return "type";
    case 0x04:
      return "component";
    case 0x05:
      return "instance";
    default:
      return r.fail("bad sort", at);
  }
}

function sortIndex(r: ByteReader): SortIndex {
  const s = sort(r);
  return { sort: s, index: r.u32() };
}

/** Classifies a name by the explainer's name forms. */
export function classifyName(name: string): ExternName["form"] {
  if (name.startsWith("url=")) return "url";
  if (name.startsWith("integrity=")) return "integrity";
  if (name.startsWith("unlocked-dep=") || name.startsWith("locked-dep=")) return "dep";
  return name.includes(":") ? "interface" : "kebab";
}

function externName(r: ByteReader): ExternName {
  const at = r.pos;
  const tag = r.u8();
  // 0x01 marked interface names before component-model#263; both now mean "a name string".
  // 0x02 adds options after the name: 0x00 <name> is `(implements "<interface>")`.
  if (tag !== 0x00 && tag !== 0x01 && tag !== 0x02) r.fail("bad import/export name prefix", at);
  const offset = r.pos;
  const name = r.name();
  const out: ExternName = { name, form: classifyName(name), offset };
  if (tag === 0x02) {
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const k = r.pos;
      if (r.u8() !== 0x00) r.fail("unknown import/export name option", k);
      if (out.implements !== undefined) r.fail("`implements` given twice", k);
      out.implements = r.name();
    }
  }
  return out;
}

function readCoreInstance(r: ByteReader): CoreInstance {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: {
      const module = r.u32();
      const args = vec(r, () => {
        const name = r.name();
        const k = r.pos;
        if (r.u8() !== 0x12) r.fail("core instantiate argument must be an instance", k);
        return { name, instance: r.u32() };
      });
      return { kind: "instantiate", module, args };
    }
    case 0x01:
      return {
        kind: "exports",
        exports: vec(r, () => {
          const name = r.name();
          const s = coreSort(r);
          return { name, sort: s, index: r.u32() };
        }),
      };
    default:
      return r.fail("bad core instance", at);
  }
}

function readInstance(r: ByteReader): Instance {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: {
      const component = r.u32();
      const args = vec(r, () => ({ name: r.name(), item: sortIndex(r) }));
      return { kind: "instantiate", component, args };
    }
    case 0x01:
      return { kind: "exports", exports: vec(r, () => ({ name: externName(r), item: sortIndex(r) })) };
    default:
      return r.fail("bad instance", at);
  }
}

function readAlias(r: ByteReader): Alias {
  const s = sort(r);
  const at = r.pos;
  switch (r.u8()) {
    case 0x00:
      return { kind: "export", sort: s, instance: r.u32(), name: r.name() };
    case 0x01:
      return { kind: "core-export", sort: s, instance: r.u32(), name: r.name() };
    case 0x02:
      return { kind: "outer", sort: s, count: r.u32(), index: r.u32() };
    default:
      return r.fail("bad alias target", at);
  }
}

function valType(r: ByteReader): ValType {
  const prim = PRIMS[r.peek()];
  if (prim !== undefined) {
    r.pos++;
    return { prim };
  }
  const at = r.pos;
  const i = r.s33();
  if (i < 0) r.fail("bad value type", at);
  return i;
}

function optValType(r: ByteReader): ValType | null {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00:
      return null;
    case 0x01:
      return valType(r);
    default:
      return r.fail("bad optional value type", at);
  }
}

function readDefined(r: ByteReader, op: number, at: number): DefinedType {
  const prim = PRIMS[op];
  if (prim !== undefined) return { kind: "prim", prim };
  switch (op) {
    case 0x72:
      return { kind: "record", fields: vec(r, () => ({ name: r.name(), type: valType(r) })) };
    case 0x71:
      return {
        kind: "variant",
        cases: vec(r, () => {
          const name = r.name();
          const type = optValType(r);
          const k = r.pos;
          const b = r.u8();
          if (b === 0) return { name, type, refines: null };
          if (b === 1) return { name, type, refines: r.u32() };
          return r.fail("bad variant case", k);
        }),
      };
    case 0x70:
      return { kind: "list", element: valType(r) };
    case 0x67: {
      const element = valType(r);
      return { kind: "fixed-size-list", element, size: r.u32() };
    }
    case 0x63: {
      const key = valType(r);
      return { kind: "map", key, value: valType(r) };
    }
    case 0x6f:
      return { kind: "tuple", types: vec(r, () => valType(r)) };
    case 0x6e:
      return { kind: "flags", names: vec(r, () => r.name()) };
    case 0x6d:
      return { kind: "enum", names: vec(r, () => r.name()) };
    case 0x6b:
      return { kind: "option", type: valType(r) };
    case 0x6a: {
      const ok = optValType(r);
      return { kind: "result", ok, err: optValType(r) };
    }
    case 0x69:
      return { kind: "own", type: r.u32() };
    case 0x68:
      return { kind: "borrow", type: r.u32() };
    case 0x66:
      return { kind: "stream", type: optValType(r) };
    case 0x65:
      return { kind: "future", type: optValType(r) };
    default:
      return r.fail(`unknown type opcode 0x${op.toString(16)}`, at);
  }
}

function readFunc(r: ByteReader, async: boolean): FuncType {
  const params = vec(r, () => ({ name: r.name(), type: valType(r) }));
  const at = r.pos;
  switch (r.u8()) {
    case 0x00:
      return { kind: "func", async, params, result: valType(r) };
    case 0x01: {
      const n = r.u32();
      // Named result lists (pre-2024 binaries) are accepted only empty, as wasmparser does.
      if (n !== 0) throw new ComponentError("UNSUPPORTED", "named function results", at);
      return { kind: "func", async, params, result: null };
    }
    default:
      return r.fail("bad function result list", at);
  }
}

function readTypeDef(r: ByteReader, depth: number): TypeDef {
  if (depth > MAX_DEPTH) throw new ComponentError("UNSUPPORTED", "types nested too deeply", r.pos);
  const offset = r.pos;
  const op = r.u8();
  switch (op) {
    case 0x40:
    case 0x43:
      return { ...readFunc(r, op === 0x43), offset };
    case 0x41:
      return { kind: "component", decls: vec(r, () => readDecl(r, true, depth + 1)), offset };
    case 0x42:
      return { kind: "instance", decls: vec(r, () => readDecl(r, false, depth + 1)), offset };
    case 0x3f:
    case 0x3e: {
      const rep = r.u8();
      if (rep !== 0x7f) r.fail("resource representation must be i32", r.pos - 1);
      const dtor = optU32(r);
      const callback = op === 0x3e ? optU32(r) : null;
      return { kind: "resource", rep, dtor, callback, offset };
    }
    default:
      return { kind: "defined", type: readDefined(r, op, offset), offset };
  }
}

function optU32(r: ByteReader): number | null {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00:
      return null;
    case 0x01:
      return r.u32();
    default:
      return r.fail("bad optional index", at);
  }
}

function readDecl(r: ByteReader, inComponent: boolean, depth: number): TypeDecl {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00:
      return { kind: "core-type", type: readCoreType(r, depth) };
    case 0x01:
      return { kind: "type", type: readTypeDef(r, depth) };
    case 0x02:
      return { kind: "alias", alias: readAlias(r) };
    case 0x03:
      if (!inComponent) return r.fail("imports are only allowed in component types", at);
      return { kind: "import", name: externName(r), desc: externDesc(r) };
    case 0x04:
      return { kind: "export", name: externName(r), desc: externDesc(r) };
    default:
      return r.fail("bad type declaration", at);
  }
}

function externDesc(r: ByteReader): ExternDesc {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: {
      const k = r.pos;
      if (r.u8() !== 0x11) r.fail("core extern must be a module", k);
      return { kind: "module", type: r.u32() };
    }
    case 0x01:
      return { kind: "func", type: r.u32() };
    case 0x02:
      return { kind: "value", type: valType(r) };
    case 0x03: {
      const k = r.pos;
      switch (r.u8()) {
        case 0x00:
          return { kind: "type", bound: { eq: r.u32() } };
        case 0x01:
          return { kind: "type", bound: "sub-resource" };
        default:
          return r.fail("bad type bound", k);
      }
    }
    case 0x04:
      return { kind: "component", type: r.u32() };
    case 0x05:
      return { kind: "instance", type: r.u32() };
    default:
      return r.fail("bad extern description", at);
  }
}

function readImport(r: ByteReader): Import {
  return { name: externName(r), desc: externDesc(r) };
}

function readExport(r: ByteReader): Export {
  const name = externName(r);
  const item = sortIndex(r);
  const at = r.pos;
  switch (r.u8()) {
    case 0x00:
      return { name, item, desc: null };
    case 0x01:
      return { name, item, desc: externDesc(r) };
    default:
      return r.fail("bad export type ascription", at);
  }
}

// ---- core types: only module types are decoded; other core types are skipped structurally.

function readCoreType(r: ByteReader, depth: number): CoreType {
  const offset = r.pos;
  const b = r.peek();
  if (b === 0x50) {
    r.pos++;
    if (depth > MAX_DEPTH) throw new ComponentError("UNSUPPORTED", "types nested too deeply", offset);
    return { kind: "module", decls: vec(r, () => readModuleDecl(r, depth + 1)), offset };
  }
  if (b === 0x00) {
    // A non-final `sub` at the top level is prefixed with 0x00 (0x50 is taken by module types).
    r.pos++;
    if (r.peek() !== 0x50) r.fail("expected a non-final sub type");
  }
  const count = skipRecGroup(r);
  return { kind: "rec", count, range: { offset, length: r.pos - offset } };
}

function readModuleDecl(r: ByteReader, depth: number): CoreModuleDecl {
  const at = r.pos;
  switch (r.u8()) {
    case 0x00: {
      const module = r.name();
      const name = r.name();
      return { kind: "import", module, name, desc: coreExternDesc(r) };
    }
    case 0x01:
      return { kind: "type", type: readCoreType(r, depth) };
    case 0x02: {
      const k = r.pos;
      if (r.u8() !== 0x10 || r.u8() !== 0x01) r.fail("core alias must be an outer type alias", k);
      return { kind: "alias-outer", count: r.u32(), index: r.u32() };
    }
    case 0x03: {
      const name = r.name();
      return { kind: "export", name, desc: coreExternDesc(r) };
    }
    default:
      return r.fail("bad module type declaration", at);
  }
}

function coreExternDesc(r: ByteReader): CoreExternDesc {
  const at = r.pos;
  const kind = r.u8();
  const start = r.pos;
  switch (kind) {
    case 0x00:
      return { kind: "func", type: r.u32() };
    case 0x01:
      skipCoreValType(r);
      skipLimits(r);
      return { kind: "table", range: { offset: start, length: r.pos - start } };
    case 0x02:
      skipLimits(r);
      return { kind: "memory", range: { offset: start, length: r.pos - start } };
    case 0x03:
      skipCoreValType(r);
      r.u8();
      return { kind: "global", range: { offset: start, length: r.pos - start } };
    case 0x04:
      if (r.u8() !== 0x00) r.fail("bad tag type", start);
      r.u32();
      return { kind: "tag", range: { offset: start, length: r.pos - start } };
    default:
      return r.fail("bad core import description", at);
  }
}

function skipLimits(r: ByteReader): void {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 0x0f) r.fail("bad limits flags", at);
  const wide = (flags & 0x04) !== 0;
  if (wide) r.u64();
  else r.u32();
  if (flags & 0x01) {
    if (wide) r.u64();
    else r.u32();
  }
  if (flags & 0x08) r.u32();
}

function skipRecGroup(r: ByteReader): number {
  if (r.peek() === 0x4e) {
    r.pos++;
    const n = r.count();
    for (let i = 0; i < n; i++) skipSubType(r);
    return n;
  }
  skipSubType(r);
  return 1;
}

function skipSubType(r: ByteReader): void {
  const b = r.peek();
  if (b === 0x50 || b === 0x4f) {
    r.pos++;
    const n = r.count();
    for (let i = 0; i < n; i++) r.u32();
  }
  skipCompType(r);
}

function skipCompType(r: ByteReader): void {
  const at = r.pos;
  let op = r.u8();
  if (op === 0x65) op = r.u8(); // shared
  switch (op) {
    case 0x60: {
      for (let k = 0; k < 2; k++) {
        const n = r.count();
        for (let i = 0; i < n; i++) skipCoreValType(r);
      }
      return;
    }
    case 0x5f: {
      const n = r.count();
      for (let i = 0; i < n; i++) skipFieldType(r);
      return;
    }
    case 0x5e:
      skipFieldType(r);
      return;
    default:
      r.fail("bad core composite type", at);
  }
}

function skipFieldType(r: ByteReader): void {
  const b = r.peek();
  if (b === 0x78 || b === 0x77) r.pos++;
  else skipCoreValType(r);
  r.u8();
}

function skipCoreValType(r: ByteReader): void {
  const at = r.pos;
  const b = r.u8();
  if ((b >= 0x7b && b <= 0x7f) || (b >= 0x69 && b <= 0x74)) return;
  if (b === 0x63 || b === 0x64) {
    if (r.peek() === 0x65) r.pos++; // shared abstract heap type
    r.s33();
    return;
  }
  r.fail("bad core value type", at);
}

// ---- canonical definitions

/** Immediates of the canon built-ins after lift/lower: u=u32, a=flag byte, o=options, r=result list, i=i32 marker. */
const BUILTINS: Record<number, [string, string]> = {
  2: ["resource.new", "u"],
  3: ["resource.drop", "u"],
  7: ["resource.drop-async", "u"],
  4: ["resource.rep", "u"],
  5: ["task.cancel", ""],
  6: ["subtask.cancel", "a"],
  8: ["backpressure.set", ""],
  36: ["backpressure.inc", ""],
  37: ["backpressure.dec", ""],
  9: ["task.return", "ro"],
  10: ["context.get", "iu"],
  11: ["context.set", "iu"],
  12: ["thread.yield", "a"],
  13: ["subtask.drop", ""],
  14: ["stream.new", "u"],
  15: ["stream.read", "uo"],
  16: ["stream.write", "uo"],
  17: ["stream.cancel-read", "ua"],
  18: ["stream.cancel-write", "ua"],
  19: ["stream.drop-readable", "u"],
  20: ["stream.drop-writable", "u"],
  21: ["future.new", "u"],
  22: ["future.read", "uo"],
  23: ["future.write", "uo"],
  24: ["future.cancel-read", "ua"],
  25: ["future.cancel-write", "ua"],
  26: ["future.drop-readable", "u"],
  27: ["future.drop-writable", "u"],
  28: ["error-context.new", "o"],
  29: ["error-context.debug-message", "o"],
  30: ["error-context.drop", ""],
  31: ["waitable-set.new", ""],
  32: ["waitable-set.wait", "au"],
  33: ["waitable-set.poll", "au"],
  34: ["waitable-set.drop", ""],
  35: ["waitable.join", ""],
  38: ["thread.index", ""],
  39: ["thread.new-indirect", "uu"],
  40: ["thread.switch-to", "a"],
  41: ["thread.suspend", "a"],
  42: ["thread.resume-later", ""],
  43: ["thread.yield-to", "a"],
  64: ["thread.spawn-ref", "au"],
  65: ["thread.spawn-indirect", "auu"],
  66: ["thread.available-parallelism", "a"],
};

function canonOptions(r: ByteReader): CanonOption[] {
  return vec(r, () => {
    const at = r.pos;
    switch (r.u8()) {
      case 0x00:
        return { kind: "utf8" };
      case 0x01:
        return { kind: "utf16" };
      case 0x02:
        return { kind: "latin1+utf16" };
      case 0x03:
        return { kind: "memory", index: r.u32() };
      case 0x04:
        return { kind: "realloc", index: r.u32() };
      case 0x05:
        return { kind: "post-return", index: r.u32() };
      case 0x06:
        return { kind: "async" };
      case 0x07:
        return { kind: "callback", index: r.u32() };
      case 0x08:
        return { kind: "core-type", index: r.u32() };
      case 0x09:
        return { kind: "gc" };
      default:
        return r.fail("bad canonical option", at);
    }
  });
}

function readCanon(r: ByteReader): Canon {
  const at = r.pos;
  const op = r.u8();
  if (op === 0x00 || op === 0x01) {
    const k = r.pos;
    if (r.u8() !== 0x00) r.fail("canon lift/lower must name a function", k);
    const f = r.u32();
    const options = canonOptions(r);
    if (op === 0x00) return { kind: "lift", coreFunc: f, options, type: r.u32() };
    return { kind: "lower", func: f, options };
  }
  const spec = BUILTINS[op];
  if (spec === undefined) throw new ComponentError("UNSUPPORTED", `unknown canon opcode 0x${op.toString(16)}`, at);
  const immediates: number[] = [];
  let options: CanonOption[] = [];
  for (const c of spec[1]) {
    if (c === "u") immediates.push(r.u32());
    else if (c === "a") {
      const k = r.pos;
      const v = r.u8();
      if (v > 1) r.fail("bad flag byte", k);
      immediates.push(v);
    } else if (c === "i") {
      if (r.u8() !== 0x7f) r.fail("expected i32", r.pos - 1);
    } else if (c === "o") options = canonOptions(r);
    else if (c === "r") {
      const k = r.pos;
      const tag = r.u8();
      if (tag === 0x00) {
        const t = valType(r);
        immediates.push(typeof t === "number" ? t : -1);
      } else if (tag === 0x01) {
        if (r.u8() !== 0x00) r.fail("bad result list", k);
      } else r.fail("bad result list", k);
    }
  }
  return { kind: "builtin", name: spec[0], opcode: op, immediates, options };
}

/** The imports and exports of a core module (its other sections are skipped by size). */
export interface CoreModuleInterface {
  imports: { module: string; name: string; kind: CoreExternDesc["kind"] }[];
  exports: { name: string; kind: CoreSort; index: number }[];
}

/** Reads a core module's import and export sections. */
export function parseCoreModuleInterface(bytes: Uint8Array): CoreModuleInterface {
  if (binaryKind(bytes) !== "module") throw new ComponentError("BAD_HEADER", "not a core module", 0);
  const r = new ByteReader(bytes, 8);
  const out: CoreModuleInterface = { imports: [], exports: [] };
  while (!r.atEnd()) {
    const offset = r.pos;
    const id = r.u8();
    const size = r.u32();
    if (size > r.remaining) throw new ComponentError("BAD_SECTION_SIZE", `section ${id} exceeds the input`, offset);
    const s = new ByteReader(bytes, r.pos, r.pos + size);
    if (id === 2) {
      out.imports = vec(s, () => {
        const module = s.name();
        const name = s.name();
        return { module, name, kind: coreExternDesc(s).kind };
      });
    } else if (id === 7) {
      out.exports = vec(s, () => {
        const name = s.name();
        const kind = coreSort(s);
        return { name, kind, index: s.u32() };
      });
    }
    r.pos += size;
  }
  return out;
}
