// publish, pull, login, logout and cache as a user runs them: the real CLI process against the
// real registries of the test harness, with a home folder of its own.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, inject, it } from "vitest";
import type { ProvidedRegistries } from "../../../fixtures/registry/index.js";

const bin = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/prebuilt/${name}.wasm`, import.meta.url));
const registries: ProvidedRegistries = inject("registries");

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "wasm-compose-home-"));
});

function cli(args: string[], input?: string, nodeOptions?: string) {
  const env = {
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    PATH: process.env.PATH,
    HOME: home,
    XDG_CACHE_HOME: join(home, "cache"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_DATA_HOME: join(home, "data"),
    DOCKER_CONFIG: join(home, "docker"),
  };
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, cwd: home, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function skopeoManifest(ref: string, creds?: { username: string; password: string }) {
  const auth = creds ? ["--creds", `${creds.username}:${creds.password}`] : [];
  const r = spawnSync("skopeo", ["inspect", "--raw", "--tls-verify=false", ...auth, `docker://${ref}`], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe("publish and pull through a registry with basic auth", () => {
  const registry = registries.basic;
  const user = registry.users[0]!;

  it("refuses to publish without credentials, then logs in, publishes, pulls and logs out", async () => {
    const ref = `${registry.host}/cli-test/rust-arith:0.1.0`;
    const denied = cli(["publish", fixture("rust-arith"), ref]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^error\[[A-Z_]+\]: .*(unauthori[sz]ed|credentials|denied)/i);
    expect(denied.stderr).not.toMatch(/\n\s+at /);

    const wrong = cli(["login", registry.host, "-u", user.username, "--password-stdin"], "not-the-password\n");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).not.toContain("not-the-password");

    const login = cli(["login", registry.host, "-u", user.username, "--password-stdin"], `${user.password}\n`);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`logged in to ${registry.host}`);

    const published = cli(["--json", "publish", fixture("rust-arith"), ref]);
    expect(published.stderr).toBe("");
    expect(published.code).toBe(0);
    const pub = JSON.parse(published.stdout) as { digest: string };
    expect(pub.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // An independent client sees the Wasm OCI artifact layout.
    const manifest = skopeoManifest(ref, user);
    expect(manifest.config.mediaType).toBe("application/vnd.wasm.config.v0+json");
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(["application/wasm"]);

    const out = join(home, "pulled.wasm");
    const pulled = cli(["pull", ref, "-o", out]);
    expect(pulled.code).toBe(0);
    expect(Buffer.compare(await readFile(out), await readFile(fixture("rust-arith")))).toBe(0);

    const listed = cli(["--json", "cache", "ls"]);
    expect(listed.code).toBe(0);
    expect(JSON.stringify(JSON.parse(listed.stdout).entries)).toContain(`${registry.host}/cli-test/rust-arith`);

    const logout = cli(["logout", registry.host]);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(`logged out of ${registry.host}`);
    expect(cli(["publish", fixture("rust-arith"), `${registry.host}/cli-test/rust-arith:0.1.1`]).code).toBe(1);

    const cleaned = cli(["cache", "clean"]);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toMatch(/^removed /);
    expect(JSON.parse(cli(["--json", "cache", "ls"]).stdout).entries).toEqual([]);
    expect(cli(["cache", "clean"]).stdout).toMatch(/^cache is empty \(/);
  });
});

describe("packages by name in the local registry (no registry configured)", () => {
  it("publishes two versions and pulls the highest that matches a requirement", async () => {
    expect(cli(["publish", fixture("c-case"), "example:case@0.1.0"]).code).toBe(0);
    expect(cli(["publish", fixture("c-stats"), "example:case@0.1.4"]).code).toBe(0);
    expect(cli(["publish", fixture("rust-arith"), "example:case@0.2.0"]).code).toBe(0);

    const out = join(home, "case.wasm");
    const r = cli(["--json", "pull", "example:case@0.1", "-o", out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe("local");
    expect(Buffer.compare(await readFile(out), await readFile(fixture("c-stats")))).toBe(0);

    const none = cli(["pull", "example:case@^0.3", "-o", out]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no version of example:case matches/);
  });

  it("refuses a version that is not exact and a missing file, with exit 1", () => {
    expect(cli(["publish", fixture("c-case"), "example:case@^0.1"]).stderr).toMatch(/exact version/);
    const missing = cli(["publish", join(home, "nope.wasm"), "example:case@0.1.0"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.wasm: no such file or directory/);
  });
});

describe("package names in place of files", () => {
  const textWit = fileURLToPath(new URL("../../../fixtures/wit/text", import.meta.url));

  it("inspect, targets and plug pull a package that has no file, as wit and bindings do", async () => {
    // No registry configured: both go to the local store, and are pulled from there.
    expect(cli(["publish", fixture("c-case"), "example:case@0.1.0"]).code).toBe(0);
    expect(cli(["publish", fixture("rust-title"), "example:title@0.1.0"]).code).toBe(0);

    const byName = cli(["--json", "inspect", "example:title"]);
    expect(byName.stderr).toBe("");
    const fromFile = cli(["--json", "inspect", fixture("rust-title")]);
    const shown = (r: { stdout: string }) => {
      const { file: _, ...rest } = JSON.parse(r.stdout) as { file: string };
      return rest;
    };
    expect(shown(byName)).toEqual(shown(fromFile));

    const fits = cli(["targets", "example:title@0.1", "--wit", textWit, "--world", "title-lib"]);
    // Which version a name was pulled as goes to stderr (not with --json or --quiet).
    expect(fits.stderr).toMatch(/^example:title@0\.1: local registry example\/title:0\.1\.0@sha256:[0-9a-f]{64}\n$/);
    expect(fits.code).toBe(0);
    // The world may come from a published WIT package too.
    expect(cli(["publish", textWit]).code).toBe(0);
    const byWitName = cli(["targets", "example:title", "--wit", "example:text", "--world", "title-lib"]);
    expect(byWitName.code).toBe(0);
    expect(byWitName.stdout).toBe("example:title targets example:text/title-lib@0.1.0\n");
    const misfit = cli(["targets", "example:case", "--wit", textWit, "--world", "title-lib"]);
    expect(misfit.code).toBe(1);
    expect(misfit.stderr).toMatch(/export example:text\/title@0\.1\.0/);

    // The socket and the plug by name: each is named after its package.
    const out = join(home, "titled.wasm");
    const plugged = cli(["plug", "example:title", "--plug", "example:case", "-o", out]);
    expect(plugged.code).toBe(0);
    expect(plugged.stderr.split("\n").sort().join("\n")).toMatch(
      /^\nexample:case: local registry example\/case:0\.1\.0@sha256:[0-9a-f]{64}\nexample:title: local registry example\/title:0\.1\.0@sha256:[0-9a-f]{64}$/,
    );
    expect(plugged.stdout).toContain("plugged title: example:text/case@0.1.0 <- case");
    const composed = JSON.parse(cli(["--json", "inspect", out]).stdout) as {
      imports: unknown[];
      exports: { name: string }[];
    };
    expect(composed.imports).toEqual([]);
    expect(composed.exports.map((e) => e.name)).toEqual(["example:text/title@0.1.0"]);

    // A name that matches nothing is the registry's error, not a missing file.
    const missing = cli(["inspect", "example:nothing"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no version of example:nothing matches/);
    expect(cli(["inspect", join(home, "nope.wasm")]).stderr).toMatch(/nope\.wasm/);
  });
});

describe("publishing WIT", () => {
  const mathWit = fileURLToPath(new URL("../../../fixtures/wit/math", import.meta.url));

  it("encodes a WIT folder and publishes it as its own ns:name@version; what is pulled, or named, prints the same WIT", async () => {
    const r = cli(["--json", "publish", mathWit]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).reference).toBe("local/example/math:0.1.0");
    const out = join(home, "math.wasm");
    expect(cli(["pull", "example:math@0.1", "-o", out]).code).toBe(0);
    const fromFolder = cli(["wit", mathWit]);
    const fromPulled = cli(["wit", out]);
    expect(fromPulled.code).toBe(0);
    expect(fromPulled.stdout).toBe(fromFolder.stdout);
    // `wit` takes the package name too: it pulls and prints.
    const byName = cli(["wit", "example:math@0.1"]);
    expect(byName.stderr).toMatch(/^example:math@0\.1: local registry example\/math:0\.1\.0@sha256:/);
    expect(byName.stdout).toBe(fromFolder.stdout);
    expect(cli(["publish", fixture("rust-pattern"), "example:pattern@0.1.0"]).code).toBe(0);
    const world = cli(["wit", "example:pattern"]);
    expect(world.code).toBe(0);
    expect(world.stdout).toBe(cli(["wit", fixture("rust-pattern")]).stdout);
    expect(cli(["wit", "example:nothing"]).stderr).toMatch(/no version of example:nothing matches/);
    // So does `bindings`: the alias is named after the package.
    const guest = cli(["bindings", "example:pattern", "--guest", "-o", join(home, "guest")]);
    expect(guest.stderr).toMatch(/^example:pattern: local registry example\/pattern:0\.1\.0@sha256:/);
    expect(guest.stdout).toContain("alias pattern (example:text/pattern@0.1.0)");
    expect(await readFile(join(home, "guest/pattern/index.d.ts"), "utf8")).toMatch(/match/);
    // A host package of a pulled component carries the version it was pulled as.
    const host = cli(["bindings", "example:pattern", "--host", "-o", join(home, "host-pattern")]);
    expect(host.code).toBe(0);
    expect(JSON.parse(await readFile(join(home, "host-pattern/package.json"), "utf8")).version).toBe("0.1.0");
    // A binary WIT package names itself too.
    expect(cli(["publish", out, "--registry", registries.anonymous.host]).code).toBe(0);
    const manifest = skopeoManifest(`${registries.anonymous.host}/example/math:0.1.0`);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(["application/wasm"]);
  });

  it("refuses a target that is not the package's own name, a WIT package with no version, and a component with no target", async () => {
    const wrong = cli(["publish", mathWit, "example:other@0.1.0"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/the WIT package is example:math@0.1.0/);
    const file = join(home, "bare.wit");
    await writeFile(file, "package example:bare;\ninterface i { f: func(); }\n");
    const bare = cli(["publish", file]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/has no version: give its package line one/);
    const component = cli(["publish", fixture("c-case")]);
    expect(component.code).toBe(2);
    expect(component.stderr).toMatch(/a component needs a target/);
    for (const target of ["example:X@1.0.0", "Example:x@1.0.0", "ex_ample:x@1.0.0"]) {
      const upper = cli(["publish", fixture("c-case"), target]);
      expect(upper.code).toBe(2);
      expect(upper.stderr).toContain(
        `"${target}" is not a package name: its namespace and name are lowercase kebab-case`,
      );
    }
  });
});

describe("pulling from the token registry anonymously", () => {
  it("pulls what an authenticated user published", async () => {
    const registry = registries.token;
    const user = registry.users[0]!;
    const ref = `${registry.host}/cli-test/go-words:1.0.0`;
    expect(cli(["login", registry.host, "-u", user.username, "-p", user.password]).code).toBe(0);
    expect(cli(["publish", fixture("go-words"), ref]).code).toBe(0);
    expect(cli(["logout", registry.host]).code).toBe(0);
    const out = join(home, "words.wasm");
    const r = cli(["pull", ref, "-o", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(Buffer.compare(await readFile(out), await readFile(fixture("go-words")))).toBe(0);
  });
});

describe("what a pull by reference loads", () => {
  it("pulls through the token registry without loading undici, web streams or semver", async () => {
    // fetch's classes (undici) take about 30 ms to load and semver about 15 ms: a sixth and more of
    // a whole pull. The preloaded script reports what the CLI process loaded.
    const registry = registries.token;
    const user = registry.users[0]!;
    const ref = `${registry.host}/cli-test/c-case:1.0.0`;
    expect(cli(["login", registry.host, "-u", user.username, "-p", user.password]).code).toBe(0);
    expect(cli(["publish", fixture("c-case"), ref]).code).toBe(0);
    const out = join(home, "case.wasm");
    const report = fileURLToPath(new URL("./support/report-modules.mjs", import.meta.url));
    const r = cli(["pull", ref, "-o", out], undefined, `--import=${report}`);
    expect(r.code).toBe(0);
    expect(Buffer.compare(await readFile(out), await readFile(fixture("c-case")))).toBe(0);
    const loaded = /loaded-modules (\{.*\})/.exec(r.stderr);
    expect(JSON.parse(loaded![1]!)).toEqual({ undici: false, webStreams: false, semver: false });

    // A pull by version requirement compares versions: semver is loaded then, and only then.
    const local = cli(["publish", fixture("c-case"), "example:lazy@1.2.0"]);
    expect(local.code).toBe(0);
    const byName = cli(["pull", "example:lazy@^1", "-o", out], undefined, `--import=${report}`);
    expect(byName.code).toBe(0);
    expect(JSON.parse(/loaded-modules (\{.*\})/.exec(byName.stderr)![1]!)).toMatchObject({ semver: true });
  });
});
