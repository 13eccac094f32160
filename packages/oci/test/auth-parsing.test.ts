// WWW-Authenticate parsing, scope merging, the token cache, Link headers, Retry-After and error bodies.
import { describe, expect, it } from "vitest";
import {
  errorFromResponse,
  mergeScopes,
  nextLink,
  parseWwwAuthenticate,
  repositoryScope,
  retryAfterMs,
  TokenCache,
} from "../src/index.js";

describe("parseWwwAuthenticate", () => {
  it("reads a Bearer challenge with a quoted scope holding commas", () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"',
      ),
    ).toEqual([
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.example.com/token",
          service: "registry.example.com",
          scope: "repository:a/b:pull,push",
        },
      },
    ]);
  });

  it("reads several challenges, unquoted values and escapes", () => {
    expect(parseWwwAuthenticate('Basic realm="a \\"b\\"", Bearer realm=https://x/t, scope="s1 s2"')).toEqual([
      { scheme: "basic", params: { realm: 'a "b"' } },
      { scheme: "bearer", params: { realm: "https://x/t", scope: "s1 s2" } },
    ]);
  });

  it("gives nothing for an empty header", () => {
    expect(parseWwwAuthenticate("")).toEqual([]);
  });
});

describe("scopes and token cache", () => {
  it("merges actions per resource and sorts", () => {
    expect(
      mergeScopes([
        "repository:b:pull",
        "repository:a:push",
        "repository:a:pull",
        "repository:b:pull registry:catalog:*",
      ]),
    ).toEqual(["registry:catalog:*", "repository:a:pull,push", "repository:b:pull"]);
    expect(repositoryScope("x", ["push", "pull", "pull"])).toBe("repository:x:pull,push");
  });

  it("keys tokens by host and scope, and expires them", () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.set("h", ["repository:a:pull"], "t1", 60);
    expect(cache.get("h", ["repository:a:pull"])).toBe("t1");
    expect(cache.get("h", ["repository:a:pull,push"])).toBeUndefined();
    expect(cache.get("other", ["repository:a:pull"])).toBeUndefined();
    now = 51_000;
    expect(cache.get("h", ["repository:a:pull"])).toBeUndefined();
  });
});

describe("Link and Retry-After", () => {
  it("finds the next page relative to the request", () => {
    const base = "http://r/v2/a/tags/list?n=2";
    expect(nextLink('</v2/a/tags/list?n=2&last=b>; rel="next"', base)?.toString()).toBe(
      "http://r/v2/a/tags/list?n=2&last=b",
    );
    expect(nextLink('<http://x/p>; rel="prev", <http://x/n>; rel=next', base)?.toString()).toBe("http://x/n");
    expect(nextLink(null, base)).toBeUndefined();
  });

  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe("errorFromResponse", () => {
  it("takes the spec code from a JSON body", async () => {
    const res = new Response(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }), {
      status: 404,
    });
    const err = await errorFromResponse(res, "fetching x");
    expect(err.code).toBe("MANIFEST_UNKNOWN");
    expect(err.status).toBe(404);
    expect(err.message).toContain("MANIFEST_UNKNOWN: manifest unknown");
  });

  it("summarises a non-JSON body", async () => {
    const err = await errorFromResponse(new Response("<html>Bad   Gateway</html>", { status: 502 }), "pulling");
    expect(err.code).toBe("HTTP_ERROR");
    expect(err.message).toContain('non-JSON body: "<html>Bad Gateway</html>"');
    const denied = await errorFromResponse(new Response("", { status: 403 }), "pushing");
    expect(denied.code).toBe("DENIED");
  });
});
