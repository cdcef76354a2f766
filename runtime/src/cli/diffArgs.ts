// Command-line parsing for `jitscope diff` and `jitscope check`. Pure, so tests can check it.

import type { BackendName } from "@jitscope/contract";
import { parseRegression } from "../profile/budget.js";
import { UsageError } from "./usageError.js";

export interface DiffOptions {
  old: string;
  new: string;
  json: string | null;
  html: string | null;
  /** Print every kernel and line, not only those that changed. */
  all: boolean;
}

export interface CheckOptions {
  script: string;
  baseline: string;
  maxRegression: number;
  budget: string | null;
  json: string | null;
  markdown: string | null;
  /** Where the new run's report goes (default: a temp file, removed after). */
  report: string | null;
  runs: number;
  timeoutS: number;
  backend: BackendName | null;
}

export const DIFF_USAGE = `usage: jitscope diff <old.json> <new.json> [--json FILE] [--html FILE] [--all]
       jitscope check <script.ts> --baseline <base.json> [--max-regression 10%] [--budget FILE]
                      [--json FILE] [--markdown FILE] [--report FILE] [--runs N] [--timeout S] [--backend webgpu|cpu]

  diff    compares two reports: functions by name and site, kernels by provenance (source lines
          and ops, never generated names), lines following simple edits; a time changed only when
          the two runs' 95% intervals of the median do not overlap
  check   profiles the script and checks it against the baseline and the budgets (dispatches
          per call, compilations, peak bytes, time per call); prints Markdown; exit 0 pass, 1 fail
`;

function valueOf(rest: readonly string[], i: number, flag: string): string {
  const v = rest[i + 1];
  if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  return v;
}

export function parseDiffArgs(rest: readonly string[]): DiffOptions {
  const o: DiffOptions = { old: "", new: "", json: null, html: null, all: false };
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--json") o.json = valueOf(rest, i++, a);
    else if (a === "--html") o.html = valueOf(rest, i++, a);
    else if (a === "--all") o.all = true;
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a} for diff`);
    else files.push(a);
  }
  if (files.length !== 2) throw new UsageError(`diff takes two reports (old and new), got ${files.length}`);
  [o.old, o.new] = files as [string, string];
  return o;
}

export function parseCheckArgs(rest: readonly string[]): CheckOptions {
  const o: CheckOptions = {
    script: "",
    baseline: "",
    maxRegression: 0.1,
    budget: null,
    json: null,
    markdown: null,
    report: null,
    runs: 1,
    timeoutS: 300,
    backend: null,
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    switch (a) {
      case "--baseline":
        o.baseline = valueOf(rest, i++, a);
        break;
      case "--max-regression":
        try {
          o.maxRegression = parseRegression(valueOf(rest, i++, a), "--max-regression");
        } catch (e) {
          throw new UsageError(e instanceof Error ? e.message : String(e));
        }
        break;
      case "--budget":
        o.budget = valueOf(rest, i++, a);
        break;
      case "--json":
        o.json = valueOf(rest, i++, a);
        break;
      case "--markdown":
        o.markdown = valueOf(rest, i++, a);
        break;
      case "--report":
        o.report = valueOf(rest, i++, a);
        break;
      case "--runs": {
        const n = Number(valueOf(rest, i++, a));
        if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError("--runs must be an integer from 1 to 1000");
        o.runs = n;
        break;
      }
      case "--timeout": {
        const s = Number(valueOf(rest, i++, a));
        if (!(s > 0) || !Number.isFinite(s)) throw new UsageError("--timeout must be a number of seconds > 0");
        o.timeoutS = s;
        break;
      }
      case "--backend": {
        const b = valueOf(rest, i++, a);
        if (b !== "webgpu" && b !== "cpu")
          throw new UsageError(`--backend must be webgpu or cpu, got ${JSON.stringify(b)}`);
        o.backend = b;
        break;
      }
      default:
        if (a.startsWith("--")) throw new UsageError(`unknown option ${a} for check`);
        if (o.script) throw new UsageError(`one script at a time (got ${o.script} and ${a})`);
        o.script = a;
    }
  }
  if (!o.script) throw new UsageError("which script? jitscope check <script.ts> --baseline base.json");
  if (!o.baseline)
    throw new UsageError("check needs --baseline <report.json> (write one with jitscope profile --json)");
  return o;
}
