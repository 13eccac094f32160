// `wasm-compose login <registry>`: check credentials against the registry, then store them in our credentials file.
import { readFileSync } from "node:fs";
import { login, ownCredentialsPath, parseReference } from "@wasm-compose/oci";
import { UsageError } from "../errors.js";
import type { Output } from "../output.js";

export async function run(args: string[], options: Record<string, unknown>, out: Output): Promise<number> {
  const [registryArg] = args;
  if (!registryArg)
    throw new UsageError("usage: wasm-compose login <registry> -u <user> (--password-stdin | -p <password>)");
  // Accept `ghcr.io`, `https://ghcr.io` or `localhost:5000`; normalise like a reference's registry part.
  const registry = parseReference(`${registryArg.replace(/^https?:\/\//, "").replace(/\/+$/, "")}/x`).registry;
  const username = typeof options.username === "string" ? options.username : undefined;
  let password = typeof options.password === "string" ? options.password : undefined;
  if (options.passwordStdin === true) password = readFileSync(0, "utf8").replace(/\r?\n$/, "");
  if (password === undefined) throw new UsageError("login needs a password: --password-stdin or -p <password>");
  const credential = username === undefined ? { identityToken: password } : { username, password };
  await login(registry, credential);
  out.result(`logged in to ${registry} (saved in ${ownCredentialsPath()})`, { registry, saved: ownCredentialsPath() });
  return 0;
}
