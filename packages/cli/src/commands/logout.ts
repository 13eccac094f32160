// `wasm-compose logout <registry>`: forget the credentials stored for a registry in our credentials file.
import { removeCredential } from "@wasm-compose/oci";
import { registryHost } from "../commands.js";
import { UsageError } from "../errors.js";
import type { Output } from "../output.js";

export async function run(args: string[], _options: Record<string, unknown>, out: Output): Promise<number> {
  const [registryArg] = args;
  if (!registryArg) throw new UsageError("usage: wasm-compose logout <registry>");
  const registry = await registryHost(registryArg, "registry");
  const removed = await removeCredential(registry);
  out.result(removed ? `logged out of ${registry}` : `no stored credentials for ${registry}`, { registry, removed });
  return 0;
}
