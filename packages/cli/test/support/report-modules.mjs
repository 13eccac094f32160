// Preloaded with --import into a CLI process under test: on exit, reports on stderr which costly
// modules the process loaded (undici backs fetch's classes; semver compares versions).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
process.on("exit", () => {
  const builtins = process.moduleLoadList.join("\n");
  const report = {
    undici: builtins.includes("undici"),
    webStreams: builtins.includes("internal/webstreams/readablestream"),
    semver: Object.keys(require.cache).some((path) => path.includes("/node_modules/semver/")),
  };
  process.stderr.write(`\nloaded-modules ${JSON.stringify(report)}\n`);
});
