// Folders named by the environment: empty or relative XDG values count as unset, as the XDG spec says.
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  defaultCacheDir,
  defaultLocalRegistryDir,
  dockerConfigPath,
  ownCredentialsPath,
  wkgConfigPath,
} from "../src/index.js";

/** Every path the package derives from the environment, for one environment. */
const paths = (env: NodeJS.ProcessEnv) => ({
  store: defaultLocalRegistryDir(env),
  cache: defaultCacheDir(env),
  credentials: ownCredentialsPath(env),
  wkg: wkgConfigPath(env),
  docker: dockerConfigPath(env),
});

const defaults = {
  store: join(homedir(), ".local", "share", "wasm-compose", "registry"),
  cache: join(homedir(), ".cache", "wasm-compose", "oci"),
  credentials: join(homedir(), ".config", "wasm-compose", "credentials.json"),
  wkg: join(homedir(), ".config", "wasm-pkg", "config.toml"),
  docker: join(homedir(), ".docker", "config.json"),
};

describe("folders from the environment", () => {
  it("uses the home folder's defaults when nothing is set", () => {
    expect(paths({})).toEqual(defaults);
  });

  it("treats empty variables as unset, so nothing lands in the current folder", () => {
    const empty = paths({
      XDG_DATA_HOME: "",
      XDG_CACHE_HOME: "",
      XDG_CONFIG_HOME: "",
      WASM_COMPOSE_LOCAL_REGISTRY: "",
      WASM_COMPOSE_CONFIG_DIR: "",
      WKG_CONFIG_FILE: "",
      DOCKER_CONFIG: "",
    });
    expect(empty).toEqual(defaults);
    for (const path of Object.values(empty)) expect(isAbsolute(path)).toBe(true);
  });

  it("ignores relative XDG folders and uses absolute ones", () => {
    expect(paths({ XDG_DATA_HOME: "data", XDG_CACHE_HOME: "./cache", XDG_CONFIG_HOME: "config" })).toEqual(defaults);
    const root = join(homedir(), "elsewhere");
    expect(
      paths({
        XDG_DATA_HOME: join(root, "data"),
        XDG_CACHE_HOME: join(root, "cache"),
        XDG_CONFIG_HOME: join(root, "config"),
      }),
    ).toEqual({
      ...defaults,
      store: join(root, "data", "wasm-compose", "registry"),
      cache: join(root, "cache", "wasm-compose", "oci"),
      credentials: join(root, "config", "wasm-compose", "credentials.json"),
      wkg: join(root, "config", "wasm-pkg", "config.toml"),
    });
  });
});
