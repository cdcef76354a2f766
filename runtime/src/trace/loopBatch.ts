// vmap of a loop stays one loop: the new body is `vmap(body)` traced once. Every operand gets
// the batch axis (consts and carries at axis 0, xs at axis 1 since axis 0 is the scan axis), so
// the carried values have one layout on every iteration. A while loop whose predicate differs
// across the batch runs until every element is done, and an element that is done keeps its
// carry (the body's result is selected by that element's predicate), as JAX batches while_loop.

import { bind, Tracer } from "./core.js";
import { evalProgram, materialize, type Value } from "./evalProgram.js";
import { traceBody } from "./loopTrace.js";
import { withBatchAt, type BatchDim } from "./rules/batchRules.js";
import * as L from "./rules/lax.js";
import type { Aval, PrimParams, Program } from "../ir/types.js";

/** vmap, passed in by trace/vmap.ts (importing it here would be a cycle). */
export type VmapFn = (
  f: (...args: Tracer[]) => Tracer[],
  inAxes: number,
  outAxes: number,
) => (...args: Tracer[]) => Tracer[];

const batched = (a: Aval, size: number): Aval => ({ shape: [size, ...a.shape], dtype: a.dtype });

/** The body applied per batch element, its outputs as full arrays. */
const mapped = (body: Program, vmapFn: VmapFn) =>
  vmapFn((...a: Tracer[]) => evalProgram(body, a).map((o, i) => materialize(o, body.outputs[i]!.aval)), 0, 0);

export function batchLoop(
  prim: "scan" | "while",
  params: PrimParams["scan"] | PrimParams["while"],
  values: readonly Value[],
  bdims: readonly BatchDim[],
  size: number,
  vmapFn: VmapFn,
): [Tracer, BatchDim][] {
  const full = (i: number, to: number): Tracer =>
    withBatchAt(materialize(values[i]!, values[i]!.aval), bdims[i] ?? null, to, size) as Tracer;
  if (prim === "scan") {
    const p = params as PrimParams["scan"];
    const nFront = p.numConsts + p.numCarry;
    const operands = values.map((_, i) => full(i, i < nFront ? 0 : 1));
    const body = traceBody(
      "scan",
      p.body.inputs.map((v) => batched(v.aval, size)),
      (args) => mapped(p.body, vmapFn)(...args),
    );
    const outs = bind("scan", { ...p, body: body.program, numConsts: p.numConsts + body.captured.length }, [
      ...body.captured,
      ...operands,
    ]);
    return outs.map((o, j): [Tracer, BatchDim] => [o, j < p.numCarry ? 0 : 1]);
  }
  const p = params as PrimParams["while"];
  const operands = values.map((_, i) => full(i, 0));
  const condConsts = operands.slice(0, p.condConsts);
  const bodyConsts = operands.slice(p.condConsts, p.condConsts + p.bodyConsts);
  const carry = operands.slice(p.condConsts + p.bodyConsts);
  const nCC = p.condConsts,
    nBC = p.bodyConsts;
  const carryAvals = p.body.outputs.map((o) => batched(o.aval, size));
  const ccAvals = condConsts.map((c) => c.aval);
  const bcAvals = bodyConsts.map((c) => c.aval);
  const anyTrue = (pred: Tracer): Tracer => {
    const n = L.reduceSum(L.cast(pred, "float32"), [0]);
    return L.compare("gt", n, { kind: "lit", value: 0, aval: { shape: [], dtype: "float32" } }) as Tracer;
  };
  const cond = traceBody("while.cond", [...ccAvals, ...carryAvals], (args) => [
    anyTrue(mapped(p.cond, vmapFn)(...args)[0]!),
  ]);
  const body = traceBody("while.body", [...ccAvals, ...bcAvals, ...carryAvals], (args) => {
    const cc = args.slice(0, nCC),
      bc = args.slice(nCC, nCC + nBC),
      c = args.slice(nCC + nBC);
    const pred = mapped(p.cond, vmapFn)(...cc, ...c)[0]!;
    const next = mapped(p.body, vmapFn)(...bc, ...c);
    return next.map((n, i) => L.where(L.broadcast(pred, n.shape, [0]), n, c[i]!) as Tracer);
  });
  const outs = bind(
    "while",
    {
      cond: cond.program,
      body: body.program,
      condConsts: cond.captured.length + nCC,
      bodyConsts: body.captured.length + nCC + nBC,
    },
    [...cond.captured, ...condConsts, ...body.captured, ...condConsts, ...bodyConsts, ...carry],
  );
  return outs.map((o): [Tracer, BatchDim] => [o, 0]);
}
