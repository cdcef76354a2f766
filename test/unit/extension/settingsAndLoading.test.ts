import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadReportFile, parseReportText } from "../../../extension/src/report/loadReport.js";
import {
  cliArgs,
  cliEnv,
  DEFAULT_SETTINGS,
  readSettings,
  type JitScopeSettings,
} from "../../../extension/src/model/settings.js";
import { nodeCommand } from "../../../extension/src/runner/profileRun.js";
import { sampleReport } from "../../fixtures/ext/sampleReport.js";

const fromMap = (m: Record<string, unknown>) => (key: keyof JitScopeSettings) => m[key];

test("settings: valid values are used, invalid ones fall back to the defaults", () => {
  assert.deepEqual(readSettings(fromMap({})), DEFAULT_SETTINGS);
  assert.deepEqual(
    readSettings(
      fromMap({
        runs: 9,
        timeoutSeconds: 30,
        backend: "cpu",
        timing: "every",
        eagerCallSites: false,
        compareCalls: [100, 1, 10],
        showLineHeat: false,
        nodePath: " /usr/bin/node ",
      }),
    ),
    {
      runs: 9,
      timeoutSeconds: 30,
      backend: "cpu",
      timing: "every",
      eagerCallSites: false,
      compareCalls: [1, 10, 100],
      showLineHeat: false,
      nodePath: "/usr/bin/node",
    },
  );
  const bad = readSettings(
    fromMap({
      runs: 0,
      timeoutSeconds: 2.5,
      backend: "metal",
      timing: "often",
      eagerCallSites: "no",
      compareCalls: [1, -2],
      showLineHeat: "yes",
      nodePath: 7,
    }),
  );
  assert.deepEqual(bad, DEFAULT_SETTINGS);
});

test("the CLI argument vector follows the contract, with no shell quoting anywhere", () => {
  const s = readSettings(
    fromMap({ runs: 3, timeoutSeconds: 20, backend: "webgpu", timing: "every", eagerCallSites: false }),
  );
  assert.deepEqual(
    cliArgs(s, {
      cliPath: "/ext/dist/cli.mjs",
      script: "/p/my file; rm -rf.ts",
      reportPath: "/tmp/r.json",
      compare: true,
    }),
    [
      "/ext/dist/cli.mjs",
      "profile",
      "/p/my file; rm -rf.ts",
      "--json",
      "/tmp/r.json",
      "--runs",
      "3",
      "--timeout",
      "20",
      "--backend",
      "webgpu",
      "--timing",
      "every",
      "--eager-sites",
      "off",
      "--compare",
    ],
  );
  assert.deepEqual(
    cliArgs(DEFAULT_SETTINGS, { cliPath: "c", script: "s", reportPath: "r", compare: false, tracePath: "t.json" }),
    ["c", "profile", "s", "--json", "r", "--runs", "1", "--timeout", "120", "--trace", "t.json"],
  );
  assert.deepEqual(cliEnv(DEFAULT_SETTINGS), { JITSCOPE_COMPARE_CALLS: "1,10,100,1000" });
});

test("the child runs under VS Code's own runtime as Node unless a Node path is set", () => {
  assert.deepEqual(nodeCommand(DEFAULT_SETTINGS, "/opt/code/code"), {
    command: "/opt/code/code",
    env: { ELECTRON_RUN_AS_NODE: "1" },
  });
  assert.deepEqual(nodeCommand({ ...DEFAULT_SETTINGS, nodePath: "/usr/bin/node" }), {
    command: "/usr/bin/node",
    env: {},
  });
});

test("a well-formed report loads from disk", async () => {
  const dir = await mkdtemp(join(tmpdir(), "jitscope-ext-"));
  const file = join(dir, "r.json");
  await writeFile(file, JSON.stringify(sampleReport()));
  const r = await loadReportFile(file);
  assert.equal(r.ok, true);
  assert.equal(r.ok && r.report.kernels[1]!.name, "reduce_sum_1");
});

test("reports that are not JSON, not ours, another version or malformed are refused with a reason", async () => {
  const bad = (mutate: (r: Record<string, unknown>) => void) => {
    const r = sampleReport() as unknown as Record<string, unknown>;
    mutate(r);
    return parseReportText(JSON.stringify(r));
  };
  const err = (res: ReturnType<typeof parseReportText>) => (res.ok ? "loaded" : res.error);
  assert.match(err(parseReportText("{nope")), /^invalid JSON/);
  assert.equal(err(parseReportText("[]")), 'not a JIT Scope report (no "tool": "jitscope" at the top level)');
  assert.equal(err(bad((r) => (r.tool = "other"))), 'not a JIT Scope report (no "tool": "jitscope" at the top level)');
  assert.equal(err(bad((r) => (r.version = 3))), "report version 3 unsupported (this JIT Scope reads version 2)");
  assert.equal(err(bad((r) => delete r.kernels)), "kernels must be an array");
  assert.equal(
    err(bad((r) => (r.errors as unknown[]).push({ kind: "runtime", message: "x", location: { file: 1 } }))),
    "errors[0].location.file must be a string",
  );
  assert.equal(
    err(bad((r) => ((r.kernels as Record<string, unknown>[])[0]!.medianNs = "fast"))),
    "kernels[0].medianNs must be a number ≥ 0",
  );
  // A hover link to a kernel that is not there would dangle: refused too.
  const dangling = bad((r) => ((r.lines as Record<string, { kernels: string[] }>)["/proj/mlp.ts:3"]!.kernels = ["k9"]));
  assert.equal(err(dangling), 'lines["/proj/mlp.ts:3"].kernels[0] must be a kernel id present in kernels (got "k9")');
  const missing = await loadReportFile("/nonexistent/jitscope/r.json");
  assert.equal(missing.ok ? "" : missing.error, "cannot read /nonexistent/jitscope/r.json: ENOENT");
});
