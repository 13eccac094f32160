// Import names: splitting `ns:pkg/iface@version`, semver compatibility between versions, and the
// names semver-compatible imports merge under.
import { compareVersions as compareSemver, isSemver } from "@wasm-compose/wit";

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

/** The numbers of a version, and whether it is a pre-release; `null` when it is not semver. */
function parseSemver(v: string): { major: number; minor: number; patch: number; pre: boolean } | null {
  if (!isSemver(v)) return null;
  const core = v.split("+", 1)[0];
  const dash = core.indexOf("-");
  const [major, minor, patch] = (dash < 0 ? core : core.slice(0, dash)).split(".").map(Number);
  return { major, minor, patch, pre: dash >= 0 };
}

/**
 * The compatibility track of a version, as Cargo and the component model's import names use it:
 * `1.2.3` → `1`, `0.2.3` → `0.2`, `0.0.3` → `0.0.3`. Pre-releases only match themselves.
 */
export function semverTrack(version: string): string {
  const s = parseSemver(version);
  if (s === null || s.pre) return version;
  if (s.major > 0) return `${s.major}`;
  if (s.minor > 0) return `0.${s.minor}`;
  return `0.0.${s.patch}`;
}

/** Compares two versions in semver order (`1.0.0-rc.2` before `1.0.0-rc.10`); anything not semver compares as a string. */
export function compareVersions(a: string, b: string): number {
  if (isSemver(a) && isSemver(b)) return compareSemver(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
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
