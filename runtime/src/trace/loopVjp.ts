// Reverse mode through a scan, as one forward loop and one backward loop (never unrolled).
// Forward: the scan runs as written and also stacks the carry entering each iteration (the
// residuals: T × the carry, not every intermediate of the body). Backward: a scan in the other
// direction whose body recomputes one iteration from its residual and pulls the cotangents back
// through it (the body's own vjp, traced once), carrying the carry's cotangent and the running
// sum of the consts' cotangents; the xs' cotangents come out stacked.

import { bind, Tracer } from "./core.js";
import { evalProgram, materialize, type Value } from "./evalProgram.js";
import { traceBody } from "./loopTrace.js";
import * as L from "./rules/lax.js";
import type { Val } from "./rules/lax.js";
import type { Cotangent } from "./rules/vjpRules.js";
import type { Aval, PrimParams } from "../ir/types.js";

/** The tape functions of trace/vjp.ts, passed in (importing them here would be a cycle). */
export interface TapeFns {
  recordTape(
    f: (...args: unknown[]) => unknown,
    args: readonly unknown[],
    differentiate: (leaf: Tracer, i: number) => boolean,
    name: string,
  ): {
    readonly outputs: readonly unknown[];
  } & object;
  backward(lin: never, seeds: readonly (Val | null)[], name: string): Cotangent[];
}

const f32 = (a: Aval): Aval => ({ shape: a.shape, dtype: "float32" });
const zerosOf = (a: Aval): Tracer => materialize(L.zeros(f32(a)), f32(a));

export function linearizeScan(
  p: PrimParams["scan"],
  primals: readonly Value[],
  tape: TapeFns,
): { outs: Tracer[]; backward: (cts: readonly (Val | null)[]) => Cotangent[] } {
  const { body, numConsts: nC, numCarry: nK, length: T } = p;
  const ins = body.inputs.map((v) => v.aval);
  const constAvals = ins.slice(0, nC),
    carryAvals = ins.slice(nC, nC + nK),
    xAvals = ins.slice(nC + nK);
  const outAvals = body.outputs.map((o) => o.aval);
  const yAvals = outAvals.slice(nK);
  const nX = xAvals.length,
    nY = yAvals.length;
  const stacked = (a: Aval): Aval => ({ shape: [T, ...a.shape], dtype: a.dtype });
  const operands = primals.map((v, i) => materialize(v, i < nC + nK ? ins[i]! : stacked(ins[i]!)));
  const runBody = (args: readonly Value[]): Tracer[] =>
    evalProgram(body, args).map((o, i) => materialize(o, outAvals[i]!));

  const fwd = traceBody("scan", ins, (args) => [...runBody(args), ...args.slice(nC, nC + nK)]);
  const all = bind("scan", { ...p, body: fwd.program, numConsts: nC + fwd.captured.length }, [
    ...fwd.captured,
    ...operands,
  ]);
  const outs = all.slice(0, outAvals.length);
  const residuals = all.slice(outAvals.length);

  const backward = (cts: readonly (Val | null)[]): Cotangent[] => {
    const ctCarry = carryAvals.map((a, j) => (cts[j] ? materialize(cts[j]!, f32(a)) : zerosOf(a)));
    const ctYs = yAvals.map((a, k) => (cts[nK + k] ? materialize(cts[nK + k]!, f32(stacked(a))) : zerosOf(stacked(a))));
    const bwdAvals = [
      ...constAvals,
      ...carryAvals.map(f32),
      ...constAvals.map(f32),
      ...carryAvals,
      ...xAvals,
      ...yAvals.map(f32),
    ];
    const bwd = traceBody("scan.transpose", bwdAvals, (args) => {
      let k = 0;
      const take = (n: number) => args.slice(k, (k += n));
      const consts = take(nC),
        ctC = take(nK),
        acc = take(nC),
        carry = take(nK),
        x = take(nX),
        ctY = take(nY);
      const lin = tape.recordTape(
        (...a: unknown[]) => runBody(a as Tracer[]),
        [...consts, ...carry, ...x],
        (leaf) => leaf.dtype === "float32",
        "scan",
      );
      const inCts = tape.backward(lin as never, [...ctC, ...ctY], "scan");
      const ctOr0 = (i: number, a: Aval): Tracer => (inCts[i] ? materialize(inCts[i]!, f32(a)) : zerosOf(a));
      return [
        ...carryAvals.map((a, j) => ctOr0(nC + j, a)),
        ...acc.map((s, i) => (inCts[i] ? (L.add(s, inCts[i]!) as Tracer) : s)),
        ...xAvals.map((a, j) => ctOr0(nC + nK + j, a)),
      ];
    });
    const consts = operands.slice(0, nC),
      xs = operands.slice(nC + nK);
    const res = bind(
      "scan",
      { body: bwd.program, numConsts: bwd.captured.length + nC, numCarry: nK + nC, length: T, reverse: !p.reverse },
      [...bwd.captured, ...consts, ...ctCarry, ...constAvals.map(zerosOf), ...residuals, ...xs, ...ctYs],
    );
    const ctInit = res.slice(0, nK),
      ctConsts = res.slice(nK, nK + nC),
      ctXs = res.slice(nK + nC);
    const isFloat = (i: number) => ins[i]!.dtype === "float32";
    return [
      ...ctConsts.map((c, i) => (isFloat(i) ? c : null)),
      ...ctInit.map((c, j) => (isFloat(nC + j) ? c : null)),
      ...ctXs.map((c, k) => (isFloat(nC + nK + k) ? c : null)),
    ];
  };
  return { outs, backward };
}
