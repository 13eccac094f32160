// An isolated home for CLI processes: HOME, the XDG folders and Docker's config under one fresh
// folder, so the local store, cache and credentials of one test touch nobody else's.
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";

/** A fresh folder under `parent` and the environment that points a CLI process's homes into it. */
export async function isolatedHome(parent: string): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(parent, "home-"));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CACHE_HOME: join(dir, "cache"),
    XDG_CONFIG_HOME: join(dir, "config"),
    XDG_DATA_HOME: join(dir, "data"),
    DOCKER_CONFIG: join(dir, "docker"),
  };
  return { dir, env };
}
