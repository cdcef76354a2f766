// validateReport: the only way a report from disk, from a child process or embedded in a page
// becomes a `Report`, for the runtime, the extension and the panel alike. Hand-written on the
// small checks of check.ts rather than a schema library: no dependency in any bundle, the checks
// follow report.ts line by line, and the message names the path of the first bad field. A
// report that fails is refused whole.

import {
  REPORT_VERSION,
  type CallCost,
  type Comparison,
  type Compilation,
  type ComparedFunction,
  type ConsoleLine,
  type DeviceInfo,
  type DriverCompile,
  type FunctionReport,
  type FusionReport,
  type GraphEdge,
  type GraphGroup,
  type GraphNode,
  type HostSpan,
  type KernelAutotune,
  type KernelDispatch,
  type KernelLoop,
  type WhileLoopRun,
  type WgslSource,
  type KernelReport,
  type LineEntry,
  type LoopInfo,
  type ModeCost,
  type PassEffect,
  type PassGraph,
  type PassSnapshot,
  type Report,
  type ReportError,
  type SourceLocation,
  type SweepPoint,
  type SweepResult,
} from "./report.js";
import {
  arrayOf,
  bool,
  fail,
  nonNeg,
  nullable,
  num,
  numbers,
  object,
  oneOf,
  optional,
  posInt,
  recordOf,
  ReportSchemaError,
  str,
  strings,
  triple,
  type Check,
} from "./check.js";

import { devicePeaks, hint, kernelBound, liveBytes, memoryPlan, passAblation } from "./validateAdvice.js";

export { ReportSchemaError } from "./check.js";

const location = object<SourceLocation>({ file: str, line: posInt, column: nonNeg });
const nullableLocation = nullable(location);

const device = object<DeviceInfo>({
  backend: oneOf("webgpu", "cpu"),
  adapter: str,
  timestampQuery: bool,
  notes: strings,
  timestampTickNs: optional(nonNeg),
  timestampOverheadNs: optional(nonNeg),
  peaks: optional(devicePeaks),
});
const consoleLine = object<ConsoleLine>({ stream: oneOf("stdout", "stderr"), text: str, t: num });
const reportError = object<ReportError>({
  kind: oneOf("syntax", "runtime", "shape", "timeout", "crash", "cancelled", "trace"),
  message: str,
  location: nullableLocation,
  stack: optional(str),
});

const graphNode = object<GraphNode>({
  id: str,
  kind: oneOf("op", "input", "output", "const"),
  label: str,
  shape: numbers,
  dtype: str,
  location: nullableLocation,
  nameStack: strings,
  kernel: optional(str),
  changed: optional(bool),
  // A loop's body is a graph of the same kind (checked lazily: the types are recursive).
  loop: optional(
    object<LoopInfo>({
      kind: oneOf("scan", "while"),
      tripCount: nullable(nonNeg),
      body: (v, p) => passGraph(v, p),
      bodyKernels: strings,
      bodyFusion: optional((v, p) => fusion(v, p)),
      cond: optional((v, p) => passGraph(v, p)),
      condFusion: optional((v, p) => fusion(v, p)),
    }),
  ),
});
const graphEdge = object<GraphEdge>({ source: str, target: str, bytes: nonNeg, shape: numbers, dtype: str });
const graphGroup = object<GraphGroup>({ id: str, name: str, nodes: strings });
const passGraph: Check<PassGraph> = object<PassGraph>({
  nodes: arrayOf(graphNode),
  edges: arrayOf(graphEdge),
  groups: arrayOf(graphGroup),
});
const passEffect = object<PassEffect>({ counts: recordOf(nonNeg), rules: recordOf(nonNeg), notes: strings });
const passSnapshot = object<PassSnapshot>({
  name: str,
  ms: nonNeg,
  changed: bool,
  text: str,
  graph: passGraph,
  effect: optional(passEffect),
});
const fusion = object<FusionReport>({
  decisions: arrayOf(object({ kernel: str, ops: strings, kind: str, reason: str })),
  boundaries: arrayOf(
    object({
      from: str,
      to: str,
      fromKernel: str,
      toKernel: str,
      rule: str,
      reason: str,
      bytes: optional(nonNeg),
      costMs: optional(nonNeg),
    }),
  ),
});
const compilation = object<Compilation>({
  id: str,
  functionName: str,
  location: nullableLocation,
  signature: str,
  reason: str,
  passes: arrayOf(passSnapshot),
  fusion,
  kernels: strings,
  compileMs: object({ total: nonNeg, perPass: recordOf(nonNeg) }),
  driverCompileMs: optional(nonNeg),
  peakBytes: nonNeg,
  memory: optional(memoryPlan),
  scopeSites: optional(recordOf(location)),
  library: optional(bool),
});

const autotune = object<KernelAutotune>({
  candidates: arrayOf(object<KernelAutotune["candidates"][number]>({ config: str, medianNs: nonNeg })),
  winner: str,
  defaultConfig: str,
  speedupOverDefault: nonNeg,
  source: oneOf("search", "cache"),
  budgetMs: nonNeg,
  shapeClass: optional(str),
  unconfirmed: optional(str),
});

/** Checks one autotune record (an entry of the runtime's on-disk autotune cache is one). */
export function validateKernelAutotune(value: unknown, path = "autotune"): KernelAutotune {
  return autotune(value, path);
}

const kernel = object<KernelReport>({
  id: str,
  name: str,
  compilation: nullable(str),
  mode: oneOf("eager", "jit"),
  wgsl: str,
  ops: strings,
  opIds: strings,
  locations: arrayOf(location),
  wgslSources: optional(arrayOf(object<WgslSource>({ op: str, opId: str, location, lines: arrayOf(posInt) }))),
  workgroupSize: triple,
  dispatch: triple,
  bytesRead: nonNeg,
  bytesWritten: nonNeg,
  flops: nonNeg,
  dispatches: nonNeg,
  gpuTimesNs: numbers,
  medianNs: nonNeg,
  p10Ns: optional(nonNeg),
  p90Ns: optional(nonNeg),
  outliers: optional(numbers),
  batch: optional(object({ samples: nonNeg, size: nonNeg })),
  totalNs: nonNeg,
  gbPerS: nonNeg,
  gflopPerS: nonNeg,
  loop: optional(
    object<KernelLoop>({
      node: str,
      kind: oneOf("scan", "while"),
      runsPerCall: nullable(nonNeg),
      lastCall: optional(object<WhileLoopRun>({ iterations: nonNeg, chunks: nonNeg, encoded: nonNeg })),
    }),
  ),
  bound: optional(kernelBound),
  efficiency: optional(nonNeg),
  autotune: optional(autotune),
});

const fn = object<FunctionReport>({
  name: str,
  location: nullableLocation,
  calls: nonNeg,
  compilations: strings,
  kernelsPerCall: nonNeg,
  msPerCall: nonNeg,
  gpuMsPerCall: nonNeg,
  cost: optional(
    object<CallCost>({
      ms: nonNeg,
      p10: nonNeg,
      p90: nonNeg,
      hostMs: nonNeg,
      gpuMs: nonNeg,
      firstRun: optional(bool),
    }),
  ),
});

const lineEntry = object<LineEntry>({
  file: str,
  line: posInt,
  kernels: strings,
  gpuNs: nonNeg,
  share: nonNeg,
  unfused: arrayOf(object({ op: str, reason: str, bytes: optional(nonNeg), costMs: optional(nonNeg) })),
  eagerMs: optional(nonNeg),
  jitMs: optional(nonNeg),
});

const span = object<HostSpan>({
  name: str,
  cat: oneOf("trace", "compile", "pipeline", "encode", "submit", "readback", "call", "other"),
  start: num,
  dur: nonNeg,
  callId: optional(num),
});
const dispatch = object<KernelDispatch>({
  kernel: str,
  start: num,
  dur: nonNeg,
  callId: optional(num),
  estimated: optional(bool),
  compile: optional(bool),
});

const modeCost = object<ModeCost>({
  msPerCall: nonNeg,
  dispatchesPerCall: nonNeg,
  p10: optional(nonNeg),
  p90: optional(nonNeg),
  hostMs: optional(nonNeg),
  gpuMs: optional(nonNeg),
  runs: optional(numbers),
  firstRun: optional(bool),
});
const range: Check<[number, number]> = (v, p) =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0)
    ? (v as [number, number])
    : fail(p, "an array of 2 numbers ≥ 0");
const breakEven = nullable(nonNeg);
const compared = object<ComparedFunction>({
  name: str,
  location: nullableLocation,
  eager: modeCost,
  jit: modeCost,
  compileMs: nonNeg,
  breakEvenCalls: breakEven,
  speedup: nonNeg,
  speedupRange: optional(range),
  significant: optional(bool),
});
const sweepPoint = object<SweepPoint>({ calls: nonNeg, eagerMs: nonNeg, jitMs: nonNeg });
const sweep = object<SweepResult>({
  name: str,
  location: nullableLocation,
  points: arrayOf(sweepPoint),
  compileMs: nonNeg,
  breakEvenCalls: breakEven,
  modeled: optional(bool),
});
const comparison = object<Comparison>({ functions: arrayOf(compared), sweeps: arrayOf(sweep) });

const reportBody = object<Omit<Report, "version" | "tool">>({
  createdAt: str,
  script: str,
  status: oneOf("completed", "error", "timeout", "cancelled", "crashed"),
  device,
  wallMs: nonNeg,
  totalGpuNs: nonNeg,
  driverCompile: optional(object<DriverCompile>({ pipelines: nonNeg, totalNs: nonNeg })),
  console: arrayOf(consoleLine),
  errors: arrayOf(reportError),
  compilations: arrayOf(compilation),
  kernels: arrayOf(kernel),
  functions: arrayOf(fn),
  lines: recordOf(lineEntry),
  timeline: object({ spans: arrayOf(span), dispatches: arrayOf(dispatch), liveBytes: optional(liveBytes) }),
  comparison: nullable(comparison),
  hints: optional(arrayOf(hint)),
  ablations: optional(arrayOf(passAblation)),
});

/**
 * Checks that `json` (a parsed value, or the file's text) is a JIT Scope report this version
 * reads, and returns it typed. Throws a ReportSchemaError naming the first problem.
 */
export function validateReport(json: unknown): Report {
  const value = typeof json === "string" ? parseReportText(json) : json;
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    (value as { tool?: unknown }).tool !== "jitscope"
  ) {
    throw new ReportSchemaError('not a JIT Scope report (no "tool": "jitscope" at the top level)');
  }
  const version = (value as { version?: unknown }).version;
  if (version !== REPORT_VERSION) {
    throw new ReportSchemaError(
      `report version ${JSON.stringify(version)} unsupported (this JIT Scope reads version ${REPORT_VERSION})`,
    );
  }
  reportBody(value, "");
  checkReferences(value as Report);
  return value as Report;
}

function parseReportText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const trimmed = text.trimEnd();
    const truncated = trimmed.length === 0 || !(trimmed.endsWith("}") || trimmed.endsWith("]"));
    const detail = e instanceof Error ? e.message : String(e);
    throw new ReportSchemaError(
      `${truncated ? "report is truncated (incomplete JSON)" : "report is not valid JSON"}: ${detail}`,
    );
  }
}

/** Ids that point elsewhere must resolve, or the views would show dangling links. */
function checkReferences(r: Report): void {
  const kernelIds = new Set(r.kernels.map((k) => k.id));
  r.compilations.forEach((c, i) =>
    c.kernels.forEach(
      (k, j) =>
        kernelIds.has(k) ||
        fail(`compilations[${i}].kernels[${j}]`, `a kernel id present in kernels (got ${JSON.stringify(k)})`),
    ),
  );
  r.kernels.forEach((k, i) => {
    const lines = k.wgsl.split("\n").length;
    (k.wgslSources ?? []).forEach((w, j) =>
      w.lines.forEach(
        (l, n) =>
          l <= lines ||
          fail(`kernels[${i}].wgslSources[${j}].lines[${n}]`, `a line of the kernel's ${lines}-line WGSL (got ${l})`),
      ),
    );
  });
  r.timeline.dispatches.forEach(
    (d, i) =>
      kernelIds.has(d.kernel) ||
      fail(`timeline.dispatches[${i}].kernel`, `a kernel id present in kernels (got ${JSON.stringify(d.kernel)})`),
  );
  (r.hints ?? []).forEach((h, i) =>
    (h.kernels ?? []).forEach(
      (k, j) =>
        kernelIds.has(k) ||
        fail(`hints[${i}].kernels[${j}]`, `a kernel id present in kernels (got ${JSON.stringify(k)})`),
    ),
  );
  for (const [key, e] of Object.entries(r.lines)) {
    e.kernels.forEach(
      (k, j) =>
        kernelIds.has(k) ||
        fail(
          `lines[${JSON.stringify(key)}].kernels[${j}]`,
          `a kernel id present in kernels (got ${JSON.stringify(k)})`,
        ),
    );
  }
}

/** A typed check for callers that validate one piece (e.g. a kernel in a message). */
export const checkKernel: Check<KernelReport> = kernel;

/** Null when `value` is a report this version reads, else what is wrong with it (the panel shows
 *  this instead of drawing a broken report). */
export function reportProblem(value: unknown): string | null {
  try {
    validateReport(value);
    return null;
  } catch (e) {
    if (e instanceof ReportSchemaError) return e.message;
    throw e;
  }
}
