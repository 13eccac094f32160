// semver, loaded on first use: it takes about 15 ms to load, and pulling or publishing by reference never compares versions.
import { createRequire } from "node:module";

type Semver = typeof import("semver");

const require = createRequire(import.meta.url);
let loaded: Semver | undefined;

/** The semver module (npm's), loaded the first time a version is compared. */
export function semver(): Semver {
  loaded ??= require("semver") as Semver;
  return loaded;
}
