// RFC 8288 Link headers, for tag list and referrers pagination.

/** The URL of the `rel="next"` link, resolved against `base`; undefined when there is none. */
export function nextLink(header: string | null, base: string | URL): URL | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(m[2]!);
    if (rel && rel[1]!.split(/\s+/).includes("next")) return new URL(m[1]!, base);
  }
  return undefined;
}
