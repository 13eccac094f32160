// Types for bootstrap.mjs (the set-up steps shared by `npm test` and `npm run demo`).
export const root: string;
export function step<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
export function run(cmd: string, args: string[], opts?: object): void;
export function ensureNpmDependencies(): boolean;
export interface DebianPackage {
  name: string;
  /** A file the package installs, whose presence shows it is installed. */
  file: string;
}
export const debianPackages: DebianPackage[];
export function ensureDebianPackages(packages?: DebianPackage[]): string[];
export function installedVersion(name: string): string | undefined;
