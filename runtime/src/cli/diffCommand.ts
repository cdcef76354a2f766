// `jitscope diff old.json new.json`: what moved between two runs, printed as tables; the diff as
// JSON (the ReportDiff contract) and as a static HTML page on request.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { diffReports } from "../profile/diff.js";
import { renderDiffHtml } from "../profile/diffHtml.js";
import { formatDiffText, validateReport } from "@jitscope/contract";
import type { Report } from "@jitscope/contract";
import type { DiffOptions } from "./diffArgs.js";
import type { Io } from "./profileCommand.js";

/** A report from disk (untrusted): a message naming the file and the problem, or the report. */
export function loadReportFile(path: string, role: string): Report | string {
  const p = resolve(path);
  if (!existsSync(p)) return `${role} report not found: ${p}`;
  try {
    return validateReport(readFileSync(p, "utf8"));
  } catch (e) {
    return `${role} report ${p} cannot be read: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export function writeOutput(path: string, text: string): string {
  const p = resolve(path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

export function diffCommand(o: DiffOptions, io: Io): number {
  const old = loadReportFile(o.old, "old");
  const now = loadReportFile(o.new, "new");
  for (const r of [old, now]) {
    if (typeof r === "string") {
      io.err(`jitscope: ${r}\n`);
      return 2;
    }
  }
  const diff = diffReports(old as Report, now as Report);
  io.out(`${formatDiffText(diff, { all: o.all })}\n`);
  if (o.json) io.out(`\ndiff:  ${writeOutput(o.json, JSON.stringify(diff))}\n`);
  if (o.html) io.out(`html:  ${writeOutput(o.html, renderDiffHtml(diff))}\n`);
  return 0;
}
