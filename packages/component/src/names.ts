// Component-level names as the validator compares them: "strongly-unique" import and export
// names, and the distinct names of fields, cases, flags and parameters.

/**
 * A kebab-case name as the validator compares names for strong uniqueness: without case and
 * without hyphens (wasmparser 0.24x: `a-1` and `a1`, `foo-bar` and `foobar` are the same name).
 */
export function canonicalName(name: string): string {
  return name.toLowerCase().replaceAll("-", "");
}

/**
 * The keys under which an import or export name must be unique in a component type (the
 * Explainer's "strongly-unique"): names compare without case and hyphens (in an interface name,
 * each part but the version); `[constructor]l` is apart from `l`; `[method]r.m` and `[static]r.m`
 * clash with each other, and with plain `r` when `m` is `r`.
 */
export function uniquenessKeys(name: string): string[] {
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
