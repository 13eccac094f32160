// Reads and writes the metadata custom sections of a component or core module: the name
// (`component-name` / `name`), `producers`, and the wasm-metadata fields (authors, description,
// licenses, source, homepage, revision, version), each a custom section holding UTF-8 text.
import { ComponentError } from "./errors.js";
import { ByteReader } from "./reader/bytes.js";
import { binaryKind } from "./reader/read.js";
import { ByteWriter } from "./writer/bytes.js";

/** `producers`: field (`language`, `processed-by`, `sdk`) to tool name to version. */
export type Producers = Map<string, Map<string, string>>;

/** The text fields wasm-metadata stores, one custom section each (named as the field). */
export const TEXT_FIELDS = ["authors", "description", "licenses", "source", "homepage", "revision", "version"] as const;
/** One of {@link TEXT_FIELDS}. */
export type TextField = (typeof TEXT_FIELDS)[number];

/** The metadata of one component or module (its top level only, not nested ones). */
export interface Metadata {
  /** The component's or module's own name from its name section. */
  name: string | null;
  producers: Producers;
  authors: string | null;
  description: string | null;
  licenses: string | null;
  source: string | null;
  homepage: string | null;
  revision: string | null;
  version: string | null;
}

interface RawSection {
  id: number;
  /** Offset of the id byte. */
  start: number;
  end: number;
  /** For custom sections: name and payload range. */
  custom?: { name: string; dataStart: number };
}

function sections(bytes: Uint8Array): RawSection[] {
  if (binaryKind(bytes) === "unknown") throw new ComponentError("BAD_HEADER", "not a wasm binary", 0);
  const r = new ByteReader(bytes, 8);
  const out: RawSection[] = [];
  while (!r.atEnd()) {
    const start = r.pos;
    const id = r.u8();
    const size = r.u32();
    if (size > r.remaining) throw new ComponentError("BAD_SECTION_SIZE", `section ${id} exceeds the input`, start);
    const end = r.pos + size;
    const s: RawSection = { id, start, end };
    if (id === 0) {
      const c = new ByteReader(bytes, r.pos, end);
      s.custom = { name: c.name(), dataStart: c.pos };
    }
    out.push(s);
    r.pos = end;
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads the metadata of a component or module. */
export function readMetadata(bytes: Uint8Array): Metadata {
  const md: Metadata = {
    name: null,
    producers: new Map(),
    authors: null,
    description: null,
    licenses: null,
    source: null,
    homepage: null,
    revision: null,
    version: null,
  };
  const nameSection = binaryKind(bytes) === "component" ? "component-name" : "name";
  for (const s of sections(bytes)) {
    if (s.custom === undefined) continue;
    const { name, dataStart } = s.custom;
    if (name === "producers") mergeProducers(md.producers, parseProducers(bytes, dataStart, s.end));
    else if (name === nameSection) md.name = parseOwnName(bytes, dataStart, s.end);
    else if ((TEXT_FIELDS as readonly string[]).includes(name)) {
      try {
        md[name as TextField] = utf8.decode(bytes.subarray(dataStart, s.end));
      } catch {
        throw new ComponentError("BAD_UTF8", `custom section "${name}" is not UTF-8`, dataStart);
      }
    }
  }
  return md;
}

function parseProducers(bytes: Uint8Array, start: number, end: number): Producers {
  const r = new ByteReader(bytes, start, end);
  const out: Producers = new Map();
  const fields = r.count();
  for (let i = 0; i < fields; i++) {
    const field = r.name();
    const values = new Map<string, string>();
    const n = r.count(2);
    for (let j = 0; j < n; j++) values.set(r.name(), r.name());
    out.set(field, values);
  }
  return out;
}

/** Subsection 0 of a name section: the module's or component's own name. */
function parseOwnName(bytes: Uint8Array, start: number, end: number): string | null {
  const r = new ByteReader(bytes, start, end);
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const at = r.skip(size);
    if (id === 0) return new ByteReader(bytes, at, at + size).name();
  }
  return null;
}

function mergeProducers(into: Producers, from: Producers): void {
  for (const [field, values] of from) {
    let m = into.get(field);
    if (m === undefined) into.set(field, (m = new Map()));
    for (const [k, v] of values) m.set(k, v);
  }
}

/** Encodes a `producers` section payload. */
export function encodeProducers(p: Producers): Uint8Array {
  const w = new ByteWriter();
  w.vec([...p], ([field, values]) => {
    w.name(field).vec([...values], ([name, version]) => w.name(name).name(version));
  });
  return w.finish();
}

function customSection(name: string, data: Uint8Array): Uint8Array {
  const body = new ByteWriter().name(name).bytes(data);
  return new ByteWriter().u8(0).u32(body.length).bytes(body.view()).finish();
}

/** Changes to apply: fields set to a string replace, `null` removes; `producers` are merged in. */
export type MetadataChanges = Partial<Omit<Metadata, "producers" | "name">> & {
  name?: string | null;
  producers?: Producers;
};

/**
 * Returns a copy of a component or module with metadata sections added, replaced or removed.
 * Sections are replaced where they are; new ones go at the end. Other sections are copied as is.
 */
export function writeMetadata(bytes: Uint8Array, changes: MetadataChanges): Uint8Array {
  const isComponent = binaryKind(bytes) === "component";
  const nameSection = isComponent ? "component-name" : "name";
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const pending = new Map<string, Uint8Array | null>();
  for (const f of TEXT_FIELDS) {
    const v = changes[f];
    if (v !== undefined) pending.set(f, v === null ? null : new TextEncoder().encode(v));
  }
  const secs = sections(bytes);
  if (changes.producers !== undefined) {
    const merged: Producers = new Map();
    for (const s of secs) {
      if (s.custom?.name === "producers") mergeProducers(merged, parseProducers(bytes, s.custom.dataStart, s.end));
    }
    mergeProducers(merged, changes.producers);
    pending.set("producers", encodeProducers(merged));
  }
  for (const s of secs) {
    const name = s.custom?.name;
    if (name !== undefined && name === nameSection && changes.name !== undefined) {
      const rest = otherNameSubsections(bytes, s.custom!.dataStart, s.end);
      const data = changes.name === null ? rest : concat([ownNameSubsection(changes.name), rest]);
      if (data.length > 0) parts.push(customSection(nameSection, data));
      changes = { ...changes, name: undefined };
      continue;
    }
    if (name !== undefined && pending.has(name)) {
      const data = pending.get(name);
      pending.delete(name);
      if (data !== null && data !== undefined) parts.push(customSection(name, data));
      continue;
    }
    if (name === "producers" && changes.producers !== undefined) continue; // merged into the first one
    parts.push(bytes.subarray(s.start, s.end));
  }
  if (typeof changes.name === "string") parts.push(customSection(nameSection, ownNameSubsection(changes.name)));
  for (const [name, data] of pending) if (data !== null) parts.push(customSection(name, data));
  return concat(parts);
}

function ownNameSubsection(name: string): Uint8Array {
  const body = new ByteWriter().name(name);
  return new ByteWriter().u8(0).u32(body.length).bytes(body.view()).finish();
}

function otherNameSubsections(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const r = new ByteReader(bytes, start, end);
  const keep: Uint8Array[] = [];
  while (!r.atEnd()) {
    const at = r.pos;
    const id = r.u8();
    const size = r.u32();
    r.skip(size);
    if (id !== 0) keep.push(bytes.subarray(at, r.pos));
  }
  return concat(keep);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
