// Options as a user passes them: --quiet, --json on every error, repeatable options before
// positional arguments, registry hosts, pull's -o, failed pulls and Ctrl-C leaving nothing behind.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ProvidedRegistries } from "../../../fixtures/registry/index.js";
import { startFaultProxy } from "../../oci/test/fault-proxy.js";
import { main } from "../src/bin.js";
import { errorJson } from "../src/errors.js";
import { bigComponent } from "./support/big-component.js";
import { isolatedHome } from "./support/home.js";

const bin = fileURLToPath(new URL("../bin/wasm-compose.js", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/prebuilt/${name}.wasm`, import.meta.url));
const registries: ProvidedRegistries = inject("registries");

/** The CLI in this process (`main`): for commands that read and write only the files they are given. */
async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "cli-options-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A home folder of its own (credentials, cache, local registry) and the bin run as a process in it. */
async function home() {
  const { dir, env } = await isolatedHome(tmp);
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, cwd: dir });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { dir, env, run, cache: join(dir, "cache", "wasm-compose", "oci") };
}

/** Every file under `dir` (relative paths); none when it does not exist. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe("--quiet", () => {
  it("drops status lines but not errors, a --json result, or the output a command is run to print", async () => {
    const output = join(tmp, "quiet.wasm");
    const quiet = await cli("-q", "plug", fixture("rust-title"), "--plug", fixture("c-case"), "-o", output);
    expect(quiet).toEqual({ code: 0, stdout: "", stderr: "" });
    expect((await readFile(output)).byteLength).toBeGreaterThan(0);

    const json = await cli(
      "--quiet",
      "--json",
      "plug",
      fixture("rust-title"),
      "--plug",
      fixture("c-case"),
      "-o",
      output,
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ output, unused: [] });

    const failed = await cli("-q", "plug", join(tmp, "missing.wasm"), "--plug", fixture("c-case"), "-o", output);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error\[INVALID_INPUT\]: cannot read .*missing\.wasm/);

    // `wit` and `inspect` are run for what they print: --quiet keeps it.
    const wit = await cli("-q", "wit", output);
    expect(wit.code).toBe(0);
    expect(wit).toEqual(await cli("wit", output));
    expect(wit.stdout).toContain("export example:text/title@0.1.0;");
    expect((await cli("-q", "inspect", output)).stdout).toContain("exports:");
  });
});

describe("repeatable options", () => {
  it("take one value per use, so positional arguments may follow them", async () => {
    const output = join(tmp, "plugged.wasm");
    const plugged = await cli("--json", "plug", "--plug", fixture("c-case"), fixture("rust-title"), "-o", output);
    expect(plugged.stderr).toBe("");
    expect(plugged.code).toBe(0);
    expect(JSON.parse(plugged.stdout).wires).toHaveLength(1);

    // Each use adds one: the second plug is there, and unused.
    const two = await cli(
      "--json",
      "plug",
      "--plug",
      fixture("c-case"),
      "--plug",
      fixture("rust-arith"),
      fixture("rust-title"),
      "-o",
      output,
    );
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout).unused).toEqual(["rust-arith"]);

    const wac = join(tmp, "title.wac");
    await writeFile(
      wac,
      "package example:t;\nlet case = new example:case {};\nlet title = new example:title { ...case };\n",
    );
    const composed = await cli(
      "compose",
      "--dep",
      `example:case=${fixture("c-case")}`,
      "--dep",
      `example:title=${fixture("rust-title")}`,
      wac,
      "-o",
      join(tmp, "composed.wasm"),
    );
    expect(composed.stderr).toBe("");
    expect(composed.code).toBe(0);

    const host = await cli(
      "bindings",
      "--map",
      "example:text/case@0.1.0=./case.js",
      fixture("rust-title"),
      "--host",
      "-o",
      join(tmp, "host"),
    );
    expect(host.stderr).not.toMatch(/missing required argument/);
    expect(host.code).toBe(0);
  });

  it("publish takes --annotation before its positional arguments, each use one annotation", async () => {
    const { run } = await home();
    const r = run(
      "--json",
      "publish",
      "--annotation",
      "a=1",
      "--annotation",
      "b=2",
      fixture("c-case"),
      "example:case@0.1.0",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("say so in the help", async () => {
    const help = await cli("plug", "--help");
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      "--plug <file> a component whose exports satisfy imports, or a package name to pull (repeatable)",
    );
    expect(help.stdout).not.toContain("...");
  });
});

describe("--json on every error", () => {
  it("prints commander's usage errors as JSON with code USAGE, exit 2, nothing on stderr", async () => {
    const cases: [string[], RegExp][] = [
      [["plug", "--plug", fixture("c-case")], /^missing required argument 'socket'$/],
      [["bogus"], /^unknown command 'bogus'$/],
      [["--no-such-flag"], /^unknown option '--no-such-flag'$/],
      [["plug", "a.wasm", "--frob"], /^unknown option '--frob'$/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli("--json", ...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("");
      const { error } = JSON.parse(r.stdout);
      expect(error.code).toBe("USAGE");
      expect(error.message).toMatch(message);
    }
    const suggested = JSON.parse((await cli("--json", "logot")).stdout);
    expect(suggested.error).toEqual({
      code: "USAGE",
      message: "unknown command 'logot'",
      hint: "Did you mean logout?",
    });
    // Without --json, commander's one line on stderr, as before.
    const plain = await cli("frobnicate");
    expect(plain.stdout).toBe("");
    expect(plain.stderr).toBe("error: unknown command 'frobnicate'\n");
  });

  it("keeps where an error is: file, line, column, hint and the rendered snippet", async () => {
    const wit = join(tmp, "bad.wit");
    await writeFile(wit, "package a:b;\ninterface i { f: func() -> foo; }\n");
    const r = await cli("--json", "wit", wit);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({
      code: "WIT_UNKNOWN",
      message: "name `foo` does not exist",
      file: wit,
      line: 2,
      column: 28,
      hint: "did you mean `bool`?",
    });
    expect(error.rendered).toContain(`--> ${wit}:2:28`);
    expect(error.rendered).toContain("^^^");
  });

  it("adds only the fields an error has", () => {
    class Positioned extends Error {
      readonly code = "BAD_BYTE";
      readonly offset = 12;
    }
    expect(errorJson(new Positioned("unexpected byte"))).toEqual({
      error: { code: "BAD_BYTE", message: "unexpected byte", offset: 12 },
    });
  });
});

describe("registry hosts", () => {
  it("login and logout take host[:port], with or without https:// and a trailing slash, and refuse anything else", async () => {
    const { run } = await home();
    for (const text of ["bad host", "ghcr.io/some/path"]) {
      const r = run("logout", text);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error[USAGE]: registry ${JSON.stringify(text)} is not a host: expected host[:port], such as ghcr.io or localhost:5000\n`,
      );
    }
    // User info is refused without being repeated: it may hold a password.
    for (const [command, ...args] of [
      ["logout", "user@ghcr.io"],
      ["login", "https://user:s3cret@ghcr.io/", "-p", "x"],
      ["pull", "ns:name", "--registry", "oci://user:s3cret@ghcr.io"],
    ] as const) {
      const r = run(command, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error\[USAGE\]: (registry|--registry): credentials in the URL .* `wasm-compose login/);
      expect(r.stderr).not.toMatch(/user@|s3cret/);
    }
    expect(run("logout", "https:/user:s3cret@ghcr.io").stderr).not.toContain("s3cret");
    expect(run("login", "bad host", "-p", "x").stderr).not.toContain("/x");
    expect(run("logout", "https://GHCR.io/").stdout).toBe("no stored credentials for ghcr.io\n");

    const registry = registries.basic;
    const user = registry.users[0]!;
    const login = run("login", `http://${registry.host}/`, "-u", user.username, "-p", user.password);
    expect(login.stderr).toBe("");
    expect(login.stdout).toContain(`logged in to ${registry.host} `);
    expect(run("logout", `${registry.host}/`).stdout).toBe(`logged out of ${registry.host}\n`);
  });

  it("--registry is read the same way by every command", async () => {
    const { run } = await home();
    const published = run(
      "publish",
      fixture("c-case"),
      "cli-options:case@0.1.0",
      "--registry",
      `http://${registries.anonymous.host}/`,
    );
    expect(published.stderr).toBe("");
    expect(published.stdout).toContain(`published ${registries.anonymous.host}/cli-options/case:0.1.0@sha256:`);
    const pulled = run(
      "pull",
      "cli-options:case@0.1",
      "--registry",
      `${registries.anonymous.host}/`,
      "-o",
      "case.wasm",
    );
    expect(pulled.stderr).toBe("");
    expect(pulled.code).toBe(0);
    const bad = run("inspect", "cli-options:case", "--registry", "not a host");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error\[USAGE\]: --registry "not a host" is not a host/);
  });
});

describe("publish", () => {
  it("gives the same digest twice with SOURCE_DATE_EPOCH, and refuses a version annotation that contradicts the version", async () => {
    const { dir, env } = await home();
    const publish = (version: string, extra: NodeJS.ProcessEnv = {}, ...args: string[]) => {
      const r = spawnSync(
        process.execPath,
        [bin, "--json", "publish", fixture("c-case"), `example:case@${version}`, ...args],
        { encoding: "utf8", env: { ...env, ...extra }, cwd: dir },
      );
      const json = JSON.parse(r.stdout) as { digest?: string; error?: { message: string } };
      return { code: r.status, digest: json.digest, error: json.error?.message };
    };
    const epoch = { SOURCE_DATE_EPOCH: "1700000000" };
    const first = publish("1.0.0", epoch);
    expect(first.code).toBe(0);
    expect(publish("1.0.0", epoch).digest).toBe(first.digest);
    expect(publish("1.0.0", { SOURCE_DATE_EPOCH: "1700000001" }).digest).not.toBe(first.digest);
    expect(publish("1.0.0", { SOURCE_DATE_EPOCH: "yesterday" }).error).toContain(
      "SOURCE_DATE_EPOCH must be whole seconds since 1970",
    );
    const contradicts = publish("1.1.0", {}, "--annotation", "org.opencontainers.image.version=9.9.9");
    expect(contradicts.code).toBe(2);
    expect(contradicts.error).toBe(
      "--annotation org.opencontainers.image.version=9.9.9 contradicts the version published, 1.1.0",
    );
  });
});

describe("pull", () => {
  it("names a digest once when pulled by digest", async () => {
    const { run } = await home();
    const ref = `${registries.anonymous.host}/cli-options/by-digest-${process.pid}`;
    const digest = JSON.parse(run("--json", "publish", fixture("c-case"), `${ref}:1.0.0`).stdout).digest as string;
    const r = run("pull", `${ref}@${digest}`, "-o", "case.wasm");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`pulled ${ref}@${digest} -> case.wasm\n`);
  });

  it("writes <name>.wasm into a folder given as -o, and says clearly when it cannot write", async () => {
    const { dir, run } = await home();
    expect(run("publish", fixture("rust-arith"), "example:arith@0.1.0").code).toBe(0);
    const folder = join(dir, "out");
    await mkdir(folder);
    const into = run("pull", "example:arith", "-o", folder);
    expect(into.stderr).toBe("");
    expect(into.stdout).toMatch(new RegExp(`-> ${join(folder, "arith.wasm")}\\n$`));
    expect(await readFile(join(folder, "arith.wasm"))).toEqual(await readFile(fixture("rust-arith")));
    // A path ending in a slash is a folder, made when missing.
    expect(run("pull", "example:arith", "-o", "new/").stdout).toMatch(/-> new\/arith\.wasm\n$/);
    expect(await readdir(join(dir, "new"))).toEqual(["arith.wasm"]);

    await writeFile(join(dir, "plain"), "");
    const under = run("pull", "example:arith", "-o", "plain/x.wasm");
    expect(under.code).toBe(1);
    expect(under.stderr).toBe(
      "error[INVALID_INPUT]: cannot write plain/x.wasm: a part of the path is not a directory\n",
    );
    // A folder whose <name>.wasm is a folder too.
    await mkdir(join(dir, "taken", "arith.wasm"), { recursive: true });
    const taken = run("pull", "example:arith", "-o", "taken");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(`error[INVALID_INPUT]: cannot write ${join("taken", "arith.wasm")}: it is a directory\n`);
    expect((await filesUnder(dir)).filter((f) => f.includes("partial"))).toEqual([]);
  });

  it("writes through a symbolic link, into a FIFO in place (never replacing it), and refuses -o -", async () => {
    const { dir, run } = await home();
    expect(run("publish", fixture("rust-arith"), "example:arith@0.1.0").code).toBe(0);
    const expected = await readFile(fixture("rust-arith"));
    const real = join(dir, "real.wasm");
    await writeFile(real, "old");
    await symlink(real, join(dir, "link.wasm"));
    expect(run("pull", "example:arith", "-o", "link.wasm").code).toBe(0);
    expect((await lstat(join(dir, "link.wasm"))).isSymbolicLink()).toBe(true);
    expect(await readFile(real)).toEqual(expected);

    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("sh", ["-c", 'cat "$0" > "$1"', fifo, join(dir, "from-fifo")]);
    const read = new Promise((done) => reader.on("exit", done));
    expect(run("pull", "example:arith", "-o", "fifo").code).toBe(0);
    await read;
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readFile(join(dir, "from-fifo"))).toEqual(expected);

    const dash = run("pull", "example:arith", "-o", "-");
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain("-o -: writing to standard output is not supported");
    expect((await readdir(dir)).includes("-")).toBe(false);
  });

  it("says on stderr which version and digest a package name was pulled as, and refuses --registry with a reference", async () => {
    const { run } = await home();
    const published = JSON.parse(run("--json", "publish", fixture("rust-arith"), "example:arith@0.1.0").stdout);
    const shown = run("inspect", "example:arith");
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe(`example:arith: local registry example/arith:0.1.0@${published.digest}\n`);
    expect(shown.stdout).toContain("example:math/arith@0.1.0 (interface");
    expect(run("--quiet", "wit", "example:arith").stderr).toBe("");
    for (const args of [
      ["pull", "127.0.0.1:1/x/y:1.0.0", "--registry", "127.0.0.1:2"],
      ["publish", fixture("rust-arith"), "127.0.0.1:1/x/y:1.0.0", "--registry", "127.0.0.1:2"],
      ["inspect", "127.0.0.1:1/x/y:1.0.0", "--registry", "127.0.0.1:2"],
    ]) {
      const r = run(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--registry applies to package names (ns:name); 127.0.0.1:1/x/y:1.0.0 is a reference");
    }
  });

  it("says offline that nothing is cached, not that the registry has no tags", async () => {
    const { env, dir } = await home();
    const args = [bin, "pull", "example:nothere", "--registry", registries.anonymous.host];
    const r = spawnSync(process.execPath, args, {
      encoding: "utf8",
      env: { ...env, WASM_COMPOSE_OFFLINE: "1" },
      cwd: dir,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `error[NO_MATCHING_VERSION]: no version of example:nothere matches "*" in the local cache of ${registries.anonymous.host}/example/nothere (offline) (nothing cached)\n`,
    );
  });

  it("pulls what it pulled before from the cache when the registry cannot be reached, and says so", async () => {
    const { dir, env } = await home();
    // Asynchronously: the proxy runs in this process, which spawnSync would stall.
    const runAsync = (...args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { env, cwd: dir });
        let stderr = "";
        child.stderr.on("data", (c: Buffer) => (stderr += c));
        child.on("exit", (code) => resolve({ code, stderr }));
      });
    const proxy = await startFaultProxy(registries.anonymous.url);
    const repo = `cli-options/down-${process.pid}`;
    let closed = false;
    try {
      // Published to the registry itself; pulled through the proxy, which then goes away.
      expect((await runAsync("publish", fixture("c-case"), `${registries.anonymous.host}/${repo}:1.0.0`)).code).toBe(0);
      expect((await runAsync("pull", `${proxy.host}/${repo}:1.0.0`, "-o", "first.wasm")).code).toBe(0);
      await proxy.close();
      closed = true;
      const again = await runAsync("pull", `${proxy.host}/${repo}:1.0.0`, "-o", "again.wasm");
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/^the registry could not be reached \(.*\); using the cached manifest 1\.0\.0\n$/);
      expect(await readFile(join(dir, "again.wasm"))).toEqual(await readFile(fixture("c-case")));
      // Nothing cached for another tag: the registry's error stands.
      const other = await runAsync("pull", `${proxy.host}/${repo}:2.0.0`, "-o", "other.wasm");
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/^error\[NETWORK_ERROR\]/);
    } finally {
      if (!closed) await proxy.close();
    }
  });

  it("logs its registry requests with --debug, and only then", async () => {
    const { run } = await home();
    const ref = `${registries.anonymous.host}/cli-options/debug-${process.pid}`;
    expect(run("publish", fixture("c-case"), `${ref}:1.0.0`).code).toBe(0);
    const debug = run("--debug", "pull", `${ref}:1.0.0`, "-o", "d.wasm");
    expect(debug.code).toBe(0);
    expect(debug.stderr).toMatch(
      /^debug: GET http:\/\/127\.0\.0\.1:\d+\/v2\/cli-options\/debug-\d+\/manifests\/1\.0\.0 -> 200$/m,
    );
    expect(run("pull", `${ref}:1.0.0`, "-o", "e.wasm").stderr).toBe("");
  });

  it("leaves no repository in the cache when it fails", async () => {
    const { run, cache } = await home();
    const unreachable = run("pull", "127.0.0.1:1/cli-options/nothing:1.0.0");
    expect(unreachable.code).toBe(1);
    const missing = run("pull", `${registries.anonymous.host}/cli-options/never-published-${process.pid}:1.0.0`);
    expect(missing.code).toBe(1);
    expect(JSON.parse(run("--json", "cache", "ls").stdout).entries).toEqual([]);
    expect((await readdir(cache).catch(() => [])).filter((d) => d !== ".discovery")).toEqual([]);
  });

  it("stops on Ctrl-C: temporary files are removed, and it exits 130", async () => {
    const { dir, env, run, cache } = await home();
    // A component of 12 MB: c-case with a custom section of random bytes.
    const big = await bigComponent(fixture("c-case"), 12 << 20);
    await writeFile(join(dir, "big-source.wasm"), big);
    const repo = `cli-options/big-${process.pid}`;
    expect(run("publish", "big-source.wasm", `${registries.anonymous.host}/${repo}:1.0.0`).code).toBe(0);

    // The real registry behind a slow link, so that the download is under way when Ctrl-C comes.
    const proxy = await startFaultProxy(registries.anonymous.url);
    proxy.decide = (req) =>
      req.method === "GET" && req.url?.includes("/blobs/") ? { kind: "slow", delayMs: 20 } : undefined;
    try {
      const child = spawn(process.execPath, [bin, "pull", `${proxy.host}/${repo}:1.0.0`, "-o", "big.wasm"], {
        env,
        cwd: dir,
      });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      let partial: string | undefined;
      for (let i = 0; i < 500 && partial === undefined; i++) {
        partial = (await readdir(dir)).find((f) => f.endsWith(".partial"));
        if (partial === undefined) await new Promise((r) => setTimeout(r, 10));
      }
      // One temporary name, not `..big.wasm.<hex>.partial.<hex>.partial`.
      expect(partial).toMatch(/^\.big\.wasm\.[0-9a-f]{12}\.partial$/);
      child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect(stderr).toBe("error[INTERRUPTED]: interrupted by SIGINT\n");
      expect((await readdir(dir)).filter((f) => f.includes("big.wasm"))).toEqual([]);
      expect((await filesUnder(cache)).filter((f) => f.includes("partial"))).toEqual([]);

      // A command that pulls what it is given (inspect, like wit, bindings, plug and targets) stops too,
      // and its temporary folder goes.
      const tmp = join(dir, "tmp");
      await mkdir(tmp);
      const inspecting = spawn(process.execPath, [bin, "inspect", `${proxy.host}/${repo}:1.0.0`], {
        env: { ...env, TMPDIR: tmp },
        cwd: dir,
      });
      let inspectErr = "";
      inspecting.stderr.on("data", (c: Buffer) => (inspectErr += c));
      const inspected = new Promise<number | null>((resolve) => inspecting.on("exit", (code) => resolve(code)));
      let pulling = false;
      for (let i = 0; i < 500 && !pulling; i++) {
        pulling = (await filesUnder(tmp)).some((f) => f.endsWith(".partial"));
        if (!pulling) await new Promise((r) => setTimeout(r, 10));
      }
      expect(pulling).toBe(true);
      inspecting.kill("SIGINT");
      expect(await inspected).toBe(130);
      expect(inspectErr).toBe("error[INTERRUPTED]: interrupted by SIGINT\n");
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
