// A small recorded run with hand-chosen numbers, shared by the profile tests. The expected values
// in the tests are computed by hand from these.

import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import type { KernelInfo } from "../../../runtime/src/profile/recorderApi.js";
import type { Compilation, Report } from "@jitscope/contract";

export const FILE = "/work/user/model.ts";
export const loc = (line: number, column = 5) => ({ file: FILE, line, column });

export const fusedKernel: KernelInfo = {
  id: "k1",
  name: "fused_exp_sum_1",
  compilation: "c1",
  mode: "jit",
  wgsl: "@compute @workgroup_size(64) fn main() {}",
  ops: ["exp", "reduce_sum"],
  opIds: ["n1", "n2"],
  locations: [loc(3), loc(4), loc(4, 12)],
  workgroupSize: [64, 1, 1],
  dispatch: [2, 1, 1],
  bytesRead: 800,
  bytesWritten: 400,
  flops: 100,
};

export const eagerKernel: KernelInfo = {
  ...fusedKernel,
  id: "k2",
  name: "eager_add",
  compilation: null,
  mode: "eager",
  ops: ["add"],
  opIds: [],
  locations: [loc(3)],
  bytesRead: 0,
  bytesWritten: 0,
  flops: 0,
};

export const compilation: Compilation = {
  id: "c1",
  functionName: "step",
  location: loc(2, 14),
  signature: "(float32[4]) -> float32[]",
  reason: "first call",
  passes: [
    {
      name: "fuse",
      ms: 0.5,
      changed: true,
      text: "{ lambda a:float32[4] . let b = exp a; c = reduce_sum b in ( c ) }",
      graph: {
        nodes: [
          {
            id: "n1",
            kind: "op",
            label: "exp",
            shape: [4],
            dtype: "float32",
            location: loc(4),
            nameStack: ["step"],
            kernel: "k1",
          },
          {
            id: "n2",
            kind: "op",
            label: "reduce_sum",
            shape: [],
            dtype: "float32",
            location: loc(3),
            nameStack: ["step"],
            kernel: "k1",
          },
        ],
        edges: [{ source: "n1", target: "n2", bytes: 16, shape: [4], dtype: "float32" }],
        groups: [{ id: "k1", name: "fused_exp_sum_1", nodes: ["n1", "n2"] }],
      },
    },
  ],
  fusion: {
    decisions: [{ kernel: "k1", ops: ["n1", "n2"], kind: "reduction", reason: "reduction with prologue" }],
    boundaries: [
      {
        from: "n1",
        to: "n2",
        fromKernel: "k1",
        toKernel: "k1",
        rule: "multi-consumer",
        reason: "exp is needed by two kernels",
      },
    ],
  },
  kernels: ["k1"],
  compileMs: { total: 3, perPass: { trace: 1, fuse: 0.5, wgsl: 1.5 } },
  peakBytes: 32,
};

/** Records: k1 three times (100, 300, 200 ns) in jit call 1, k2 twice (1000, 3000 ns) eagerly,
 *  three calls of `step` (5, 1, 2 ms). */
export function recordSampleRun(): { sink: MemorySink; report: Report } {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(fusedKernel);
  r.registerKernel(fusedKernel); // idempotent
  r.registerKernel(eagerKernel);
  r.registerCompilation(compilation);
  const call = r.nextCallId();
  r.span("call:step", "call", 10, 2, call);
  r.span("pass:fuse", "compile", 10.5, 0.5);
  r.recordDispatch("k1", 100, 11, call);
  r.recordDispatch("k1", 300, 12, call);
  r.recordDispatch("k1", 200, 13, call);
  r.recordDispatch("k2", 1000, 20);
  r.recordDispatch("k2", 3000, 21);
  r.functionCall("step", loc(2, 14), "c1", 5, 1);
  r.functionCall("step", loc(2, 14), "c1", 1, 1);
  r.functionCall("step", loc(2, 14), "c1", 2, 1);
  return {
    sink,
    report: sink.builder.build({
      script: FILE,
      status: "completed",
      wallMs: 50,
      createdAt: "2026-01-01T00:00:00.000Z",
    }),
  };
}
