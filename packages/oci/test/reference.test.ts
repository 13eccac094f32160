// Reference parsing and normalisation (docker.io rules), validation, and the plain-HTTP policy.
import { describe, expect, it } from "vitest";
import {
  assertTransportAllowed,
  formatReference,
  isLoopback,
  OciError,
  parseReference,
  registryBaseUrl,
} from "../src/index.js";

const D = `sha256:${"a".repeat(64)}`;

describe("parseReference", () => {
  it.each([
    ["alpine", { registry: "docker.io", repository: "library/alpine" }],
    ["alpine:3.19", { registry: "docker.io", repository: "library/alpine", tag: "3.19" }],
    ["user/app", { registry: "docker.io", repository: "user/app" }],
    ["index.docker.io/user/app:1", { registry: "docker.io", repository: "user/app", tag: "1" }],
    [
      "ghcr.io/bytecodealliance/wasi/http:0.2.0",
      { registry: "ghcr.io", repository: "bytecodealliance/wasi/http", tag: "0.2.0" },
    ],
    ["localhost/app", { registry: "localhost", repository: "app" }],
    ["localhost:5000/ns/name:1.0.0", { registry: "localhost:5000", repository: "ns/name", tag: "1.0.0" }],
    ["127.0.0.1:5000/ns/name@" + D, { registry: "127.0.0.1:5000", repository: "ns/name", digest: D }],
    ["Example.COM/a/b:t@" + D, { registry: "example.com", repository: "a/b", tag: "t", digest: D }],
    ["[::1]:5000/a", { registry: "[::1]:5000", repository: "a" }],
  ])("%s", (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it("uses the configured default registry for bare names", () => {
    expect(parseReference("ns/name:1", { defaultRegistry: "ghcr.io" })).toEqual({
      registry: "ghcr.io",
      repository: "ns/name",
      tag: "1",
    });
  });

  it.each([
    "",
    " alpine",
    "ghcr.io/UPPER/case",
    "ghcr.io/a//b",
    "ghcr.io/a/b:bad tag",
    "ghcr.io/a/b:-tag",
    "ghcr.io/a/b@sha256:abc",
    `ghcr.io/a/b:${"t".repeat(129)}`,
    "ghcr.io/a_/b",
    "bad_host.io:x/a",
  ])("rejects %j", (input) => {
    expect(() => parseReference(input)).toThrow(OciError);
  });

  it("round-trips through formatReference", () => {
    const s = `localhost:5000/a/b:1.0.0@${D}`;
    expect(formatReference(parseReference(s))).toBe(s);
  });
});

describe("plain HTTP policy", () => {
  it("treats loopback names as loopback only", () => {
    expect(isLoopback("localhost:5000")).toBe(true);
    expect(isLoopback("127.0.0.2")).toBe(true);
    expect(isLoopback("[::1]:80")).toBe(true);
    expect(isLoopback("localhost.example.com")).toBe(false);
    expect(isLoopback("127.0.0.1.nip.io")).toBe(false);
  });

  it("uses https except for loopback and listed insecure hosts", () => {
    expect(registryBaseUrl("docker.io")).toBe("https://registry-1.docker.io");
    expect(registryBaseUrl("127.0.0.1:5000")).toBe("http://127.0.0.1:5000");
    expect(registryBaseUrl("registry.lan:5000")).toBe("https://registry.lan:5000");
    expect(registryBaseUrl("registry.lan:5000", { insecure: ["registry.lan:5000"] })).toBe("http://registry.lan:5000");
  });

  it("refuses http to a non-loopback host without opt-in", () => {
    const err = (() => {
      try {
        assertTransportAllowed(new URL("http://example.com/v2/"));
      } catch (e) {
        return e as OciError;
      }
    })();
    expect(err?.code).toBe("INSECURE_REFUSED");
    expect(() =>
      assertTransportAllowed(new URL("http://example.com/v2/"), { insecure: ["example.com"] }),
    ).not.toThrow();
    expect(() => assertTransportAllowed(new URL("ftp://127.0.0.1/"))).toThrow(OciError);
  });
});
