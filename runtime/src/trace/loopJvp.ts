// Forward mode through a loop stays one loop, as JAX's scan and while_loop JVP rules: the new
// body is `jvp(body)` traced once, and the loop carries (primal, tangent) pairs. A scan's consts'
// tangents become extra consts, its xs' tangents extra xs, its ys' tangents extra ys; a while
// loop's tangents ride in its carry and its condition reads the primals only. A tangent that is
// provably zero (an integer value, or one no nonzero tangent reaches, found by a fixpoint over the
// carry) stays symbolic: the loop carries nothing for it.

import { bind, Tracer } from "./core.js";
import { evalProgram, materialize, type Value } from "./evalProgram.js";
import { traceBody } from "./loopTrace.js";
import { isStopped } from "./stoppedVars.js";
import type { Tangent } from "./rules/laxIndexConv.js";
import type { Aval, PrimParams, Program, Primitive } from "../ir/types.js";

/** Forward mode on a flat function, passed in by trace/jvp.ts (importing it here would be a
 *  cycle): primal outputs and their tangents (null where symbolically zero). */
export type JvpFlatFn = (
  f: (...args: Value[]) => Value[],
  primals: readonly Value[],
  tangents: readonly Tangent[],
) => [Value[], Tangent[]];

const f32 = (a: Aval): Aval => ({ shape: a.shape, dtype: "float32" });

/** Primitives whose outputs never carry a tangent, whatever their inputs'. */
const NO_TANGENT: ReadonlySet<Primitive> = new Set<Primitive>([
  "sign",
  "logical_not",
  "gt",
  "ge",
  "lt",
  "le",
  "eq",
  "ne",
  "random_uniform",
  "random_bits",
  "random_fold_in",
  "iota",
  "argmax",
  "argmin",
  "floor",
  "ceil",
  "round",
  "is_nan",
]);

/** Which outputs of `program` may have a nonzero tangent when the inputs flagged in `live` do
 *  (a float32 output reached from a live input through ops that pass tangents on, and not
 *  stopped by stop_gradient). */
export function tangentFlow(program: Program, live: readonly boolean[]): boolean[] {
  const ids = new Set<number>();
  program.inputs.forEach((v, i) => {
    if (live[i] && v.aval.dtype === "float32") ids.add(v.id);
  });
  for (const e of program.eqns) {
    if (NO_TANGENT.has(e.prim)) continue;
    if (!e.inputs.some((a) => a.kind === "var" && ids.has(a.id))) continue;
    for (const o of e.outputs) if (o.aval.dtype === "float32" && !isStopped(o)) ids.add(o.id);
  }
  return program.outputs.map((a) => a.kind === "var" && ids.has(a.id));
}

const pick = <T>(xs: readonly T[], flags: readonly boolean[]): T[] => xs.filter((_, i) => flags[i]);

/** A tangent as an operand of the new loop: a full float32 array (zeros where symbolic). */
const tangentOperand = (t: Tangent, a: Aval): Tracer =>
  materialize(t ?? { kind: "lit", value: 0, aval: { shape: [], dtype: "float32" } }, f32(a));

/** Puts the flagged tangents back in place among all inputs' (null for the others). */
function spread(flags: readonly boolean[], ts: readonly Tracer[]): Tangent[] {
  let k = 0;
  return flags.map((f) => (f ? ts[k++]! : null));
}

export function jvpScan(
  p: PrimParams["scan"],
  primals: readonly Value[],
  tangents: readonly Tangent[],
  jvpFn: JvpFlatFn,
): [Tracer[], Tangent[]] {
  const { body, numConsts: nC, numCarry: nK, length: T } = p;
  const ins = body.inputs.map((v) => v.aval);
  const outAvals = body.outputs.map((o) => o.aval);
  const nX = ins.length - nC - nK;
  const liveIn = tangents.map((t, i) => t !== null && ins[i]!.dtype === "float32");
  const cLive = liveIn.slice(0, nC),
    xLive = liveIn.slice(nC + nK);
  const kLive = fixCarry(body, cLive, liveIn.slice(nC, nC + nK), xLive);
  const yLive = tangentFlow(body, [...cLive, ...kLive, ...xLive]).slice(nK);
  const stacked = (a: Aval): Aval => ({ shape: [T, ...a.shape], dtype: a.dtype });
  const constAvals = ins.slice(0, nC),
    carryAvals = ins.slice(nC, nC + nK),
    xAvals = ins.slice(nC + nK);

  const newIns = [
    ...constAvals,
    ...pick(constAvals, cLive).map(f32),
    ...carryAvals,
    ...pick(carryAvals, kLive).map(f32),
    ...xAvals,
    ...pick(xAvals, xLive).map(f32),
  ];
  const nCT = pick(constAvals, cLive).length,
    nKT = pick(carryAvals, kLive).length;
  const traced = traceBody("scan", newIns, (args) => {
    let k = 0;
    const take = (n: number) => args.slice(k, (k += n));
    const consts = take(nC),
      ct = take(nCT),
      carry = take(nK),
      kt = take(nKT),
      xs = take(nX),
      xt = take(args.length - k);
    const [outs, touts] = jvpFn(
      (...a) => evalProgram(body, a),
      [...consts, ...carry, ...xs],
      [...spread(cLive, ct), ...spread(kLive, kt), ...spread(xLive, xt)],
    );
    const prim = outs.map((o, i) => materialize(o, outAvals[i]!));
    const tan = (i: number) => tangentOperand(touts[i] ?? null, outAvals[i]!);
    return [
      ...prim.slice(0, nK),
      ...kLive.flatMap((l, j) => (l ? [tan(j)] : [])),
      ...prim.slice(nK),
      ...yLive.flatMap((l, j) => (l ? [tan(nK + j)] : [])),
    ];
  });
  const operands = primals.map((v, i) => materialize(v, i < nC + nK ? ins[i]! : stacked(ins[i]!)));
  const tOperands = (from: number, avals: readonly Aval[], flags: readonly boolean[], wrap: (a: Aval) => Aval) =>
    avals.flatMap((a, i) => (flags[i] ? [tangentOperand(tangents[from + i] ?? null, wrap(a))] : []));
  const id = (a: Aval) => a;
  const all = bind(
    "scan",
    { ...p, body: traced.program, numConsts: traced.captured.length + nC + nCT, numCarry: nK + nKT },
    [
      ...traced.captured,
      ...operands.slice(0, nC),
      ...tOperands(0, constAvals, cLive, id),
      ...operands.slice(nC, nC + nK),
      ...tOperands(nC, carryAvals, kLive, id),
      ...operands.slice(nC + nK),
      ...tOperands(nC + nK, xAvals, xLive, stacked),
    ],
  );
  const nY = outAvals.length - nK;
  const carryOut = all.slice(0, nK),
    carryT = all.slice(nK, nK + nKT),
    ys = all.slice(nK + nKT, nK + nKT + nY),
    yT = all.slice(nK + nKT + nY);
  return [
    [...carryOut, ...ys],
    [...spread(kLive, carryT), ...spread(yLive, yT)],
  ];
}

/** Carries with a nonzero tangent: those entering with one, plus those the body gives one from
 *  the live inputs around the carry (`before` it: consts; `after` it: xs). */
function fixCarry(body: Program, before: boolean[], kInit: boolean[], after: boolean[]): boolean[] {
  let carry = kInit;
  for (;;) {
    const out = tangentFlow(body, [...before, ...carry, ...after]);
    const next = carry.map((c, j) => c || out[j]!);
    if (next.every((c, j) => c === carry[j])) return carry;
    carry = next;
  }
}

export function jvpWhile(
  p: PrimParams["while"],
  primals: readonly Value[],
  tangents: readonly Tangent[],
  jvpFn: JvpFlatFn,
): [Tracer[], Tangent[]] {
  const { cond, body, condConsts: nCC, bodyConsts: nBC } = p;
  const carryAvals = body.outputs.map((o) => o.aval);
  const nK = carryAvals.length;
  const avals = primals.map((v, i) => (i < nCC + nBC ? v.aval : carryAvals[i - nCC - nBC]!));
  const ccAvals = avals.slice(0, nCC),
    bcAvals = avals.slice(nCC, nCC + nBC);
  const liveIn = tangents.map((t, i) => t !== null && avals[i]!.dtype === "float32");
  const bLive = liveIn.slice(nCC, nCC + nBC);
  const kLive = fixCarry(body, bLive, liveIn.slice(nCC + nBC), []);
  const bT = pick(bcAvals, bLive).map(f32),
    kT = pick(carryAvals, kLive).map(f32);

  const condT = traceBody("while.cond", [...ccAvals, ...carryAvals, ...kT], (args) => [
    materialize(evalProgram(cond, args.slice(0, nCC + nK))[0]!, cond.outputs[0]!.aval),
  ]);
  const bodyT = traceBody("while.body", [...bcAvals, ...bT, ...carryAvals, ...kT], (args) => {
    const bc = args.slice(0, nBC),
      bt = args.slice(nBC, nBC + bT.length),
      carry = args.slice(nBC + bT.length, nBC + bT.length + nK),
      kt = args.slice(nBC + bT.length + nK);
    const [outs, touts] = jvpFn(
      (...a) => evalProgram(body, a),
      [...bc, ...carry],
      [...spread(bLive, bt), ...spread(kLive, kt)],
    );
    return [
      ...outs.map((o, j) => materialize(o, carryAvals[j]!)),
      ...kLive.flatMap((l, j) => (l ? [tangentOperand(touts[j] ?? null, carryAvals[j]!)] : [])),
    ];
  });
  const operands = primals.map((v, i) => materialize(v, avals[i]!));
  const tOperands = (from: number, as: readonly Aval[], flags: readonly boolean[]) =>
    as.flatMap((a, i) => (flags[i] ? [tangentOperand(tangents[from + i] ?? null, a)] : []));
  const cc = operands.slice(0, nCC);
  const outs = bind(
    "while",
    {
      cond: condT.program,
      body: bodyT.program,
      condConsts: condT.captured.length + nCC,
      bodyConsts: bodyT.captured.length + nBC + bT.length,
    },
    [
      ...condT.captured,
      ...cc,
      ...bodyT.captured,
      ...operands.slice(nCC, nCC + nBC),
      ...tOperands(nCC, bcAvals, bLive),
      ...operands.slice(nCC + nBC),
      ...tOperands(nCC + nBC, carryAvals, kLive),
    ],
  );
  return [outs.slice(0, nK), spread(kLive, outs.slice(nK))];
}
