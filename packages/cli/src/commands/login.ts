// `wasm-compose login <registry>`: check credentials against the registry, then store them in our credentials file.
import { readFileSync } from "node:fs";
import { login, ownCredentialsPath } from "@wasm-compose/oci";
import { registryHost } from "../commands.js";
import { UsageError } from "../errors.js";
import type { Output } from "../output.js";

export async function run(args: string[], options: Record<string, unknown>, out: Output): Promise<number> {
  const [registryArg] = args;
  if (!registryArg)
    throw new UsageError("usage: wasm-compose login <registry> -u <user> (--password-stdin | -p <password>)");
  // `ghcr.io`, `https://ghcr.io/` or `localhost:5000`: the host[:port] credentials are stored for.
  const registry = await registryHost(registryArg, "registry");
  const username = typeof options.username === "string" ? options.username : undefined;
  let password = typeof options.password === "string" ? options.password : undefined;
  if (options.passwordStdin === true) password = readFileSync(0, "utf8").replace(/\r?\n$/, "");
  if (password === undefined) throw new UsageError("login needs a password: --password-stdin or -p <password>");
  const credential = username === undefined ? { identityToken: password } : { username, password };
  await login(registry, credential);
  out.result(`logged in to ${registry} (saved in ${ownCredentialsPath()})`, { registry, saved: ownCredentialsPath() });
  return 0;
}
