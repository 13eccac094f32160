// Semver comparison for `@since` gates and package ordering (versions are already validated strings).

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

/** Compares two semver strings by precedence (build metadata is ignored): negative, zero or positive. */
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
