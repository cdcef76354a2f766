// The one place the extension validates a report (from the child or from disk: untrusted input).
// Until the runtime's `validateReport` (runtime/src/profile/reportSchema.ts) lands, this checks
// the fields the extension reads; then it delegates to it.

import { REPORT_VERSION, type Report } from "../../../runtime/src/profile/report.js";

export class ReportValidationError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function check(cond: boolean, what: string): asserts cond {
  if (!cond) throw new ReportValidationError(`not a JIT Scope report: ${what}`);
}

function checkLocation(v: unknown, where: string): void {
  if (v === null) return;
  check(isObj(v) && typeof v.file === "string" && isNum(v.line) && isNum(v.column), `${where}: bad location`);
}

export function validateReportJson(json: unknown): Report {
  check(isObj(json), "top level is not an object");
  check(json.tool === "jitscope", 'missing tool: "jitscope"');
  check(json.version === REPORT_VERSION, `version ${String(json.version)} (expected ${REPORT_VERSION})`);
  check(typeof json.script === "string", "script");
  check(typeof json.status === "string", "status");
  check(isObj(json.device) && typeof json.device.adapter === "string" && Array.isArray(json.device.notes), "device");
  check(isNum(json.totalGpuNs) && isNum(json.wallMs), "totals");
  for (const key of ["console", "errors", "compilations", "kernels", "functions"] as const) check(Array.isArray(json[key]), key);
  check(isObj(json.lines), "lines");
  check(isObj(json.timeline) && Array.isArray(json.timeline.spans) && Array.isArray(json.timeline.dispatches), "timeline");
  for (const [i, e] of (json.errors as unknown[]).entries()) {
    check(isObj(e) && typeof e.message === "string" && typeof e.kind === "string", `errors[${i}]`);
    checkLocation(e.location ?? null, `errors[${i}]`);
  }
  for (const [i, k] of (json.kernels as unknown[]).entries()) {
    check(isObj(k) && typeof k.id === "string" && typeof k.name === "string" && typeof k.wgsl === "string", `kernels[${i}]`);
    check(Array.isArray(k.locations) && Array.isArray(k.gpuTimesNs) && Array.isArray(k.ops), `kernels[${i}] arrays`);
    check(isNum(k.medianNs) && isNum(k.totalNs) && isNum(k.gbPerS) && isNum(k.gflopPerS), `kernels[${i}] numbers`);
    for (const l of k.locations as unknown[]) checkLocation(l, `kernels[${i}]`);
  }
  for (const [i, c] of (json.compilations as unknown[]).entries()) {
    check(isObj(c) && typeof c.id === "string" && typeof c.functionName === "string" && Array.isArray(c.passes), `compilations[${i}]`);
    for (const p of c.passes as unknown[]) check(isObj(p) && typeof p.name === "string" && typeof p.text === "string", `compilations[${i}] pass`);
    checkLocation(c.location ?? null, `compilations[${i}]`);
  }
  for (const [i, f] of (json.functions as unknown[]).entries()) {
    check(isObj(f) && typeof f.name === "string" && isNum(f.kernelsPerCall) && isNum(f.msPerCall) && Array.isArray(f.compilations), `functions[${i}]`);
    checkLocation(f.location ?? null, `functions[${i}]`);
  }
  for (const [key, e] of Object.entries(json.lines)) {
    check(isObj(e) && typeof e.file === "string" && isNum(e.line) && Array.isArray(e.kernels) && Array.isArray(e.unfused), `lines[${key}]`);
    check(isNum(e.gpuNs) && isNum(e.share), `lines[${key}] numbers`);
  }
  if (json.comparison !== null) {
    check(isObj(json.comparison) && Array.isArray(json.comparison.functions) && Array.isArray(json.comparison.sweeps), "comparison");
  }
  return json as unknown as Report;
}
