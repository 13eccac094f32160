// `npm test`: sets up everything the tests need on a fresh machine, runs every test, cleans up.
// Steps: npm dependencies, Debian packages (apt, as root), build, lint, fixtures, vitest
// (whose global setup starts the registries), then stops any service still running.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildAll } from "./build.mjs";
import { ensureDebianPackages, ensureNpmDependencies, root, run, step } from "./lib/bootstrap.mjs";

const servicesDir = join(root, ".cache", "services");
const resultsFile = join(root, ".cache", "vitest-results.json");

/** The closing count, as one plain line: `tests: N passed, N failed, N skipped`. */
function summary() {
  try {
    const r = JSON.parse(readFileSync(resultsFile, "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    return `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
  } catch {
    return undefined;
  }
}

/** Stops services a test run left behind (each harness writes `<name>.pid` while it runs). */
function stopLeftoverServices() {
  if (!existsSync(servicesDir)) return;
  for (const f of readdirSync(servicesDir).filter((n) => n.endsWith(".pid"))) {
    // `<service>-of-<owner pid>.pid`: a service whose owner still runs (another test run in this
    // checkout) is not a leftover.
    const owner = Number(/-of-(\d+)\.pid$/.exec(f)?.[1]);
    if (owner > 0 && isAlive(owner)) continue;
    const pid = Number(readFileSync(join(servicesDir, f), "utf8").trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, "SIGKILL");
        console.log(`  stopped leftover service ${f} (pid ${pid})`);
      } catch {
        // Already gone.
      }
    }
    rmSync(join(servicesDir, f), { force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

function vitest(args) {
  return new Promise((resolve) => {
    const reporters = ["--reporter=default", "--reporter=json", `--outputFile.json=${resultsFile}`];
    const child = spawn(
      process.execPath,
      [join(root, "node_modules/vitest/vitest.mjs"), "run", ...reporters, ...args],
      {
        cwd: root,
        stdio: "inherit",
      },
    );
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const started = performance.now();
  await step("npm dependencies", () => ensureNpmDependencies());
  await step("Debian packages", () => ensureDebianPackages());
  await step("build (tsc -b, bundles)", () => buildAll());
  await step("lint (biome, type check of tests)", () => {
    run(process.execPath, [join(root, "node_modules/@biomejs/biome/bin/biome"), "check", "."]);
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.tests.json"]);
  });
  await step("fixtures", () => run(process.execPath, [join(root, "fixtures/build.mjs")]));
  stopLeftoverServices();
  let code = 1;
  rmSync(resultsFile, { force: true });
  try {
    code = await step("tests (vitest)", () => vitest(process.argv.slice(2)));
  } finally {
    stopLeftoverServices();
  }
  const counts = summary();
  if (counts) console.log(`\n${counts}`);
  console.log(
    `\nnpm test: ${code === 0 ? "passed" : "FAILED"} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  process.exitCode = code;
}

main().catch((e) => {
  stopLeftoverServices();
  console.error(`\nnpm test: ${e.message}`);
  process.exitCode = e.exitCode ?? 1;
});
