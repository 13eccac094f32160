// Folders named by the environment: XDG base folders (as the XDG spec reads them) and our own variables.
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

const XDG_DEFAULTS = {
  XDG_CACHE_HOME: [".cache"],
  XDG_CONFIG_HOME: [".config"],
  XDG_DATA_HOME: [".local", "share"],
} as const;

/**
 * `$XDG_…_HOME`, else its default under the home folder. An empty or relative value counts as
 * unset, as the spec says: taken as is, the store, cache and credentials would land in whatever
 * folder is current.
 */
export function xdgHome(env: NodeJS.ProcessEnv, variable: keyof typeof XDG_DEFAULTS): string {
  const value = env[variable];
  return value && isAbsolute(value) ? value : join(homedir(), ...XDG_DEFAULTS[variable]);
}

/** A variable naming a path; empty counts as unset (`FOO= cmd` clears it for one command). */
export function envPath(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  return env[variable] || undefined;
}
