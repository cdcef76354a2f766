// `jitscope check script.ts --baseline base.json`: profile the script, diff it against the
// baseline, hold it to the budgets; Markdown on stdout (for a CI job summary), JSON on request;
// exit 0 when every check passes, 1 when one fails, 2 when the inputs cannot be read.

import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { evaluateBudgets, parseBudgetFile, type BudgetFile, type CheckResult } from "../profile/budget.js";
import { diffReports } from "../profile/diff.js";
import { diffTables, markdownTable, type ReportDiff } from "@jitscope/contract";
import type { CheckOptions } from "./diffArgs.js";
import { loadReportFile, writeOutput } from "./diffCommand.js";
import { profileCommand, type Io } from "./profileCommand.js";

export function checkMarkdown(result: CheckResult, diff: ReportDiff): string {
  const failed = result.checks.filter((c) => !c.ok);
  const out = [
    `## JIT Scope check: ${result.ok ? "passed" : `FAILED (${failed.length} of ${result.checks.length} checks)`}`,
    "",
    `\`${diff.new.script}\` against the baseline of ${diff.old.createdAt}; allowed slowdown ${Math.round(result.maxRegression * 1000) / 10}% when significant.`,
    "",
    `Summary: ${diff.summary.text}`,
    "",
    markdownTable({
      kind: "functions",
      title: "checks",
      head: ["", "function", "check", "baseline", "now", "limit", "note"],
      rows: result.checks.map((c) => [c.ok ? "✅" : "❌", c.function, c.metric, c.baseline, c.actual, c.limit, c.note]),
    }),
  ];
  for (const t of diffTables(diff)) out.push("", `### ${t.title}`, "", markdownTable(t));
  out.push("", `<sub>${diff.method}</sub>`);
  return out.join("\n");
}

export async function checkCommand(o: CheckOptions, io: Io, signal?: AbortSignal): Promise<number> {
  const baseline = loadReportFile(o.baseline, "baseline");
  if (typeof baseline === "string") {
    io.err(`jitscope: ${baseline}\n`);
    return 2;
  }
  let budgets: BudgetFile = { default: {}, functions: {} };
  if (o.budget) {
    try {
      budgets = parseBudgetFile(JSON.parse(readFileSync(resolve(o.budget), "utf8")), o.budget);
    } catch (e) {
      io.err(`jitscope: budget file ${resolve(o.budget)}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  const temp = mkdtempSync(join(tmpdir(), "jitscope-check-"));
  try {
    const reportPath = o.report ? resolve(o.report) : join(temp, "report.json");
    // The profile's own table goes to stderr: stdout is the Markdown a CI job shows.
    await profileCommand(
      {
        script: o.script,
        compare: false,
        runs: o.runs,
        json: reportPath,
        trace: null,
        html: null,
        timeoutS: o.timeoutS,
        backend: o.backend,
        timing: null,
        eagerSites: true,
        tune: false,
        tuneBudgetMs: null,
        ablate: [],
      },
      { out: io.err, err: io.err },
      signal,
    );
    const current = loadReportFile(reportPath, "new");
    if (typeof current === "string") {
      io.err(`jitscope: ${current}\n`);
      return 1;
    }
    const diff = diffReports(baseline, current);
    const result = evaluateBudgets(diff, current, budgets, o.maxRegression);
    const md = checkMarkdown(result, diff);
    io.out(`${md}\n`);
    if (o.markdown) io.err(`markdown: ${writeOutput(o.markdown, `${md}\n`)}\n`);
    // In a GitHub Actions job the summary also lands on the run's page.
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) appendFileSync(stepSummary, `${md}\n`);
    if (o.json)
      io.err(
        `json: ${writeOutput(o.json, JSON.stringify({ ok: result.ok, maxRegression: result.maxRegression, checks: result.checks, diff }))}\n`,
      );
    return result.ok ? 0 : 1;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
