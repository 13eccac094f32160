// Semver 2.0 versions: checking them (WIT package versions, component import names) and comparing
// them (`@since` gates, package ordering, picking the highest compatible import).

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

/** True when `text` is a semver 2.0 version (`MAJOR.MINOR.PATCH[-pre][+build]`, no leading zeros). */
export function isSemver(text: string): boolean {
  return SEMVER.test(text);
}

/** Why a version that has semver's shape is still not one (for the error message). */
export function semverProblem(text: string): string {
  const plus = text.indexOf("+");
  const core = plus < 0 ? text : text.slice(0, plus);
  const dash = core.indexOf("-");
  const numbers = (dash < 0 ? core : core.slice(0, dash)).split(".");
  const parts = ["major", "minor", "patch"];
  for (let i = 0; i < 3; i++) {
    if (/^0\d/.test(numbers[i] ?? "")) return `the ${parts[i]} version has a leading zero`;
  }
  if (dash >= 0) {
    for (const id of core.slice(dash + 1).split(".")) {
      if (id === "") return "a pre-release identifier is empty";
      if (/^0\d+$/.test(id)) return `the pre-release identifier \`${id}\` is a number with a leading zero`;
    }
  }
  if (
    plus >= 0 &&
    text
      .slice(plus + 1)
      .split(".")
      .some((id) => id === "")
  )
    return "a build identifier is empty";
  return "it is not MAJOR.MINOR.PATCH with optional -pre-release and +build parts";
}

interface Parsed {
  nums: [number, number, number];
  pre: string[];
}

function parse(v: string): Parsed {
  const plus = v.indexOf("+");
  const core = plus < 0 ? v : v.slice(0, plus);
  const dash = core.indexOf("-");
  const main = dash < 0 ? core : core.slice(0, dash);
  const [a, b, c] = main.split(".").map(Number);
  return { nums: [a, b, c], pre: dash < 0 ? [] : core.slice(dash + 1).split(".") };
}

/** Compares two valid semver strings by precedence (build metadata is ignored): negative, zero or positive. */
export function compareVersions(x: string, y: string): number {
  const a = parse(x);
  const b = parse(y);
  for (let i = 0; i < 3; i++) if (a.nums[i] !== b.nums[i]) return a.nums[i] < b.nums[i] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const p = a.pre[i];
    const q = b.pre[i];
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn) return -1;
    if (qn) return 1;
    return p < q ? -1 : 1;
  }
  return a.pre.length - b.pre.length;
}

/**
 * Compares two semver strings as Rust's `semver::Version` orders them (what wit-parser's `@since`
 * check uses): by precedence, then by build metadata, which precedence ignores. Build identifiers
 * compare numerically when both are digits (`2` < `10`, then the one with fewer leading zeros
 * first), digits before other text, text by bytes; more identifiers are greater; none is least.
 */
export function compareVersionsAndBuild(x: string, y: string): number {
  return compareVersions(x, y) || compareBuild(build(x), build(y));
}

function build(v: string): string {
  const plus = v.indexOf("+");
  return plus < 0 ? "" : v.slice(plus + 1);
}

function compareBuild(x: string, y: string): number {
  const a = x.split(".");
  const b = y.split(".");
  for (let i = 0; i < a.length; i++) {
    if (i >= b.length) return 1;
    const p = a[i];
    const q = b[i];
    const pn = /^\d*$/.test(p);
    const qn = /^\d*$/.test(q);
    if (pn !== qn) return pn ? -1 : 1;
    let order: number;
    if (pn) {
      const pv = p.replace(/^0+/, "");
      const qv = q.replace(/^0+/, "");
      order = pv.length - qv.length || (pv < qv ? -1 : pv > qv ? 1 : 0) || p.length - q.length;
    } else order = p < q ? -1 : p > q ? 1 : 0;
    if (order !== 0) return order;
  }
  return a.length < b.length ? -1 : 0;
}
