// A compiled program on WebGPU: everything that does not depend on the call's inputs is worked
// out here, once (pipelines, where each binding's buffer comes from, bind groups of kernels
// touching only intermediates). A call then only allocates its outputs, builds the bind groups
// that touch inputs or outputs and encodes the passes into the shared command batch.
// Intermediates live in buffers per the memory plan's slots, kept across calls (the queue
// orders calls, so reuse between them is safe); outputs are fresh buffers, never inputs.

import type { ExecutablePlan, KernelSpec } from "../codegen/kernelPlan.js";
import { JitScopeError } from "../ir/errors.js";
import { avalToString, sizeOf, type Aval, type Lit } from "../ir/types.js";
import type { CompiledProgram, DeviceArray } from "./backend.js";
import { bufferBytes, type GpuState } from "./gpuState.js";
import { prepareLoop, type LoopKind, type PreparedProgram } from "./webgpuLoop.js";
import { prepareWhile } from "./webgpuWhile.js";

export type { PreparedProgram };

type Source =
  | { readonly k: "input"; readonly i: number }
  | { readonly k: "output"; readonly i: number }
  | { readonly k: "slot"; readonly i: number };

type OutputFill =
  | { readonly k: "kernel" }
  | { readonly k: "copyInput"; readonly i: number }
  | { readonly k: "copyOutput"; readonly i: number }
  | { readonly k: "literal"; readonly buffer: GPUBuffer };

interface PreparedKernel {
  readonly spec: KernelSpec;
  readonly reportId: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly sources: readonly Source[];
  readonly empty: boolean;
  staticGroup: GPUBindGroup | null;
}

const STORAGE = 0x80,
  COPY_SRC = 0x04,
  COPY_DST = 0x08;

/** A buffer holding one literal scalar, for outputs that are literals (copied, never written by
 *  queue.writeBuffer: that would land ahead of the batch, wrong inside a loop). */
function literalBuffer(device: GPUDevice, a: Lit): GPUBuffer {
  const buf = device.createBuffer({ size: 4, usage: STORAGE | COPY_SRC | COPY_DST, mappedAtCreation: true });
  const range = buf.getMappedRange();
  if (a.aval.dtype === "float32") new Float32Array(range)[0] = a.value;
  else new Int32Array(range)[0] = a.aval.dtype === "bool" ? (a.value ? 1 : 0) : a.value;
  buf.unmap();
  return buf;
}

/** `inLoop`: the kind of loop whose body this plan is (a while_loop may not nest in one). */
export function prepareProgram(state: GpuState, plan: ExecutablePlan, inLoop?: LoopKind): PreparedProgram {
  const { device, batch, recorder: rec } = state;
  const program = plan.program;
  const inputIndex = new Map(program.inputs.map((v, i) => [v.id, i] as const));
  const loops = plan.loops ?? [];
  const produced = new Set([
    ...plan.kernels.flatMap((k) => k.outputs.map((v) => v.id)),
    ...loops.flatMap((l) => l.eqn.outputs.map((v) => v.id)),
  ]);

  // Where each program output comes from.
  const outputOf = new Map<number, number>();
  const fills: OutputFill[] = plan.outputs.map((a, i): OutputFill => {
    if (a.kind === "lit") return { k: "literal", buffer: literalBuffer(device, a) };
    if (produced.has(a.id)) {
      const first = outputOf.get(a.id);
      if (first !== undefined) return { k: "copyOutput", i: first };
      outputOf.set(a.id, i);
      return { k: "kernel" };
    }
    const inp = inputIndex.get(a.id);
    if (inp === undefined)
      throw new JitScopeError("backend", `compiled program ${program.name}: output %${a.id} is computed by no kernel`);
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

  const preparedLoops = loops.map((l) => ({
    at: l.at,
    run:
      l.eqn.prim === "while" ? prepareWhile(state, l, prepareProgram, inLoop) : prepareLoop(state, l, prepareProgram),
    ins: l.eqn.inputs.map((a): Source | { readonly k: "lit"; readonly buffer: GPUBuffer } =>
      a.kind === "lit" ? { k: "lit", buffer: literalBuffer(device, a) } : sourceOf(a.id, a.aval),
    ),
    outs: l.eqn.outputs.map((v) => sourceOf(v.id, v.aval)),
  }));

  let slotBuffers: GPUBuffer[] | null = null;
  const outAvals = plan.outputs.map((a) => a.aval);

  const bufferFor = (
    s: Source | { readonly k: "lit"; readonly buffer: GPUBuffer },
    inBufs: readonly GPUBuffer[],
    outBufs: readonly GPUBuffer[],
  ): GPUBuffer =>
    s.k === "slot" ? slotBuffers![s.i]! : s.k === "input" ? inBufs[s.i]! : s.k === "output" ? outBufs[s.i]! : s.buffer;

  const bindGroup = (k: PreparedKernel, inBufs: readonly GPUBuffer[], outBufs: readonly GPUBuffer[]): GPUBindGroup => {
    if (k.staticGroup) return k.staticGroup;
    const group = state.bindGroups.get(
      k.layout,
      k.sources.map((s) => bufferFor(s, inBufs, outBufs)),
    );
    if (k.sources.every((s) => s.k === "slot")) k.staticGroup = group;
    return group;
  };

  const live = kernels.filter((k) => !k.empty);
  return {
    dispatchesPerCall: live.length + preparedLoops.reduce((n, l) => n + l.run.dispatchesPerRun, 0),
    grids: live.map((k) => k.spec.dispatch),
    kernelIds: live.map((k) => k.reportId),
    encode(inBufs, outBufs, callId, indirect) {
      slotBuffers ??= slotSizes.map((size) => state.pool.acquire(size));
      let nextLoop = 0;
      const runLoopsAt = (i: number): void => {
        while (nextLoop < preparedLoops.length && preparedLoops[nextLoop]!.at === i) {
          const l = preparedLoops[nextLoop++]!;
          l.run.encode(
            l.ins.map((s) => bufferFor(s, inBufs, outBufs)),
            l.outs.map((s) => bufferFor(s, inBufs, outBufs)),
            callId,
          );
        }
      };
      let nth = 0;
      kernels.forEach((k, i) => {
        runLoopsAt(i);
        if (k.empty) return;
        if (indirect) {
          // A while_loop's body: its workgroup counts were written by the loop's control kernel.
          const timing = rec.enabled
            ? {
                kernelId: k.reportId,
                startMs: rec.now(),
                ran: indirect.ran,
                ...(callId !== undefined ? { callId } : {}),
              }
            : null;
          batch.dispatchIndirect(
            k.pipeline,
            bindGroup(k, inBufs, outBufs),
            indirect.buffer,
            indirect.offset(nth++),
            timing,
          );
          return;
        }
        const timing = rec.enabled
          ? { kernelId: k.reportId, startMs: rec.now(), ...(callId !== undefined ? { callId } : {}) }
          : null;
        batch.dispatch(k.pipeline, bindGroup(k, inBufs, outBufs), k.spec.dispatch, timing);
      });
      runLoopsAt(kernels.length);
      fills.forEach((f, i) => {
        const dst = outBufs[i]!;
        const bytes = sizeOf(outAvals[i]!.shape) * 4;
        if (bytes === 0) return;
        if (f.k === "literal") batch.current().copyBufferToBuffer(f.buffer, 0, dst, 0, 4);
        else if (f.k === "copyInput") batch.current().copyBufferToBuffer(inBufs[f.i]!, 0, dst, 0, bytes);
        else if (f.k === "copyOutput") batch.current().copyBufferToBuffer(outBufs[f.i]!, 0, dst, 0, bytes);
      });
    },
  };
}

export function createWebGpuExecutable(state: GpuState, plan: ExecutablePlan): CompiledProgram {
  const { recorder: rec } = state;
  const program = plan.program;
  const prepared = prepareProgram(state, plan);
  const outAvals = plan.outputs.map((a) => a.aval);
  const nInputs = program.inputs.length;

  return {
    dispatchesPerCall: prepared.dispatchesPerCall,
    run(inputs: readonly DeviceArray[], givenCallId?: number): DeviceArray[] {
      state.check();
      if (inputs.length !== nInputs) {
        throw new JitScopeError(
          "backend",
          `compiled program ${program.name}: expected ${nInputs} inputs, got ${inputs.length}`,
        );
      }
      program.inputs.forEach((v, i) => {
        const a = inputs[i]!;
        if (
          a.aval.dtype !== v.aval.dtype ||
          a.aval.shape.length !== v.aval.shape.length ||
          a.aval.shape.some((d, j) => d !== v.aval.shape[j])
        ) {
          throw new JitScopeError(
            "backend",
            `compiled program ${program.name}: input ${i} is ${avalToString(a.aval)}, compiled for ${avalToString(v.aval)}`,
          );
        }
      });
      const t0 = rec.enabled ? rec.now() : 0;
      const callId = rec.enabled ? (givenCallId ?? rec.nextCallId()) : undefined;
      // Every output is first written by an encoded command (a dispatch or a copy).
      const outs = outAvals.map((aval) => state.allocateForKernel(aval));
      prepared.encode(
        inputs.map((a) => state.bufferOf(a, program.name)),
        outs.map((o) => o.buffer!),
        callId,
      );
      // No submit here: the passes join the shared batch, submitted at the end of this stretch
      // of JS (or when it fills), so many calls share one submit. Outputs are buffers no live
      // array holds; one freed in this batch is reused only for outputs written by commands
      // encoded after its last read (bufferPool.ts).
      if (rec.enabled) rec.span("encode", "encode", t0, rec.now() - t0, callId);
      return outs;
    },
  };
}
