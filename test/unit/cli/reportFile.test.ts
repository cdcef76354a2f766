// Without the CLI: a bundled script run by plain Node with JITSCOPE_REPORT_FILE writes its own
// report at exit (the recorder assembles it in-process).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleScript } from "../../../runtime/src/cli/bundle.js";
import { validateReport } from "@jitscope/contract";
import { REPO } from "./runCli.js";

test("JITSCOPE_REPORT_FILE: the script's own process writes a valid report at exit", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-reportfile-"));
  const script = join(REPO, "examples/softmax.ts");
  const bundle = join(dir, "softmax.mjs");
  const built = await bundleScript(script, bundle, join(REPO, "dist/runtime.mjs"));
  assert.ok(built.ok);
  const reportPath = join(dir, "report.json");
  const env: Record<string, string | undefined> = {
    ...process.env,
    XDG_RUNTIME_DIR: "/tmp",
    JITSCOPE_REPORT_FILE: reportPath,
  };
  delete env.JITSCOPE_EVENTS_FILE;
  const r = spawnSync(process.execPath, ["--enable-source-maps", bundle], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const report = validateReport(readFileSync(reportPath, "utf8"));
  assert.equal(report.status, "completed");
  assert.equal(report.functions[0]!.name, "softmax");
  assert.equal(report.functions[0]!.calls, 11);
  assert.ok(report.kernels.some((k) => k.mode === "jit" && k.locations.every((l) => l.file === script)));
});
