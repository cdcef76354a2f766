// A loop of a compiled program on WebGPU. The body was compiled to kernels once (its own memory
// plan, pipelines and bind groups); running the loop encodes the body's dispatches once per
// iteration into the shared command batch, so T iterations cost T × (body dispatches) and no
// host round trip: the JS thread encodes and moves on, the queue runs them in order.
//
// Rows in place, no copies per step. Iteration t binds row t of each stacked xs and ys where it
// lies, at a dynamic offset (t × row bytes): the body's kernels that touch a row get a pipeline
// layout with dynamic offsets for those bindings (prepared once), so one bind group serves every
// iteration and only setBindGroup's offsets change. WebGPU wants a dynamic offset aligned to the
// adapter's minStorageBufferOffsetAlignment (16 on lavapipe, up to 256). A row whose size is not
// a multiple of it (a scalar loss per step, say) lives during the loop in a padded stack (rows
// at an aligned stride), filled from xs / moved into ys by one small dispatch per run
// (rowRestride.ts), never one copy per step. Chosen over giving every kernel an iteration index
// (add t × row to its flat index): that would touch every lowering (elementwise, reduction,
// matmul, conv, sort) and their vec4 paths, for the same command count. Measured cost on
// lavapipe (bench/dev/dynamic_offset_cost.ts): a dispatch with dynamic offsets takes ~34 µs of
// CPU against ~21 µs static, more than a copy adds (~27 µs): lavapipe pays for dynamic offsets
// (GPUs with a copy engine and real pass barriers are expected to pay for copies instead).
// Which mode each row and carry takes: scanRows.ts.
// vec4 kernels stay in bounds: a row binding covers its bytes rounded up to 16 (a whole vec4),
// which a direct row (a multiple of the alignment, itself ≥ 16) and a padded stride both hold.
//
// Carries live in two sets of buffers used in turn (the body reads one set and writes the other:
// WebGPU forbids binding one buffer as read-only and writable storage in one dispatch), except
// that the first iteration reads the loop's init and the last writes the loop's outputs, so
// carries are never copied (the memory plan never gives a loop's output an input's buffer).
// A carry that is also a y (grad saves the carry each step read; a model returns the states it
// wrote) lives in that y's rows instead, iterations alternating between the y's own rows and a
// second stack, whose odd iterations' rows one dispatch merges back per run (carryRoles below):
// one copy per run (the init in, or the last carry out) instead of one per step.
//
// Fallback: a body kernel needing more dynamic bindings than the adapter allows
// (maxDynamicStorageBuffersPerPipelineLayout, ≥ 4) gets the previous scheme: rows copied with
// copyBufferToBuffer into private buffers each iteration.
//
// while_loop runs on the device with its own scheme (webgpuWhile.ts): its trip count is a device
// value, so it is driven by a flag the device writes, read back every K iterations.

import type { ExecutablePlan, LoopPlan } from "../codegen/kernelPlan.js";
import { JitScopeError } from "../ir/errors.js";
import { avalBytes, type Aval, type ScanParams } from "../ir/types.js";
import { bufferBytes, type GpuState } from "./gpuState.js";
import { rowRestride, type RowRestride } from "./rowRestride.js";
import {
  DynamicBindingLimit,
  carryRoles,
  dynamicBindingBytes,
  isRow,
  loopLimits,
  rowMode,
  type RowMode,
} from "./scanRows.js";

export type LoopKind = "scan" | "while";

/** Where a while_loop's body kernels read their workgroup counts (12 bytes each). */
export interface IndirectArgs {
  readonly buffer: GPUBuffer;
  /** Byte offset of the counts of the program's `n`-th non-empty kernel. */
  offset(n: number): number;
  /** Whether this iteration ran (known after the loop's next flag read): timed samples of
   *  iterations past the loop's end are dropped. */
  readonly ran: Promise<boolean>;
}

/** A buffer and the byte offset its value starts at (a row of a stacked array inside a scan). */
export interface BufView {
  readonly buffer: GPUBuffer;
  readonly offset: number;
}

/** Which program inputs/outputs arrive at an offset that changes between encodes. */
export interface Dynamic {
  readonly inputs: readonly boolean[];
  readonly outputs: readonly boolean[];
  /** Outputs whose value the loop already holds at their view (a y that is a carry): not filled. */
  readonly inPlace?: readonly boolean[];
}

/** A compiled program ready to encode on given buffers (webgpuExecutable.ts builds them). */
export interface PreparedProgram {
  /** Dispatches one run encodes (a scan counts its body's once per iteration). */
  readonly dispatchesPerCall: number;
  /** copyBufferToBuffer commands one run encodes (null: known only when it runs, a while_loop). */
  readonly copiesPerCall: number | null;
  /** Row restride dispatches one run encodes (not counted in dispatchesPerCall). */
  readonly restridesPerCall: number | null;
  /** The workgroup counts of the program's own non-empty kernels, in dispatch order. */
  readonly grids: readonly (readonly [number, number, number])[];
  /** Their ids as the recorder knows them. */
  readonly kernelIds: readonly string[];
  /** Encodes the program reading `inBufs` (one per program input) and writing `outBufs` (one per
   *  output) into the shared command batch. */
  encode(
    inBufs: readonly BufView[],
    outBufs: readonly BufView[],
    callId: number | undefined,
    /** Dispatch the program's own kernels indirectly (untimed), with these counts. */
    indirect?: IndirectArgs,
  ): void;
}

/** `inLoop`: the kind of loop whose body `plan` is; `dyn`: its inputs/outputs bound at offsets. */
export type Prepare = (state: GpuState, plan: ExecutablePlan, inLoop?: LoopKind, dyn?: Dynamic) => PreparedProgram;

/** Buffers as views at offset 0 (a program's own inputs and outputs). */
export const wholeBuffers = (bufs: readonly GPUBuffer[]): BufView[] => bufs.map((buffer) => ({ buffer, offset: 0 }));

export interface PreparedLoop {
  readonly dispatchesPerRun: number;
  /** copyBufferToBuffer commands per run: none per iteration unless the fallback copies rows
   *  (null: known only when it runs, a while_loop). */
  readonly copiesPerRun: number | null;
  readonly restridesPerRun: number | null;
  /** `ins`: the loop equation's operands; `outs`: its results. */
  encode(ins: readonly BufView[], outs: readonly BufView[], callId: number | undefined): void;
}

export function prepareLoop(state: GpuState, loop: LoopPlan, prepare: Prepare, dyn: Dynamic): PreparedLoop {
  if (loop.eqn.prim !== "scan") {
    throw new JitScopeError(
      "backend",
      `prepareLoop: a ${loop.eqn.prim} loop goes to webgpuWhile.ts (webgpuExecutable.ts picks)`,
      loop.eqn.location,
    );
  }
  const p = loop.eqn.params as ScanParams;
  const nc = p.numConsts,
    nk = p.numCarry,
    T = p.length;
  const bodyIns = loop.body.program.inputs;
  const carryAvals = bodyIns.slice(nc, nc + nk).map((v) => v.aval);
  const xAvals = bodyIns.slice(nc + nk).map((v) => v.aval);
  const yAvals = loop.body.outputs.slice(nk).map((a) => a.aval);
  const align = loopLimits(state.device).rowAlign;

  // The body with its rows bound in place; if a kernel would exceed the dynamic-binding limit,
  // the body again with every row copied (carries and consts stay as the enclosing program has
  // them: dynamic only inside a nested loop's body).
  const attempt = (inPlace: boolean) => {
    const xModes = xAvals.map((a) => rowMode(avalBytes(a), align, inPlace));
    const yModes = yAvals.map((a) => rowMode(avalBytes(a), align, inPlace));
    const roles = carryRoles(loop, nc, nk, yModes);
    const aliased = new Set(roles.flatMap((r) => (r.k === "pingPong" ? [] : [r.y])));
    const bodyDyn: Dynamic = {
      inputs: [
        ...Array.from({ length: nc }, (_, c) => dyn.inputs[c] === true),
        ...roles.map((r, j) => r.k !== "pingPong" || dyn.inputs[nc + j] === true),
        ...xModes.map(isRow),
      ],
      outputs: [...roles.map((r, j) => r.k !== "pingPong" || dyn.outputs[j] === true), ...yModes.map(isRow)],
      inPlace: [...roles.map(() => false), ...yModes.map((_, k) => aliased.has(k))],
    };
    return { xModes, yModes, roles, body: prepare(state, loop.body, "scan", bodyDyn) };
  };
  let prepared: ReturnType<typeof attempt>;
  try {
    prepared = attempt(true);
  } catch (e) {
    if (!(e instanceof DynamicBindingLimit)) throw e;
    prepared = attempt(false);
  }
  const { xModes, yModes, roles, body } = prepared;

  const restride = (dir: "pad" | "unpad", a: Aval, m: RowMode): RowRestride | null =>
    m.k === "padded" && T > 0 ? rowRestride(state.device, dir, T, avalBytes(a) / 4, m.stride / 4) : null;
  const xMoves = xAvals.map((a, k) => restride("pad", a, xModes[k]!));
  const yMoves = yAvals.map((a, k) => restride("unpad", a, yModes[k]!));
  const copied = [...xModes, ...yModes].filter((m) => m.k === "copy").length;
  const nonEmptyCarries = carryAvals.filter((a) => avalBytes(a) > 0).length;
  // A y's rows stride, in place or padded (only rows in place or padded hold a carry).
  const strideOf = (k: number): number => {
    const m = yModes[k]!;
    return m.k === "padded" ? m.stride : avalBytes(yAvals[k]!);
  };
  const merges = roles.map((r) =>
    r.k === "pingPong" || T < 2
      ? null
      : rowRestride(
          state.device,
          p.reverse ? "mergeOddReversed" : "mergeOdd",
          T,
          avalBytes(yAvals[r.y]!) / 4,
          strideOf(r.y) / 4,
        ),
  );
  const stacked = roles.filter((r) => r.k !== "pingPong").length;

  // Buffers the loop owns, acquired on the first run and kept (no allocation per call or step).
  interface Owned {
    a: BufView[];
    b: BufView[];
    /** Per xs / ys: the padded stack, or the private buffer of a copied / empty row. */
    x: (BufView | null)[];
    y: (BufView | null)[];
    /** Per carry kept in a y's rows: the second stack (odd iterations' rows). */
    odd: (BufView | null)[];
  }
  let owned: Owned | null = null;
  const own = (bytes: number): BufView => ({ buffer: state.pool.acquire(bytes), offset: 0 });
  const ownRow = (a: Aval, m: RowMode): BufView | null =>
    m.k === "direct" ? null : m.k === "padded" ? own(Math.max(4, T * m.stride)) : own(bufferBytes(a));
  // The body's operand lists, reused every iteration (the body reads them while encoding only).
  const bodyIn: BufView[] = [];
  const bodyOut: BufView[] = [];
  // Per-iteration views of direct / padded rows (made on the first run), updated in place.
  let viewsMade = false;
  let xViews: { buffer: GPUBuffer; offset: number }[] = [];
  let yViews: { buffer: GPUBuffer; offset: number }[] = [];
  // Per carry kept in a y's rows: the views of the row it is read from and written to.
  const carryIn = roles.map(() => ({ buffer: null as GPUBuffer | null, offset: 0 }));
  const carryOut = roles.map(() => ({ buffer: null as GPUBuffer | null, offset: 0 }));

  const move = (r: RowRestride, src: BufView, srcBytes: number, dst: BufView, dstBytes: number): void => {
    const group = state.bindGroups.get(r.layout, [src.buffer, dst.buffer], [srcBytes, dstBytes]);
    state.batch.restride(r.pipeline, group, r.dispatch, [src.offset, dst.offset]);
  };

  return {
    dispatchesPerRun: T * body.dispatchesPerCall,
    copiesPerRun:
      body.copiesPerCall === null ? null : (T === 0 ? nonEmptyCarries : stacked) + T * (copied + body.copiesPerCall),
    restridesPerRun:
      body.restridesPerCall === null
        ? null
        : [...xMoves, ...yMoves, ...merges].filter((r) => r !== null).length + T * body.restridesPerCall,
    encode(ins, outs, callId) {
      const { batch } = state;
      const bufs = (owned ??= {
        a: carryAvals.map((a) => own(Math.max(bufferBytes(a), dynamicBindingBytes(avalBytes(a))))),
        b: carryAvals.map((a) => own(Math.max(bufferBytes(a), dynamicBindingBytes(avalBytes(a))))),
        x: xAvals.map((a, k) => ownRow(a, xModes[k]!)),
        y: yAvals.map((a, k) => ownRow(a, yModes[k]!)),
        odd: roles.map((r) => (r.k === "pingPong" ? null : own(Math.max(4, T * strideOf(r.y))))),
      });
      if (!viewsMade) {
        viewsMade = true;
        xViews = xAvals.map((_, k) => ({ buffer: bufs.x[k]?.buffer ?? ins[nc + nk + k]!.buffer, offset: 0 }));
        yViews = yAvals.map((_, k) => ({ buffer: bufs.y[k]?.buffer ?? outs[nk + k]!.buffer, offset: 0 }));
      }
      if (T === 0) {
        carryAvals.forEach((a, j) => {
          const bytes = avalBytes(a);
          if (bytes > 0) batch.copy(ins[nc + j]!.buffer, ins[nc + j]!.offset, outs[j]!.buffer, outs[j]!.offset, bytes);
        });
        return;
      }
      xMoves.forEach((r, k) => {
        if (r)
          move(
            r,
            ins[nc + nk + k]!,
            T * avalBytes(xAvals[k]!),
            bufs.x[k]!,
            T * (xModes[k] as { stride: number }).stride,
          );
      });
      for (let c = 0; c < nc; c++) bodyIn[c] = ins[c]!;
      xModes.forEach((m, k) => (bodyIn[nc + nk + k] = isRow(m) ? xViews[k]! : bufs.x[k]!));
      const aliasedY = new Set(roles.flatMap((r) => (r.k === "pingPong" ? [] : [r.y])));
      yModes.forEach((m, k) => (bodyOut[nk + k] = isRow(m) ? yViews[k]! : bufs.y[k]!));
      const tOf = (i: number): number => (p.reverse ? T - 1 - i : i);
      // Row t of the stack carry j (kept in its y's rows) uses at iterations of parity `odd`.
      const rowOf = (v: { buffer: GPUBuffer | null; offset: number }, j: number, odd: number, t: number): BufView => {
        const k = (roles[j] as { y: number }).y;
        const stack = odd ? bufs.odd[j]! : yModes[k]!.k === "padded" ? bufs.y[k]! : outs[nk + k]!;
        v.buffer = stack.buffer;
        v.offset = stack.offset + t * strideOf(k);
        return v as BufView;
      };
      roles.forEach((r, j) => {
        if (r.k !== "yIn") return;
        // Iteration 0's carry is its y row 0: the one copy of this carry per run.
        const row = rowOf(carryIn[j]!, j, 0, tOf(0));
        batch.copy(ins[nc + j]!.buffer, ins[nc + j]!.offset, row.buffer, row.offset, avalBytes(carryAvals[j]!));
      });
      let cur = bufs.a,
        next = bufs.b;
      for (let i = 0; i < T; i++) {
        const t = tOf(i);
        for (let j = 0; j < nk; j++) {
          const r = roles[j]!;
          if (r.k === "yIn") {
            // y row t holds the carry read at iteration i; the next iteration's row is written.
            bodyIn[nc + j] = rowOf(carryIn[j]!, j, i % 2, t);
            bodyOut[j] = i === T - 1 ? outs[j]! : rowOf(carryOut[j]!, j, (i + 1) % 2, tOf(i + 1));
            bodyOut[nk + r.y] = bodyIn[nc + j]!;
          } else if (r.k === "yOut") {
            // y row t holds the carry written at iteration i; the previous one's row is read.
            bodyIn[nc + j] = i === 0 ? ins[nc + j]! : rowOf(carryIn[j]!, j, (i - 1) % 2, tOf(i - 1));
            bodyOut[j] = rowOf(carryOut[j]!, j, i % 2, t);
            bodyOut[nk + r.y] = bodyOut[j]!;
          } else {
            bodyIn[nc + j] = i === 0 ? ins[nc + j]! : cur[j]!;
            bodyOut[j] = i === T - 1 ? outs[j]! : next[j]!;
          }
        }
        xModes.forEach((m, k) => {
          const xs = ins[nc + nk + k]!;
          const bytes = avalBytes(xAvals[k]!);
          if (m.k === "direct") {
            xViews[k]!.buffer = xs.buffer;
            xViews[k]!.offset = xs.offset + t * bytes;
          } else if (m.k === "padded") xViews[k]!.offset = t * m.stride;
          else if (m.k === "copy") batch.copy(xs.buffer, xs.offset + t * bytes, bufs.x[k]!.buffer, 0, bytes);
        });
        yModes.forEach((m, k) => {
          const ys = outs[nk + k]!;
          if (aliasedY.has(k)) return;
          if (m.k === "direct") {
            yViews[k]!.buffer = ys.buffer;
            yViews[k]!.offset = ys.offset + t * avalBytes(yAvals[k]!);
          } else if (m.k === "padded") yViews[k]!.offset = t * m.stride;
        });
        body.encode(bodyIn, bodyOut, callId);
        yModes.forEach((m, k) => {
          if (m.k !== "copy") return;
          const ys = outs[nk + k]!;
          const bytes = avalBytes(yAvals[k]!);
          batch.copy(bufs.y[k]!.buffer, 0, ys.buffer, ys.offset + t * bytes, bytes);
        });
        [cur, next] = [next, cur];
      }
      roles.forEach((r, j) => {
        if (r.k === "pingPong") return;
        // The last carry of a "yOut" carry is in its y's last row: the loop's output gets a copy.
        if (r.k === "yOut") {
          const row = rowOf(carryOut[j]!, j, (T - 1) % 2, tOf(T - 1));
          batch.copy(row.buffer, row.offset, outs[j]!.buffer, outs[j]!.offset, avalBytes(carryAvals[j]!));
        }
        // Odd iterations' rows join the even ones (then, if padded, the y is unpadded below).
        const merge = merges[j];
        if (merge) {
          const bytes = T * strideOf(r.y);
          move(merge, bufs.odd[j]!, bytes, rowOf(carryIn[j]!, j, 0, 0), bytes);
        }
      });
      yMoves.forEach((r, k) => {
        if (r)
          move(r, bufs.y[k]!, T * (yModes[k] as { stride: number }).stride, outs[nk + k]!, T * avalBytes(yAvals[k]!));
      });
    },
  };
}
