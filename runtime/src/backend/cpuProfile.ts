// Profiling eager ops on the CPU backend: each op is a "kernel" timed on the host, keyed by
// primitive, shapes and the user's call site, so the report's line index and hovers work on a
// machine without a GPU too (the report's device info says the times are host times).

import type { Eqn, SourceLocation } from "../ir/types.js";
import { avalToString, bytesPerElement, sizeOf } from "../ir/types.js";
import { formatLocation } from "@jitscope/contract";
import type { KernelInfo, Recorder } from "../profile/recorderApi.js";
import { profiledEagerSite } from "./eagerSite.js";
import { linalgFlops } from "../ops/linalgShapes.js";

/** Wraps `run` with timing and reports it as one dispatch of the op's eager kernel. */
export function recordEagerOp<R>(recorder: Recorder, eqn: Eqn, run: () => R): R {
  const start = recorder.now();
  const result = run();
  const durMs = recorder.now() - start;
  const id = kernelFor(recorder, eqn);
  recorder.recordDispatch(id, Math.round(durMs * 1e6), start);
  return result;
}

const known = new Map<string, string>();

function kernelFor(recorder: Recorder, eqn: Eqn): string {
  const location: SourceLocation | null = profiledEagerSite(eqn);
  const key = `${eqn.prim}|${eqn.inputs.map((a) => avalToString(a.aval)).join(",")}|${JSON.stringify(eqn.params)}|${formatLocation(location)}`;
  let id = known.get(key);
  if (id) return id;
  id = `cpu_eager_${known.size}`;
  known.set(key, id);
  const info: KernelInfo = {
    id,
    name: `eager_${eqn.prim}`,
    compilation: null,
    mode: "eager",
    wgsl: "// CPU reference backend: this op ran as TypeScript on the host (no WGSL)",
    ops: [eqn.prim],
    opIds: [],
    locations: location ? [location] : [],
    workgroupSize: [1, 1, 1],
    dispatch: [1, 1, 1],
    bytesRead: eqn.inputs.reduce(
      (n, a) => n + (a.kind === "var" ? sizeOf(a.aval.shape) * bytesPerElement(a.aval.dtype) : 0),
      0,
    ),
    bytesWritten: eqn.outputs.reduce((n, v) => n + sizeOf(v.aval.shape) * bytesPerElement(v.aval.dtype), 0),
    flops: flopsOf(eqn),
  };
  recorder.registerKernel(info);
  return id;
}

/** Floating-point work, counted as the GPU backend counts it: one per output element for
 *  elementwise ops, one per input element for reductions, 2·m·n·k for matmul, 0 for layout. */
function flopsOf(eqn: Eqn): number {
  const out = eqn.outputs[0]!.aval;
  switch (eqn.prim) {
    case "matmul": {
      const a = eqn.inputs[0]!.aval.shape;
      return 2 * sizeOf(out.shape) * a[a.length - 1]!;
    }
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min":
    case "argmax":
    case "argmin":
      return sizeOf(eqn.inputs[0]!.aval.shape);
    case "conv":
      return 2 * sizeOf(out.shape) * sizeOf(eqn.inputs[1]!.aval.shape.slice(1));
    case "cholesky":
    case "triangular_solve":
    case "lu":
      return linalgFlops(
        eqn.prim,
        eqn.inputs.map((x) => x.aval),
      );
    case "cumulative":
      return (sizeOf(out.shape) * (out.shape[(eqn.params as { axis: number }).axis]! + 1)) / 2;
    case "reshape":
    case "transpose":
    case "broadcast":
    case "slice":
    case "pad":
    case "concatenate":
    case "gather":
    case "scatter":
    case "scatter_sorted":
    case "sort":
    case "rev":
    case "cast":
    case "iota":
      return 0;
    default:
      return sizeOf(out.shape);
  }
}
