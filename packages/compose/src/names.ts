// Import names: splitting `ns:pkg/iface@version`, semver compatibility between versions, and the
// names semver-compatible imports merge under.

/** The parts of an interface name `ns:pkg/iface@version` (version `null` when absent). */
export interface InterfaceName {
  /** `ns:pkg` */
  package: string;
  iface: string;
  version: string | null;
}

const IFACE_RE = /^([a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)+)\/([a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)*)(?:@(.+))?$/;

/** Splits an interface name; `null` for a plain kebab name. */
export function parseInterfaceName(name: string): InterfaceName | null {
  const m = IFACE_RE.exec(name);
  if (m === null) return null;
  return { package: m[1], iface: m[2], version: m[3] ?? null };
}

/** Joins the parts of an interface name. */
export function formatInterfaceName(n: InterfaceName): string {
  return `${n.package}/${n.iface}${n.version === null ? "" : `@${n.version}`}`;
}

interface Semver {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseSemver(v: string): Semver | null {
  const m = SEMVER_RE.exec(v);
  return m === null ? null : { major: +m[1], minor: +m[2], patch: +m[3], pre: m[4] ?? "" };
}

/**
 * The compatibility track of a version, as Cargo and the component model's import names use it:
 * `1.2.3` → `1`, `0.2.3` → `0.2`, `0.0.3` → `0.0.3`. Pre-releases only match themselves.
 */
export function semverTrack(version: string): string {
  const s = parseSemver(version);
  if (s === null || s.pre !== "") return version;
  if (s.major > 0) return `${s.major}`;
  if (s.minor > 0) return `0.${s.minor}`;
  return `0.0.${s.patch}`;
}

/** Compares two versions (semver order; unparsable versions compare as strings). */
export function compareVersions(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (x === null || y === null) return a < b ? -1 : a > b ? 1 : 0;
  if (x.major !== y.major) return x.major - y.major;
  if (x.minor !== y.minor) return x.minor - y.minor;
  if (x.patch !== y.patch) return x.patch - y.patch;
  if (x.pre === y.pre) return 0;
  if (x.pre === "") return 1;
  if (y.pre === "") return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** True when an import named `wanted` may be satisfied by an item named `offered` (same track). */
export function semverCompatible(wanted: string, offered: string): boolean {
  if (wanted === offered) return true;
  const a = parseInterfaceName(wanted);
  const b = parseInterfaceName(offered);
  if (a === null || b === null || a.version === null || b.version === null) return false;
  return a.package === b.package && a.iface === b.iface && semverTrack(a.version) === semverTrack(b.version);
}

/** The key under which semver-compatible names merge: the name with its version replaced by its track. */
export function mergeKey(name: string): string {
  const n = parseInterfaceName(name);
  if (n === null || n.version === null) return name;
  return `${n.package}/${n.iface}@~${semverTrack(n.version)}`;
}

/** For every versioned interface name: the name it merges under (the highest semver-compatible version). */
export function mergedNames(names: Iterable<string>): Map<string, string> {
  const best = new Map<string, string>();
  const all = [...new Set(names)];
  for (const n of all) {
    const v = parseInterfaceName(n)?.version;
    if (v === undefined || v === null) continue;
    const k = mergeKey(n);
    const cur = best.get(k);
    if (cur === undefined || compareVersions(v, parseInterfaceName(cur)!.version!) > 0) best.set(k, n);
  }
  const out = new Map<string, string>();
  for (const n of all) {
    const b = best.get(mergeKey(n));
    if (b !== undefined)
      out.set(n, formatInterfaceName({ ...parseInterfaceName(n)!, version: parseInterfaceName(b)!.version }));
  }
  return out;
}
