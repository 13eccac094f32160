// `wasm-compose cache ls|clean`: show or empty the content cache of pulled artifacts.
import { stat } from "node:fs/promises";
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
    const had = (await cache.list()).length > 0 || (await stat(cache.root).catch(() => null)) !== null;
    await cache.clean();
    out.result(had ? `removed ${cache.root}` : `cache is empty (${cache.root})`, { root: cache.root, removed: had });
    return 0;
  }
  throw new UsageError("usage: wasm-compose cache ls|clean");
}
