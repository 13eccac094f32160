// `wasm-compose cache ls|clean`: show or empty the content cache of pulled artifacts.
import { ContentCache, defaultCacheDir } from "@wasm-compose/oci";
import { UsageError } from "../errors.js";
import type { Output } from "../output.js";

export async function run(args: string[], _options: Record<string, unknown>, out: Output): Promise<number> {
  const [action] = args;
  const cache = new ContentCache(defaultCacheDir());
  if (action === "ls") {
    const entries = await cache.list();
    const text = entries.length
      ? entries.map((e) => `${e.path}  ${e.tags.join(", ") || "(no tags)"}  ${e.bytes} bytes`).join("\n")
      : `cache is empty (${cache.root})`;
    out.data(text, { root: cache.root, entries });
    return 0;
  }
  if (action === "clean") {
    await cache.clean();
    out.result(`removed ${cache.root}`, { root: cache.root, removed: true });
    return 0;
  }
  throw new UsageError("usage: wasm-compose cache ls|clean");
}
