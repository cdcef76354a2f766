// Runs test files with Node's own test runner (TypeScript through tsx).
// `node test/run.mjs [folder-or-file …]` (default: test/unit). Node 20's `--test` does not
// expand globs or pick up .ts files itself, so we list them here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (/\.test\.(ts|mjs|js)$/.test(path)) {
    out.push(path);
  }
  return out;
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const files = (roots.length ? roots : ["test/unit"]).flatMap((r) => collect(r, []));
if (files.length === 0) {
  console.error("test/run.mjs: no test files found");
  process.exit(1);
}
const concurrency = process.env.JITSCOPE_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--enable-source-maps", "--test", `--test-concurrency=${concurrency}`, ...flags, ...files],
  {
    stdio: "inherit",
    // One calibration cache for every test run on this machine (the device is measured once,
    // not once per profiled test script), kept apart from the user's own ~/.cache/jitscope.
    env: {
      XDG_RUNTIME_DIR: "/tmp",
      JITSCOPE_CHECK_IR: "1",
      JITSCOPE_CACHE_DIR: join(tmpdir(), "jitscope-test-cache"),
      ...process.env,
    },
  },
);
process.exit(result.status ?? 1);
