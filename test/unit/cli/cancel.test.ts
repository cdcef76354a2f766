// Cancel as the extension does it: SIGTERM to the CLI. The CLI stops the script's process group,
// writes the report gathered so far with status "cancelled", and exits 130.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateReport } from "@jitscope/contract";
import { CLI, fixture, REPO } from "./runCli.js";

test("SIGTERM to the CLI cancels the run: child stopped, report kept with status cancelled, exit 130", async () => {
  const reportPath = join(mkdtempSync(join(tmpdir(), "jitscope-cancel-")), "report.json");
  const cli = spawn(process.execPath, [CLI, "profile", fixture("never_ends.ts"), "--json", reportPath], {
    cwd: REPO,
    env: { ...process.env, XDG_RUNTIME_DIR: "/tmp" },
  });
  let out = "";
  cli.stdout.setEncoding("utf8").on("data", (c: string) => {
    out += c;
    if (out.includes("waiting forever")) cli.kill("SIGTERM");
  });
  const code = await new Promise<number | null>((resolve) => cli.on("close", resolve));
  assert.equal(code, 130);
  const report = validateReport(readFileSync(reportPath, "utf8"));
  assert.equal(report.status, "cancelled");
  assert.equal(report.errors[0]!.kind, "cancelled");
  assert.ok(report.kernels.length >= 1, "the eager op before the cancel is kept");
});
