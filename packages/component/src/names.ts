// Component-level names as the validator compares them: "strongly-unique" import and export
// names, and the distinct names of fields, cases, flags and parameters.
import { isSemver } from "@wasm-compose/wit";
import { parseInterfaceName } from "./decode/to-wit.js";

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
    const before = this.clash(name);
    if (before === undefined) for (const key of uniquenessKeys(name)) this.seen.set(key, name);
    return before;
  }

  /** An earlier name `name` is not strongly-unique from, if there is one (nothing is recorded). */
  clash(name: string): string | undefined {
    for (const key of uniquenessKeys(name)) {
      const before = this.seen.get(key);
      if (before !== undefined) return before;
    }
    return undefined;
  }
}

/** The explanation both writers give for a clash. */
export const NOT_STRONGLY_UNIQUE =
  "not strongly-unique (the same but for case and hyphens, or `l` beside `[method]l.l`)";

/** A kebab-case label (the Explainer's `label`): words of one case each; the first starts with a letter. */
const LABEL =
  /^(?:[a-z][0-9a-z]*|[A-Z][0-9A-Z]*)(?:-(?:[a-z][0-9a-z]*|[A-Z][0-9A-Z]*|[0-9][0-9a-z]*|[0-9][0-9A-Z]*))*$/;
/** `[constructor]l`, `[method]l.l`, `[static]l.l` and their `[async ...]` forms: resource functions. */
const ANNOTATED = /^\[(?:async |)(?:constructor|method|static)\]|^\[async\]/;

/**
 * Why `name` is not a valid import or export name of a component (the Explainer's `importname` /
 * `exportname`, as validators check them), or `null` when it is. `annotated: false` also refuses
 * the bracketed names of resource functions (`[method]r.m`), which only make sense beside their
 * resource. Dependency, URL and hash names (`unlocked-dep=<...>`) are taken as they are, and only
 * for imports.
 */
export function externNameProblem(
  name: string,
  direction: "import" | "export",
  options: { annotated?: boolean } = {},
): string | null {
  if (/^(?:unlocked-dep|locked-dep|url|integrity)=/.test(name)) {
    return direction === "import" ? null : `"${name}" is a dependency, URL or hash name, which only an import may have`;
  }
  const kebab = "a kebab-case name (`my-name`: lowercase or uppercase words joined by hyphens, starting with a letter)";
  if (name.includes(":")) {
    const parsed = parseInterfaceName(name);
    if (parsed === null) return `"${name}" is neither ${kebab} nor an interface name (\`ns:pkg/iface[@version]\`)`;
    const { pkg, iface } = parsed;
    for (const part of [pkg.namespace, pkg.name, iface]) {
      if (!LABEL.test(part)) return `"${name}": "${part}" is not ${kebab}`;
    }
    if (pkg.version !== null && !isSemver(pkg.version)) return `"${name}": "${pkg.version}" is not a semver version`;
    return null;
  }
  const annotated = ANNOTATED.exec(name);
  if (annotated !== null) {
    if (options.annotated === false) return `"${name}" names a resource function, which needs its resource beside it`;
    const rest = name.slice(annotated[0].length);
    const parts = /constructor|^\[async\]$/.test(annotated[0]) ? [rest] : rest.split(".");
    if (parts.length !== (/method|static/.test(annotated[0]) ? 2 : 1) || !parts.every((p) => LABEL.test(p))) {
      return `"${name}" is not a valid resource function name`;
    }
    return null;
  }
  return LABEL.test(name) ? null : `"${name}" is not ${kebab}`;
}
