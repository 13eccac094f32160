// Component-level names as the validator compares them: "strongly-unique" import and export
// names, and the distinct names of fields, cases, flags and parameters.

/**
 * A kebab-case name as the validator compares names for strong uniqueness: without case and
 * without hyphens (wasmparser 0.24x: `a-1` and `a1`, `foo-bar` and `foobar` are the same name).
 */
function canonicalName(name: string): string {
  return name.toLowerCase().replaceAll("-", "");
}

/**
 * The keys under which an import or export name must be unique in a component type (the
 * Explainer's "strongly-unique"): names compare without case and hyphens (in an interface name,
 * each part but the version); `[constructor]l` is apart from `l`; `[method]r.m` and `[static]r.m`
 * clash with each other, and with plain `r` when `m` is `r`.
 */
function uniquenessKeys(name: string): string[] {
  // Dependency, URL and hash names (`unlocked-dep=<...>`, `url=<...>`) compare as written.
  if (name.includes("=")) return [`raw ${name}`];
  // `[async]f` is `f`; `[async method]r.m` is `[method]r.m` (the component model's async names).
  const m = /^\[(?:async )?(constructor|method|static)\](.*)$/.exec(name.replace(/^\[async\]/, ""));
  if (m === null) {
    const at = name.indexOf("@");
    const base = at < 0 ? name : name.slice(0, at);
    return [`plain ${canonicalName(base)}${at < 0 ? "" : name.slice(at)}`];
  }
  if (m[1] === "constructor") return [`constructor ${canonicalName(m[2]!)}`];
  const [resource, member] = m[2]!.split(".", 2).map(canonicalName);
  return resource === member ? [`member ${resource}.${member}`, `plain ${resource}`] : [`member ${resource}.${member}`];
}

/** Names seen so far in one scope (a component's imports, or its exports), by strong uniqueness. */
export class StrongNames {
  private readonly seen = new Map<string, string>();

  /** Records `name`; returns an earlier name it is not strongly-unique from, if there is one. */
  claim(name: string): string | undefined {
    const keys = uniquenessKeys(name);
    for (const key of keys) {
      const before = this.seen.get(key);
      if (before !== undefined) return before;
    }
    for (const key of keys) this.seen.set(key, name);
    return undefined;
  }
}

/** The explanation both writers give for a clash. */
export const NOT_STRONGLY_UNIQUE =
  "not strongly-unique (the same but for case and hyphens, or `l` beside `[method]l.l`)";
