// Performance budgets for CI (`jitscope check`): limits per jitted function on dispatches per call,
// compilations, peak bytes and time per call relative to a baseline run. A time budget fails only
// on a significant slowdown (diffStats: outside both runs' intervals) larger than the allowed
// regression, so noise never fails a build. Pure: the CLI reads the files and runs the script.

import type { FunctionDiffEntry, MeasuredDelta, ReportDiff } from "@jitscope/contract";
import type { Report } from "@jitscope/contract";

/** A budget file or limit that cannot be used; the message names the field. */
export class BudgetError extends Error {
  override name = "BudgetError";
}

export interface FunctionBudget {
  /** Absolute limits; without them the baseline's own value is the limit. */
  maxKernelsPerCall?: number;
  maxCompilations?: number;
  maxPeakBytes?: number;
  /** Allowed slowdown of a call vs the baseline, a fraction (0.1 = 10%). */
  maxRegression?: number;
}

export interface BudgetFile {
  /** Applies to every function without its own entry ("*" in the file does the same). */
  default: FunctionBudget;
  functions: Record<string, FunctionBudget>;
}

export interface BudgetCheck {
  function: string;
  metric:
    "status" | "dispatches per call" | "compilations" | "peak bytes" | "ms per call" | "GPU ms per call" | "function";
  ok: boolean;
  baseline: string;
  actual: string;
  limit: string;
  note: string;
}

export interface CheckResult {
  ok: boolean;
  maxRegression: number;
  checks: BudgetCheck[];
}

/** "10%", "0.1" or 10 (a percentage when > 1) → 0.1. */
export function parseRegression(v: unknown, what: string): number {
  const text = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  if (!m) throw new BudgetError(`${what}: expected a percentage such as "10%", got ${JSON.stringify(v)}`);
  const n = Number(m[1]);
  return m[2] === "%" || n > 1 ? n / 100 : n;
}

const LIMIT_KEYS = ["maxKernelsPerCall", "maxCompilations", "maxPeakBytes", "maxRegression"] as const;

/** Validates a budget file's JSON (untrusted input), naming the bad field. */
export function parseBudgetFile(json: unknown, source = "budget file"): BudgetFile {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new BudgetError(`${source}: expected a JSON object like {"functions": {"step": {"maxKernelsPerCall": 3}}}`);
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== "default" && k !== "functions" && k !== "maxRegression")
      throw new BudgetError(`${source}: unknown field "${k}" (expected default, functions, maxRegression)`);
  const one = (v: unknown, where: string): FunctionBudget => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw new BudgetError(`${source}: ${where} must be an object`);
    const b: FunctionBudget = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (!(LIMIT_KEYS as readonly string[]).includes(k))
        throw new BudgetError(`${source}: ${where}.${k} is not a budget (expected ${LIMIT_KEYS.join(", ")})`);
      if (k === "maxRegression") b.maxRegression = parseRegression(x, `${source}: ${where}.maxRegression`);
      else if (typeof x !== "number" || !Number.isFinite(x) || x < 0)
        throw new BudgetError(`${source}: ${where}.${k} must be a number ≥ 0, got ${JSON.stringify(x)}`);
      else b[k as "maxKernelsPerCall" | "maxCompilations" | "maxPeakBytes"] = x;
    }
    return b;
  };
  const functions: Record<string, FunctionBudget> = {};
  let def: FunctionBudget = o.default === undefined ? {} : one(o.default, "default");
  if (o.maxRegression !== undefined)
    def = { ...def, maxRegression: parseRegression(o.maxRegression, `${source}: maxRegression`) };
  if (o.functions !== undefined) {
    if (typeof o.functions !== "object" || o.functions === null || Array.isArray(o.functions))
      throw new BudgetError(`${source}: functions must be an object keyed by function name`);
    for (const [name, b] of Object.entries(o.functions as Record<string, unknown>)) {
      if (name === "*") def = { ...def, ...one(b, "functions.*") };
      else functions[name] = one(b, `functions.${name}`);
    }
  }
  return { default: def, functions };
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

function timeCheck(
  name: string,
  metric: "ms per call" | "GPU ms per call",
  d: MeasuredDelta,
  maxRegression: number,
): BudgetCheck {
  const fmt = (e: MeasuredDelta["old"]) =>
    e ? `${e.median.toFixed(3)} ms [${e.low.toFixed(3)}–${e.high.toFixed(3)}]` : "—";
  const rel = d.relative ?? 0;
  const slower = d.verdict === "slower" && rel > maxRegression;
  const note =
    d.verdict === "slower"
      ? `${pct(rel)} slower, outside both runs' intervals`
      : d.verdict === "faster"
        ? `${pct(-rel)} faster`
        : d.verdict === "too few samples"
          ? "too few samples to judge (needs 3 calls per run)"
          : `${rel >= 0 ? "+" : ""}${pct(rel)}, within noise`;
  return {
    function: name,
    metric,
    ok: !slower,
    baseline: fmt(d.old),
    actual: fmt(d.new),
    limit: `+${pct(maxRegression)} (significant)`,
    note,
  };
}

function countCheck(
  name: string,
  metric: "dispatches per call" | "compilations" | "peak bytes",
  baseline: number,
  actual: number,
  limit: number | undefined,
  slack = 0,
): BudgetCheck {
  const max = limit ?? Math.floor(baseline * (1 + slack));
  return {
    function: name,
    metric,
    ok: actual <= max,
    baseline: String(baseline),
    actual: String(actual),
    limit: Number.isFinite(max) ? `≤ ${max}` : "none",
    note: limit === undefined ? "baseline" : Number.isFinite(limit) ? "budget" : "new function",
  };
}

/** Every check of `jitscope check`, from the diff of the baseline against the new run. */
export function evaluateBudgets(
  diff: ReportDiff,
  current: Report,
  budgets: BudgetFile,
  maxRegression: number,
): CheckResult {
  const checks: BudgetCheck[] = [];
  if (current.status !== "completed")
    checks.push({
      function: "(run)",
      metric: "status",
      ok: false,
      baseline: "completed",
      actual: current.status,
      limit: "completed",
      note: current.errors[0]?.message ?? "the run did not complete",
    });
  for (const f of diff.functions) {
    const b = { ...budgets.default, ...budgets.functions[f.name] };
    const maxReg = b.maxRegression ?? maxRegression;
    if (f.status === "removed") {
      checks.push({
        function: f.name,
        metric: "function",
        ok: true,
        baseline: "called",
        actual: "not called",
        limit: "—",
        note: "no longer called; nothing to check",
      });
      continue;
    }
    checks.push(
      countCheck(
        f.name,
        "dispatches per call",
        f.kernelsPerCall.old,
        f.kernelsPerCall.new,
        b.maxKernelsPerCall ?? (f.status === "added" ? Infinity : undefined),
      ),
    );
    checks.push(
      countCheck(
        f.name,
        "compilations",
        f.compilations.old,
        f.compilations.new,
        b.maxCompilations ?? (f.status === "added" ? Infinity : undefined),
      ),
    );
    checks.push(
      countCheck(
        f.name,
        "peak bytes",
        f.peakBytes.old,
        f.peakBytes.new,
        b.maxPeakBytes ?? (f.status === "added" ? Infinity : undefined),
        maxReg,
      ),
    );
    if (f.status === "matched") {
      checks.push(timeCheck(f.name, "ms per call", f.cost, maxReg));
      checks.push(timeCheck(f.name, "GPU ms per call", f.gpuMsPerCall, maxReg));
    }
  }
  for (const name of Object.keys(budgets.functions)) {
    if (!diff.functions.some((f: FunctionDiffEntry) => f.name === name))
      checks.push({
        function: name,
        metric: "function",
        ok: false,
        baseline: "—",
        actual: "not called",
        limit: "budgeted",
        note: `the budget file names ${name}, which this run never called (renamed?)`,
      });
  }
  return { ok: checks.every((c) => c.ok), maxRegression, checks };
}
