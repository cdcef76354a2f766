// A compiled program on WebGPU: everything that does not depend on the call's inputs is worked
// out here, once (pipelines, where each binding's buffer comes from, bind groups of kernels
// touching only intermediates). A call then only allocates its outputs, builds the bind groups
// that touch inputs or outputs and encodes the passes into the shared command batch. A kernel
// binding both kinds puts the call's buffers in a group of their own (group 1), so its group
// over intermediates is made once and a call makes only the smaller one (pipelineCache.ts).
// Intermediates live in buffers per the memory plan's slots, kept across calls (the queue
// orders calls, so reuse between them is safe); outputs are fresh buffers, never inputs.
// A loop body is prepared by this same function with some inputs/outputs marked dynamic: they
// arrive as a view (buffer, offset) that moves every iteration (a row of a stacked xs / ys), so
// kernels bind them with a dynamic offset and one bind group serves every iteration.

import type { ExecutablePlan, KernelSpec } from "../codegen/kernelPlan.js";
import { JitScopeError } from "../ir/errors.js";
import { avalBytes, avalToString, sizeOf, type Aval, type Lit } from "../ir/types.js";
import type { CompiledProgram, DeviceArray } from "./backend.js";
import { bufferBytes, type GpuState } from "./gpuState.js";
import {
  prepareLoop,
  wholeBuffers,
  type BufView,
  type Dynamic,
  type LoopKind,
  type PreparedProgram,
} from "./webgpuLoop.js";
import { prepareWhile } from "./webgpuWhile.js";
import { DynamicBindingLimit, dynamicBindingBytes, loopLimits } from "./scanRows.js";

export type { PreparedProgram };

type Source =
  | { readonly k: "input"; readonly i: number }
  | { readonly k: "output"; readonly i: number }
  | { readonly k: "slot"; readonly i: number };

type OutputFill =
  | { readonly k: "kernel" }
  /** The enclosing loop already holds the value at this output's view (webgpuLoop.ts). */
  | { readonly k: "inPlace" }
  | { readonly k: "copyInput"; readonly i: number }
  | { readonly k: "copyOutput"; readonly i: number }
  | { readonly k: "literal"; readonly buffer: GPUBuffer };

interface PreparedKernel {
  readonly spec: KernelSpec;
  readonly reportId: string;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  /** The pipeline cache's generation `pipeline` came from (a cleared cache is fetched again). */
  generation: number;
  readonly dynamic: readonly boolean[] | undefined;
  readonly sources: readonly Source[];
  /** Bytes each dynamic binding covers (undefined: a whole buffer at offset 0). */
  readonly sizes: readonly (number | undefined)[];
  /** The bindings taking a dynamic offset, and the offsets of the current dispatch (reused). */
  readonly dynamicAt: readonly number[];
  readonly offsets: number[];
  readonly empty: boolean;
  /** Group 0 when it binds only intermediates (all of the kernel's bindings, or those `ioLayout`
   *  leaves there): made once. */
  staticGroup: GPUBindGroup | null;
  /** Which bindings are the call's inputs or outputs (group 1), when the kernel has two groups. */
  readonly split: readonly boolean[] | undefined;
  /** The sources of those bindings, in binding order (group 1's buffers). */
  readonly ioSources: readonly Source[];
  /** Group 1's layout (the pipeline cache made the split), else undefined: one group. */
  ioLayout: GPUBindGroupLayout | undefined;
}

const STORAGE = 0x80,
  COPY_SRC = 0x04,
  COPY_DST = 0x08;

/** A buffer holding one literal scalar, for outputs that are literals (copied, never written by
 *  queue.writeBuffer: that would land ahead of the batch, wrong inside a loop). */
function literalBuffer(device: GPUDevice, a: Lit): GPUBuffer {
  // 16 bytes: a loop may bind it at a dynamic offset, which covers a whole vec4.
  const buf = device.createBuffer({ size: 16, usage: STORAGE | COPY_SRC | COPY_DST, mappedAtCreation: true });
  const range = buf.getMappedRange();
  if (a.aval.dtype === "float32") new Float32Array(range)[0] = a.value;
  else new Int32Array(range)[0] = a.aval.dtype === "bool" ? (a.value ? 1 : 0) : a.value;
  buf.unmap();
  return buf;
}

const NONE: Dynamic = { inputs: [], outputs: [] };

/** `inLoop`: the kind of loop whose body this plan is (a while_loop may not nest in one);
 *  `dyn`: which program inputs/outputs arrive at an offset that changes between encodes. */
export function prepareProgram(
  state: GpuState,
  plan: ExecutablePlan,
  inLoop?: LoopKind,
  dyn: Dynamic = NONE,
): PreparedProgram {
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
    if (dyn.inPlace?.[i] === true) return { k: "inPlace" };
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

  const isDynamic = (s: Source | { readonly k: "lit" }): boolean =>
    (s.k === "input" && dyn.inputs[s.i] === true) || (s.k === "output" && dyn.outputs[s.i] === true);
  const maxDynamic = loopLimits(device).maxDynamic;

  const kernels: PreparedKernel[] = plan.kernels.map((spec) => {
    const vars = [...spec.inputs, ...spec.outputs];
    const sources = vars.map((v) => sourceOf(v.id, v.aval));
    const dynamic = sources.map(isDynamic);
    const dynamicAt = dynamic.flatMap((d, i) => (d ? [i] : []));
    // Checked before any pipeline of an over-limit layout exists; webgpuLoop.ts falls back.
    if (dynamicAt.length > maxDynamic) throw new DynamicBindingLimit(dynamicAt.length, maxDynamic);
    const dyn = dynamicAt.length > 0 ? dynamic : undefined;
    // The call's buffers in group 1 when the kernel also binds intermediates (not with dynamic
    // offsets, which index group 0).
    const varying = sources.map((s) => s.k !== "slot");
    const split = !dyn && varying.some((v) => v) && varying.some((v) => !v) ? varying : undefined;
    const { pipeline, layout, ioLayout } = state.pipelineFor(spec, dyn, split);
    const sizes = vars.map((v, i) => (dynamic[i] ? dynamicBindingBytes(avalBytes(v.aval)) : undefined));
    // The id the jit call path registered this kernel under (trace/jit.ts: compilation/kernel).
    const reportId = spec.id.includes("/") ? spec.id : `${plan.compilationId}/${spec.id}`;
    const empty = spec.outputs.every((o) => sizeOf(o.aval.shape) === 0);
    const offsets = dynamicAt.map(() => 0);
    const generation = state.pipelines.generation;
    return {
      spec,
      reportId,
      pipeline,
      layout,
      generation,
      dynamic: dyn,
      sources,
      sizes,
      dynamicAt,
      offsets,
      empty,
      staticGroup: null,
      split,
      ioSources: split ? sources.filter((s) => s.k !== "slot") : [],
      ioLayout,
    };
  });

  const preparedLoops = loops.map((l) => {
    const ins = l.eqn.inputs.map((a): Source | { readonly k: "lit"; readonly buffer: GPUBuffer } =>
      a.kind === "lit" ? { k: "lit", buffer: literalBuffer(device, a) } : sourceOf(a.id, a.aval),
    );
    const outs = l.eqn.outputs.map((v) => sourceOf(v.id, v.aval));
    const loopDyn = { inputs: ins.map(isDynamic), outputs: outs.map(isDynamic) };
    const run =
      l.eqn.prim === "while"
        ? prepareWhile(state, l, prepareProgram, inLoop)
        : prepareLoop(state, l, prepareProgram, loopDyn);
    return { at: l.at, run, ins, outs };
  });

  let slotBuffers: BufView[] | null = null;
  const outAvals = plan.outputs.map((a) => a.aval);

  const viewFor = (
    s: Source | { readonly k: "lit"; readonly buffer: GPUBuffer },
    inBufs: readonly BufView[],
    outBufs: readonly BufView[],
  ): BufView =>
    s.k === "slot"
      ? slotBuffers![s.i]!
      : s.k === "input"
        ? inBufs[s.i]!
        : s.k === "output"
          ? outBufs[s.i]!
          : { buffer: s.buffer, offset: 0 };

  /** After WebGpuBackend.dropPipelines (a benchmark's fresh pipelines): compile this kernel's again. */
  const refetchPipeline = (k: PreparedKernel): void => {
    const { pipeline, layout, ioLayout } = state.pipelineFor(k.spec, k.dynamic, k.split);
    k.pipeline = pipeline;
    k.layout = layout;
    k.ioLayout = ioLayout;
    k.generation = state.pipelines.generation;
    k.staticGroup = null;
  };

  const bindGroup = (k: PreparedKernel, inBufs: readonly BufView[], outBufs: readonly BufView[]): GPUBindGroup => {
    if (k.staticGroup) return k.staticGroup;
    if (k.ioLayout) {
      const slots = k.sources.filter((s) => s.k === "slot").map((s) => viewFor(s, inBufs, outBufs).buffer);
      return (k.staticGroup = state.bindGroups.get(k.layout, slots));
    }
    const group = state.bindGroups.get(
      k.layout,
      k.sources.map((s) => viewFor(s, inBufs, outBufs).buffer),
      k.dynamicAt.length > 0 ? k.sizes : undefined,
    );
    if (k.sources.every((s) => s.k === "slot")) k.staticGroup = group;
    return group;
  };

  /** Group 1 of a kernel with two: this call's inputs and outputs, in binding order. */
  const ioGroup = (k: PreparedKernel, inBufs: readonly BufView[], outBufs: readonly BufView[]) =>
    k.ioLayout
      ? state.bindGroups.get(
          k.ioLayout,
          k.ioSources.map((s) => viewFor(s, inBufs, outBufs).buffer),
        )
      : undefined;

  const nonEmptyFills = fills.filter(
    (f, i) => f.k !== "kernel" && f.k !== "inPlace" && sizeOf(outAvals[i]!.shape) > 0,
  ).length;
  const live = kernels.filter((k) => !k.empty);
  // null when a while_loop's count is known only as it runs.
  const sum = (first: number, xs: (number | null)[]): number | null =>
    xs.reduce<number | null>((n, x) => (n === null || x === null ? null : n + x), first);
  return {
    dispatchesPerCall: live.length + preparedLoops.reduce((n, l) => n + l.run.dispatchesPerRun, 0),
    copiesPerCall: sum(
      nonEmptyFills,
      preparedLoops.map((l) => l.run.copiesPerRun),
    ),
    restridesPerCall: sum(
      0,
      preparedLoops.map((l) => l.run.restridesPerRun),
    ),
    grids: live.map((k) => k.spec.dispatch),
    kernelIds: live.map((k) => k.reportId),
    encode(inBufs, outBufs, callId, indirect) {
      slotBuffers ??= slotSizes.map((size) => ({ buffer: state.pool.acquire(size), offset: 0 }));
      let nextLoop = 0;
      const runLoopsAt = (i: number): void => {
        while (nextLoop < preparedLoops.length && preparedLoops[nextLoop]!.at === i) {
          const l = preparedLoops[nextLoop++]!;
          l.run.encode(
            l.ins.map((s) => viewFor(s, inBufs, outBufs)),
            l.outs.map((s) => viewFor(s, inBufs, outBufs)),
            callId,
          );
        }
      };
      let nth = 0;
      kernels.forEach((k, i) => {
        runLoopsAt(i);
        if (k.empty) return;
        if (k.generation !== state.pipelines.generation) refetchPipeline(k);
        if (indirect) {
          // A while_loop's body: its workgroup counts were written by the loop's control kernel
          // (never a scan body's, so no dynamic offsets here).
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
            ioGroup(k, inBufs, outBufs),
          );
          return;
        }
        const timing = rec.enabled
          ? { kernelId: k.reportId, startMs: rec.now(), ...(callId !== undefined ? { callId } : {}) }
          : null;
        k.dynamicAt.forEach((b, m) => (k.offsets[m] = viewFor(k.sources[b]!, inBufs, outBufs).offset));
        batch.dispatch(
          k.pipeline,
          bindGroup(k, inBufs, outBufs),
          k.spec.dispatch,
          timing,
          k.offsets,
          ioGroup(k, inBufs, outBufs),
        );
      });
      runLoopsAt(kernels.length);
      fills.forEach((f, i) => {
        const dst = outBufs[i]!;
        const bytes = sizeOf(outAvals[i]!.shape) * 4;
        if (bytes === 0) return;
        if (f.k === "literal") batch.copy(f.buffer, 0, dst.buffer, dst.offset, 4);
        else if (f.k === "copyInput")
          batch.copy(inBufs[f.i]!.buffer, inBufs[f.i]!.offset, dst.buffer, dst.offset, bytes);
        else if (f.k === "copyOutput")
          batch.copy(outBufs[f.i]!.buffer, outBufs[f.i]!.offset, dst.buffer, dst.offset, bytes);
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
    copiesPerCall: prepared.copiesPerCall,
    restridesPerCall: prepared.restridesPerCall,
    run(
      inputs: readonly DeviceArray[],
      givenCallId?: number,
      encoded?: (startMs: number, durMs: number, bindGroupMs: number) => void,
    ): DeviceArray[] {
      state.checkBindGroups();
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
      const madeBefore = state.bindGroups.madeMs;
      const callId = rec.enabled ? (givenCallId ?? rec.nextCallId()) : undefined;
      // Every output is first written by an encoded command (a dispatch or a copy).
      const outs = outAvals.map((aval) => state.allocateForKernel(aval));
      // The call's dispatches are recorded as one event (backend/timing.ts `beginRun`).
      const timer = rec.enabled ? state.batch.timer : null;
      timer?.beginRun(callId);
      try {
        prepared.encode(
          wholeBuffers(inputs.map((a) => state.bufferOf(a, program.name))),
          wholeBuffers(outs.map((o) => o.buffer!)),
          callId,
        );
      } finally {
        timer?.endRun();
      }
      // No submit here: the passes join the shared batch, submitted at the end of this stretch
      // of JS (or when it fills), so many calls share one submit. Outputs are buffers no live
      // array holds; one freed in this batch is reused only for outputs written by commands
      // encoded after its last read (bufferPool.ts).
      if (rec.enabled) {
        if (encoded) encoded(t0, rec.now() - t0, state.bindGroups.madeMs - madeBefore);
        else rec.span("encode", "encode", t0, rec.now() - t0, callId);
      }
      return outs;
    },
  };
}
