// JSON for golden files: the document with every span written compactly as `line:column+length@offset`.
export function goldenJson(value: unknown): string {
  return `${JSON.stringify(value, replacer, 2)}\n`;
}

function replacer(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 4 && "offset" in o && "line" in o && "column" in o && "length" in o)
      return `${o.line}:${o.column}+${o.length}@${o.offset}`;
  }
  return v;
}
