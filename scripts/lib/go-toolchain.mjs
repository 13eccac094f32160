// Provides a project-local Go 1.24 (Debian trixie's packages, fetched with a private apt configuration).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const GO_VERSION = "1.24";
const PACKAGES = [`golang-${GO_VERSION}-go`, `golang-${GO_VERSION}-src`];
const MIRROR = "http://deb.debian.org/debian";
const SUITE = "trixie";
const KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
// Lists the .deb files a toolchain folder was unpacked from.
const PACKAGES_FILE = "debian-packages.txt";
// Where the packages put the Go tree: GOROOT is this, relative to the unpack folder.
const GOROOT_IN_PACKAGE = `usr/lib/go-${GO_VERSION}`;

/** Paths of the toolchain under `root`. */
export function goPaths(root) {
  const cache = join(resolve(root), ".cache");
  const toolchain = join(cache, "toolchains", `go-${GO_VERSION}`);
  const goroot = join(toolchain, GOROOT_IN_PACKAGE);
  return {
    cache,
    aptDir: join(cache, "apt-trixie"),
    toolchain,
    goroot,
    go: join(goroot, "bin", "go"),
    gocache: join(cache, "go-build"),
    gopath: join(cache, "gopath"),
  };
}

/**
 * Environment for running the toolchain: GOROOT, caches and GOPATH under `.cache`, no network
 * (GOPROXY=off, no toolchain switching), no cgo, so builds depend only on the sources.
 * `extra` (e.g. GOOS, GOARCH) is applied last.
 */
export function goEnv(root, extra = {}) {
  const p = goPaths(root);
  return {
    ...process.env,
    GOROOT: p.goroot,
    GOCACHE: p.gocache,
    GOPATH: p.gopath,
    GOMODCACHE: join(p.gopath, "pkg", "mod"),
    // Nothing from the user's Go settings (go env -w, GOFLAGS, experiments) changes the output.
    GOENV: "off",
    GOFLAGS: "-mod=readonly",
    GOEXPERIMENT: "",
    GOWASM: "",
    GOTOOLCHAIN: "local",
    GOPROXY: "off",
    GOTELEMETRY: "off",
    CGO_ENABLED: "0",
    ...extra,
  };
}

/**
 * Returns the path of a `go` binary for Go 1.24, downloading and unpacking Debian trixie's
 * packages into `<root>/.cache/toolchains/go-1.24/` the first time. Never touches the system's apt
 * configuration, state or cache.
 */
export async function ensureGo({ root, log = () => {} }) {
  const p = goPaths(root);
  if (existsSync(p.go)) return p.go;

  await requireTool("apt-get", `Install apt (Debian/Ubuntu), or provide Go ${GO_VERSION} so that ${p.go} exists`);
  await requireTool("dpkg", "dpkg is needed to unpack the Go packages");
  if (!existsSync(KEYRING)) throw new Error(`ensureGo: ${KEYRING} is missing (install debian-archive-keyring)`);

  // One download at a time (apt locks its lists folder anyway); a waiter finds the tree ready.
  return withLock(`${p.toolchain}.lock`, async () => {
    if (existsSync(p.go)) return p.go;
    await install(p, log);
    return p.go;
  });
}

async function install(p, log) {
  const started = Date.now();
  const aptConfig = await writeAptConfig(p.aptDir);
  const env = { ...process.env, APT_CONFIG: aptConfig, DEBIAN_FRONTEND: "noninteractive" };
  log(`go: fetching the ${SUITE} package index`);
  await runChecked("apt-get", ["update"], { env });

  const debs = join(p.aptDir, `debs-${process.pid}`);
  await rm(debs, { recursive: true, force: true });
  await mkdir(debs, { recursive: true });
  // Unpack next to the destination, then rename: a reader sees either nothing or the whole tree.
  await mkdir(dirname(p.toolchain), { recursive: true });
  const tmp = `${p.toolchain}.tmp-${process.pid}-${Date.now()}`;
  try {
    log(`go: downloading ${PACKAGES.join(", ")}`);
    await runChecked("apt-get", ["download", ...PACKAGES], { env, cwd: debs });
    await mkdir(tmp, { recursive: true });
    const files = (await readdir(debs)).filter((f) => f.endsWith(".deb")).sort();
    for (const deb of files) await runChecked("dpkg", ["-x", join(debs, deb), tmp]);
    const go = join(tmp, GOROOT_IN_PACKAGE, "bin", "go");
    if (!existsSync(go)) throw new Error(`ensureGo: the packages did not contain ${GOROOT_IN_PACKAGE}/bin/go`);
    const { stdout } = await run(go, ["version"], { env: { ...process.env, GOROOT: join(tmp, GOROOT_IN_PACKAGE) } });
    if (!stdout.includes(`go${GO_VERSION}`))
      throw new Error(`ensureGo: expected Go ${GO_VERSION}, got ${stdout.trim()}`);
    log(`go: ${stdout.trim()} (${files.join(", ")})`);
    // Which Debian builds these are: the fixtures record it next to their committed copies.
    await writeFile(join(tmp, PACKAGES_FILE), `${files.join("\n")}\n`);
    await rename(tmp, p.toolchain);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(debs, { recursive: true, force: true });
    // The index and apt's caches (over 100 MB) are only needed for this download.
    await rm(join(p.aptDir, "lists"), { recursive: true, force: true });
    await rm(join(p.aptDir, "cache"), { recursive: true, force: true });
  }
  log(`go: ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${p.goroot}`);
}

/**
 * What the toolchain at `root` is, e.g. `go1.24.4 (Debian golang-1.24-go 1.24.4-1)`, or undefined
 * when it is not installed. Build outputs depend on exactly this.
 */
export async function goToolchainVersion(root) {
  const p = goPaths(root);
  if (!existsSync(p.go)) return undefined;
  const version = (await readFile(join(p.goroot, "VERSION"), "utf8")).split("\n")[0].trim();
  const debs = await readFile(join(p.toolchain, PACKAGES_FILE), "utf8").catch(() => "");
  const deb = /golang-[\d.]+-go_([^_]+)_/.exec(debs)?.[1] ?? "unknown";
  return `${version} (Debian golang-${GO_VERSION}-go ${deb})`;
}

/** Runs `fn` holding a lock folder; a lock older than 10 minutes is taken to be left by a dead process. */
async function withLock(lock, fn) {
  await mkdir(dirname(lock), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 10 * 60_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Writes an apt configuration that reads and writes only below `dir` and knows only trixie. */
async function writeAptConfig(dir) {
  const arch = (await run("dpkg", ["--print-architecture"])).stdout.trim();
  for (const d of [
    "lists/partial",
    "cache/archives/partial",
    "etc/apt.conf.d",
    "etc/sources.list.d",
    "etc/preferences.d",
  ]) {
    await mkdir(join(dir, d), { recursive: true });
  }
  await writeFile(join(dir, "status"), "");
  await writeFile(join(dir, "etc", "sources.list"), `deb [signed-by=${KEYRING}] ${MIRROR} ${SUITE} main\n`);
  const q = (s) => JSON.stringify(s);
  // APT_CONFIG is read before the parts folder and the main file, so pointing both at our own
  // files keeps /etc/apt out entirely. The sandbox user would need access to our folders: we
  // download as the caller instead.
  const conf = [
    `Dir::Etc ${q(join(dir, "etc"))};`,
    `Dir::Etc::main "/dev/null";`,
    `Dir::Etc::Parts ${q(join(dir, "etc", "apt.conf.d"))};`,
    `Dir::Etc::SourceList ${q(join(dir, "etc", "sources.list"))};`,
    `Dir::Etc::SourceParts ${q(join(dir, "etc", "sources.list.d"))};`,
    `Dir::Etc::Preferences "/dev/null";`,
    `Dir::Etc::PreferencesParts ${q(join(dir, "etc", "preferences.d"))};`,
    `Dir::State ${q(dir)};`,
    `Dir::State::Lists ${q(join(dir, "lists"))};`,
    `Dir::State::status ${q(join(dir, "status"))};`,
    `Dir::Cache ${q(join(dir, "cache"))};`,
    `Dir::Log ${q(join(dir, "log"))};`,
    `APT::Architecture ${q(arch)};`,
    `APT::Architectures { ${q(arch)}; };`,
    `APT::Sandbox::User "root";`,
    `Acquire::Languages "none";`,
    `Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";`,
    `Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled "false";`,
    `Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";`,
    `Acquire::Retries "3";`,
    "",
  ].join("\n");
  const file = join(dir, "apt.conf");
  await writeFile(file, conf);
  return file;
}

async function requireTool(name, hint) {
  try {
    await run("sh", ["-c", `command -v ${name}`]);
  } catch {
    throw new Error(`ensureGo: \`${name}\` was not found on PATH. ${hint}`);
  }
}

async function runChecked(cmd, args, opts = {}) {
  try {
    return await run(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...opts });
  } catch (e) {
    const out = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim();
    throw new Error(`ensureGo: \`${cmd} ${args.join(" ")}\` failed (${e.code ?? e.signal}):\n${out}`);
  }
}
