// Version matching rules and the portable SHA-256.
import { createHash, randomBytes } from "node:crypto";
import { compareVersions, mergedNames, semverCompatible, semverTrack, sha256Hex } from "@wasm-compose/compose";
import semver from "semver";
import { describe, expect, it } from "vitest";

describe("semver", () => {
  it("puts versions on Cargo's compatibility tracks", () => {
    expect(semverTrack("1.2.3")).toBe("1");
    expect(semverTrack("0.2.3")).toBe("0.2");
    expect(semverTrack("0.0.3")).toBe("0.0.3");
    expect(semverTrack("1.0.0-rc.1")).toBe("1.0.0-rc.1");
  });

  it("orders versions, releases after their pre-releases", () => {
    expect(compareVersions("0.2.10", "0.2.9")).toBeGreaterThan(0);
    expect(compareVersions("1.0.0-rc.1", "1.0.0")).toBeLessThan(0);
    expect(compareVersions("1.0.0", "1.0.0")).toBe(0);
  });

  it("orders pre-releases by identifier, numbers as numbers, as the semver package does", () => {
    expect(compareVersions("1.0.0-rc.10", "1.0.0-rc.2")).toBeGreaterThan(0);
    const versions = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0-rc.10",
      "1.0.0",
      "1.0.1-0",
      "1.0.1",
      "0.2.0+build.1",
      "0.10.0",
      "2.0.0-x-y.3",
    ];
    for (const a of versions)
      for (const b of versions) expect(Math.sign(compareVersions(a, b)), `${a} vs ${b}`).toBe(semver.compare(a, b));
  });

  it("matches names on one track only", () => {
    expect(semverCompatible("wasi:io/streams@0.2.0", "wasi:io/streams@0.2.3")).toBe(true);
    expect(semverCompatible("wasi:io/streams@0.2.0", "wasi:io/streams@0.3.0")).toBe(false);
    expect(semverCompatible("wasi:io/streams@0.2.0", "wasi:io/error@0.2.0")).toBe(false);
    expect(semverCompatible("foo", "foo")).toBe(true);
  });

  it("merges compatible names under the highest version", () => {
    const m = mergedNames(["wasi:io/streams@0.2.0", "wasi:io/streams@0.2.3", "wasi:io/streams@0.3.0", "x:y/z"]);
    expect(m.get("wasi:io/streams@0.2.0")).toBe("wasi:io/streams@0.2.3");
    expect(m.get("wasi:io/streams@0.2.3")).toBe("wasi:io/streams@0.2.3");
    expect(m.get("wasi:io/streams@0.3.0")).toBe("wasi:io/streams@0.3.0");
    expect(m.has("x:y/z")).toBe(false);
  });
});

describe("sha256Hex", () => {
  it("agrees with node:crypto around the padding boundaries and on a large input", () => {
    const node = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000]) {
      const b = randomBytes(n);
      expect(sha256Hex(b)).toBe(node(b));
    }
    const big = randomBytes(1 << 20);
    expect(sha256Hex(big)).toBe(node(big));
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});
