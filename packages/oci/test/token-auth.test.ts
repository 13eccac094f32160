// Token auth details against a registry of our own: tokens cached per host and scope, pull vs pull,push scopes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningRegistry, startRegistry } from "../../../fixtures/registry/index.js";
import { publishWasm, pullWasm, RemoteRepository } from "../src/index.js";
import { clientFor, fakeComponent, repoName, tempDir } from "./helpers.js";

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry({ auth: "token" });
});
afterAll(() => registry?.stop());

describe("bearer tokens", () => {
  it("asks for pull,push when pushing and pull when pulling, and reuses cached tokens", async () => {
    const client = clientFor(registry);
    const name = repoName("scopes");
    const repo = new RemoteRepository(registry.host, name, client);
    const requests = registry.tokenServer!.requests;
    const start = requests.length;
    await publishWasm(repo, fakeComponent(), ["1.0.0"]);
    const pushTokens = requests.slice(start);
    expect(pushTokens.every((r) => r.account === "tester" && r.status === 200)).toBe(true);
    expect(pushTokens.map((r) => r.scopes.join(" "))).toContain(`repository:${name}:pull,push`);
    // Pushing three blobs and a manifest took one token per distinct scope, not one per request.
    expect(new Set(pushTokens.map((r) => r.scopes.join(" "))).size).toBe(pushTokens.length);

    // A fresh reader asks for pull only, once.
    const afterPush = requests.length;
    const reader = new RemoteRepository(registry.host, name, clientFor(registry));
    await reader.resolve("1.0.0");
    await reader.listTags();
    await reader.resolve("1.0.0");
    const pullTokens = requests.slice(afterPush);
    expect(pullTokens.map((r) => r.scopes.join(" "))).toEqual([`repository:${name}:pull`]);
  });

  it("pulls config and layer in parallel with a single token request", async () => {
    const name = repoName("parallel");
    await publishWasm(new RemoteRepository(registry.host, name, clientFor(registry)), fakeComponent(), ["1.0.0"]);
    const requests = registry.tokenServer!.requests;
    const start = requests.length;
    await using dir = await tempDir("parallel");
    await pullWasm(new RemoteRepository(registry.host, name, clientFor(registry)), "1.0.0", `${dir.path}/o.wasm`);
    expect(requests.slice(start).map((r) => r.scopes.join(" "))).toEqual([`repository:${name}:pull`]);
  });

  it("fails clearly when an anonymous client tries to push", async () => {
    const anonymous = new RemoteRepository(registry.host, repoName("anon"), clientFor({ ...registry, users: [] }));
    const err = await publishWasm(anonymous, fakeComponent(), ["1.0.0"]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "UNAUTHORIZED" });
    // Nothing was rejected: credentials are missing, and the message says how to give them.
    expect((err as Error).message).toBe(
      `${registry.host} does not allow this without credentials (an anonymous token was refused); log in with \`wasm-compose login ${registry.host}\``,
    );
  });
});
