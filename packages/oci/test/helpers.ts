// Test helpers: unique repository names, fake component bytes, temporary folders, clients for each auth mode.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RegistryInfo } from "../../../fixtures/registry/index.js";
import { AuthClient, type ClientOptions, staticCredentials } from "../src/index.js";

let counter = 0;
/** Registries are shared by all test files, so every test uses a repository of its own. */
export function repoName(label: string): string {
  return `oci-test/${label}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

/** Bytes that start like a component binary (the layer is not parsed by this package). */
export function fakeComponent(size = 4096): Uint8Array {
  const bytes = new Uint8Array(randomBytes(size));
  bytes.set([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], 0);
  return bytes;
}

export async function tempDir(label: string): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `wasm-compose-oci-${label}-`));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** A client with the registry's first account as credentials (none for the anonymous registry). */
export function clientFor(registry: RegistryInfo, options: ClientOptions = {}): AuthClient {
  const user = registry.users[0];
  return new AuthClient({
    credentials: staticCredentials(
      user ? { [registry.host]: { username: user.username, password: user.password } } : {},
    ),
    retry: { attempts: 2, baseDelayMs: 10 },
    ...options,
  });
}
