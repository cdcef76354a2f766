// What a compilation tells the report: its fusion decisions under report-wide kernel ids, its
// signature as the report shows it, and, when profiling, its kernels and its record registered
// with the recorder (kernels awaiting an autotune search are marked so the search's record
// reaches them when it lands).

import type { Compilation, FusionReport, PassSnapshot, SourceLocation } from "@jitscope/contract";
import { formatAval, kernelId } from "@jitscope/contract";
import type { Aval } from "../ir/types.js";
import { allKernels, type PlannedKernel } from "../passes/loopKernels.js";
import { fusionReportOf } from "../passes/fusionReport.js";
import { memoryLifetimes } from "../passes/memoryLifetimes.js";
import type { CompileState } from "../passes/pass.js";
import { recorder } from "../profile/recorder.js";
import { awaitTune } from "./jitTuning.js";

export interface CompilationFacts {
  id: string;
  fname: string;
  location: SourceLocation | null;
  reason: string;
  inputs: readonly Aval[];
  state: CompileState;
  snapshots: PassSnapshot[];
  /** The inputs' names as the user wrote them ("params.w1"), for the memory plan. */
  argPaths: string[];
  compileMs: Compilation["compileMs"];
  /** Where each scope instance was called from (jitTrace.ts). */
  scopeSites: Record<string, SourceLocation>;
  /** Compiled by the library for an eager call (jit.ts libraryJit). */
  library: boolean;
}

export interface CompilationRecord {
  /** The program's kernels, then those of its loop bodies (compiled once, run per iteration). */
  planned: PlannedKernel[];
  fusion: FusionReport;
  /** "(float32[128,784], float32[784,256]) -> float32[128,256]": dtypes spelled out, as the
   *  report and the panel show them. */
  signature: string;
  peakBytes: number;
}

export function recordCompilation(c: CompilationFacts): CompilationRecord {
  const { id, state } = c;
  const planned = allKernels({ kernels: state.kernels ?? [], ...(state.loops ? { loops: state.loops } : {}) });
  const kernels = planned.map((k) => k.kernel);
  const schedule = state.schedule!;
  // Report-wide kernel ids: "<compilation>/<group id>", as the backend registers them.
  const kid = (groupId: string): string => kernelId(id, groupId);
  const fusion = fusionReportOf(schedule, kid);
  const typeText = (a: Aval): string => formatAval(a.dtype, a.shape);
  const outAvals = state.program.outputs.map((a) => typeText(a.aval));
  const signature = `(${c.inputs.map(typeText).join(", ")}) -> ${outAvals.length === 1 ? outAvals[0] : `(${outAvals.join(", ")})`}`;
  const peakBytes = state.memory?.peakBytes ?? 0;
  if (recorder.enabled) {
    for (const { kernel: k, loop, runsPerCall } of planned) {
      recorder.registerKernel({
        ...(loop ? { loop: { node: loop.node, kind: loop.eqn.prim === "scan" ? "scan" : "while", runsPerCall } } : {}),
        id: kid(k.id),
        name: k.name,
        compilation: id,
        mode: "jit",
        wgsl: k.wgsl,
        ops: [...k.ops],
        // A body's ops are numbered in the body, not drawn in the graph: the loop's node holds them.
        opIds: loop ? [loop.node] : [...k.opIds],
        locations: [...k.locations],
        ...(k.wgslSources?.length ? { wgslSources: [...k.wgslSources] } : {}),
        workgroupSize: k.workgroupSize,
        dispatch: k.dispatch,
        bytesRead: k.bytesRead,
        bytesWritten: k.bytesWritten,
        flops: k.flops,
        ...(k.autotune ? { autotune: k.autotune } : {}),
      });
      if (k.tuneKey !== undefined && !k.autotune) awaitTune(k.tuneKey, kid(k.id));
    }
    recorder.registerCompilation({
      id,
      functionName: c.fname,
      location: c.location,
      signature,
      reason: c.reason,
      passes: c.snapshots,
      fusion,
      kernels: kernels.map((k) => kid(k.id)),
      compileMs: c.compileMs,
      ...(Object.keys(c.scopeSites).length ? { scopeSites: c.scopeSites } : {}),
      ...(c.library ? { library: true } : {}),
      peakBytes,
      memory: memoryLifetimes({
        program: state.program,
        groups: schedule.groups,
        constInputs: state.constInputs,
        inputLabels: c.argPaths,
        kernelName: (g) => kernels.find((k) => k.id === g)?.name,
      }),
    });
  }
  return { planned, fusion, signature, peakBytes };
}
