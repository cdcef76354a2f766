// A compiled program on WebGPU: everything that does not depend on the call's inputs is worked
// out here, once (pipelines, where each binding's buffer comes from, bind groups of kernels
// touching only intermediates). A call then only allocates its outputs, builds the bind groups
// that touch inputs or outputs and encodes the passes into the shared command batch.
// Intermediates live in buffers per the memory plan's slots, kept across calls (the queue
// orders calls, so reuse between them is safe); outputs are fresh buffers, never inputs.

import type { ExecutablePlan, KernelSpec } from "../codegen/contract.js";
import { JitScopeError } from "../ir/errors.js";
import { avalToString, sizeOf, type Aval } from "../ir/types.js";
import type { CompiledProgram, DeviceArray } from "./backend.js";
import type { GpuArray } from "./webgpuArray.js";
import { bufferBytes, type GpuState } from "./gpuState.js";

type Source =
  | { readonly k: "input"; readonly i: number }
  | { readonly k: "output"; readonly i: number }
  | { readonly k: "slot"; readonly i: number };

type OutputFill =
  | { readonly k: "kernel" }
  | { readonly k: "copyInput"; readonly i: number }
  | { readonly k: "copyOutput"; readonly i: number }
  | { readonly k: "literal"; readonly data: ArrayBuffer };

interface PreparedKernel {
  readonly spec: KernelSpec;
  readonly reportId: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly sources: readonly Source[];
  readonly empty: boolean;
  staticGroup: GPUBindGroup | null;
}


export function createWebGpuExecutable(state: GpuState, plan: ExecutablePlan): CompiledProgram {
  const { device, batch, recorder: rec } = state;
  const program = plan.program;
  const inputIndex = new Map(program.inputs.map((v, i) => [v.id, i] as const));
  const produced = new Set(plan.kernels.flatMap((k) => k.outputs.map((v) => v.id)));

  // Where each program output comes from.
  const outputOf = new Map<number, number>();
  const fills: OutputFill[] = plan.outputs.map((a, i): OutputFill => {
    if (a.kind === "lit") {
      const data = a.aval.dtype === "float32" ? new Float32Array([a.value]) : new Int32Array([a.aval.dtype === "bool" ? (a.value ? 1 : 0) : a.value]);
      return { k: "literal", data: data.buffer as ArrayBuffer };
    }
    if (produced.has(a.id)) {
      const first = outputOf.get(a.id);
      if (first !== undefined) return { k: "copyOutput", i: first };
      outputOf.set(a.id, i);
      return { k: "kernel" };
    }
    const inp = inputIndex.get(a.id);
    if (inp === undefined) throw new JitScopeError("backend", `compiled program ${program.name}: output %${a.id} is computed by no kernel`);
    return { k: "copyInput", i: inp };
  });

  // Intermediates: the memory plan's slots, plus a private slot for any value it did not place.
  const slotSizes = [...plan.memory.slots];
  const slotOf = new Map(plan.memory.slotOf);
  const sourceOf = (id: number, aval: Aval): Source => {
    const inp = inputIndex.get(id);
    if (inp !== undefined) return { k: "input", i: inp };
    const out = outputOf.get(id);
    if (out !== undefined) return { k: "output", i: out };
    let slot = slotOf.get(id);
    if (slot === undefined) {
      slot = slotSizes.push(bufferBytes(aval)) - 1;
      slotOf.set(id, slot);
    }
    if (slotSizes[slot]! < bufferBytes(aval)) slotSizes[slot] = bufferBytes(aval);
    return { k: "slot", i: slot };
  };

  const kernels: PreparedKernel[] = plan.kernels.map((spec) => {
    const { pipeline, layout } = state.pipelineFor(spec);
    const sources = [...spec.inputs, ...spec.outputs].map((v) => sourceOf(v.id, v.aval));
    // The id the jit call path registered this kernel under (trace/jit.ts: compilation/kernel).
    const reportId = spec.id.includes("/") ? spec.id : `${plan.compilationId}/${spec.id}`;
    const empty = spec.outputs.every((o) => sizeOf(o.aval.shape) === 0);
    return { spec, reportId, pipeline, layout, sources, empty, staticGroup: null };
  });

  let slotBuffers: GPUBuffer[] | null = null;
  const outAvals = plan.outputs.map((a) => a.aval);
  const nInputs = program.inputs.length;

  const bindGroup = (k: PreparedKernel, inputs: readonly DeviceArray[], outs: readonly GpuArray[]): GPUBindGroup => {
    if (k.staticGroup) return k.staticGroup;
    let isStatic = true;
    const buffers = k.sources.map((s): GPUBuffer => {
      if (s.k === "slot") return slotBuffers![s.i]!;
      isStatic = false;
      return s.k === "input" ? state.bufferOf(inputs[s.i]!, program.name) : outs[s.i]!.buffer!;
    });
    const group = state.bindGroups.get(k.layout, buffers);
    if (isStatic) k.staticGroup = group;
    return group;
  };

  return {
    dispatchesPerCall: kernels.filter((k) => !k.empty).length,
    run(inputs: readonly DeviceArray[], givenCallId?: number): DeviceArray[] {
      state.check();
      if (inputs.length !== nInputs) {
        throw new JitScopeError("backend", `compiled program ${program.name}: expected ${nInputs} inputs, got ${inputs.length}`);
      }
      program.inputs.forEach((v, i) => {
        const a = inputs[i]!;
        if (a.aval.dtype !== v.aval.dtype || a.aval.shape.length !== v.aval.shape.length || a.aval.shape.some((d, j) => d !== v.aval.shape[j])) {
          throw new JitScopeError("backend", `compiled program ${program.name}: input ${i} is ${avalToString(a.aval)}, compiled for ${avalToString(v.aval)}`);
        }
      });
      slotBuffers ??= slotSizes.map((s) => state.pool.acquire(s));
      const t0 = rec.enabled ? rec.now() : 0;
      const callId = rec.enabled ? (givenCallId ?? rec.nextCallId()) : undefined;
      // Outputs filled by queue.writeBuffer must not be a buffer the open batch still reads.
      const outs = outAvals.map((aval, i) => (fills[i]?.k === "literal" ? state.allocate(aval) : state.allocateForKernel(aval)));
      for (const k of kernels) {
        if (k.empty) continue;
        const timing = rec.enabled ? { kernelId: k.reportId, startMs: rec.now(), ...(callId !== undefined ? { callId } : {}) } : null;
        batch.dispatch(k.pipeline, bindGroup(k, inputs, outs), k.spec.dispatch, timing);
      }
      fills.forEach((f, i) => {
        const dst = outs[i]!.buffer!;
        const bytes = sizeOf(outAvals[i]!.shape) * 4;
        if (f.k === "literal") device.queue.writeBuffer(dst, 0, f.data);
        else if (f.k === "copyInput" && bytes > 0) batch.current().copyBufferToBuffer(state.bufferOf(inputs[f.i]!, program.name), 0, dst, 0, bytes);
        else if (f.k === "copyOutput" && bytes > 0) batch.current().copyBufferToBuffer(outs[f.i]!.buffer!, 0, dst, 0, bytes);
      });
      // No submit here: the passes join the shared batch, submitted at the end of this stretch
      // of JS (or when it fills), so many calls share one submit. Outputs are buffers no live
      // array holds; one freed in this batch is reused only for outputs written by commands
      // encoded after its last read (bufferPool.ts).
      if (rec.enabled) rec.span("encode", "encode", t0, rec.now() - t0, callId);
      return outs;
    },
  };
}
