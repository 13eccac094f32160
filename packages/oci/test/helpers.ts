// Test helpers: unique repository names, fake component bytes, temporary folders, clients for each auth mode.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach } from "vitest";
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

/** A self-signed key and certificate (PEM) for `localhost`, made by openssl in `dir`. */
export async function selfSignedCert(dir: string): Promise<{ key: Buffer; cert: Buffer }> {
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  const subject = ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"];
  const args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", ...subject];
  await promisify(execFile)("openssl", [...args, "-keyout", key, "-out", cert]);
  return { key: await readFile(key), cert: await readFile(cert) };
}

/**
 * Local HTTP servers for one test file (a host a registry points to, a front that misbehaves):
 * `serve(address, handler)` listens on a free port; every server is closed after each test.
 */
export function localServers(): (
  address: string,
  handler: Parameters<typeof createServer>[1],
) => Promise<{ url: string; host: string }> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (s) =>
          new Promise((r) => {
            s.closeAllConnections();
            s.close(r);
          }),
      ),
    );
  });
  return async (address, handler) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, address, () => r()));
    const { port } = server.address() as AddressInfo;
    return { url: `http://${address}:${port}`, host: `${address}:${port}` };
  };
}
