// Version checks and order, against the semver package as an independent reading of semver 2.0.
import { compareVersions, isSemver, parseWit } from "@wasm-compose/wit";
import semver from "semver";
import { describe, expect, it } from "vitest";

const CANDIDATES = [
  "1.0.0",
  "0.0.0",
  "10.20.30",
  "1.0.0-alpha",
  "1.0.0-alpha.1",
  "1.0.0-0.3.7",
  "1.0.0-x.7.z.92",
  "1.0.0-x-y-z.--",
  "1.0.0+20130313144700",
  "1.0.0-beta+exp.sha.5114f85",
  "1.0.0+21AF26D3----117B344092BD",
  "01.0.0",
  "1.02.0",
  "1.0.00",
  "1.0.0-01",
  "1.0.0-",
  "1.0.0+",
  "1.0.0-a..b",
  "1.0.0+a..b",
  "1.0",
  "1",
  "1.0.0.0",
  "1.0.0-rc.1+",
  "a.b.c",
  "1.0.0-alpha_beta",
  "1.0.0 ",
  " 1.0.0",
  "1.0.0-0a",
  "1.0.0-00a",
];

describe("isSemver", () => {
  it("accepts exactly what the semver package parses strictly (no leading `v`)", () => {
    // The semver package trims spaces; we do not.
    for (const v of CANDIDATES.filter((c) => c.trim() === c))
      expect(isSemver(v), v).toBe(semver.parse(v) !== null && semver.parse(v)?.raw === v);
  });

  it("is the check WIT package versions get", () => {
    // A trailing `-` or `+` is not read as part of the version (wit-parser reads `@1.0.0-;` as 1.0.0).
    for (const v of CANDIDATES.filter((c) => !/\s|[-+]$/.test(c))) {
      const accepted = (() => {
        try {
          parseWit(`package a:b@${v};`);
          return true;
        } catch {
          return false;
        }
      })();
      expect(accepted, v).toBe(isSemver(v));
    }
  });
});

describe("compareVersions", () => {
  it("orders by precedence as the semver package does", () => {
    const valid = CANDIDATES.filter(isSemver);
    for (const a of valid)
      for (const b of valid) expect(Math.sign(compareVersions(a, b)), `${a} vs ${b}`).toBe(semver.compare(a, b));
  });
});
