// The CPU reference of the control-flow primitives: the body program interpreted once per
// iteration with the other primitives' reference. Values are read synchronously, so `while`
// simply tests its condition each time (the oracle for the WebGPU strategy in
// backend/webgpuLoop.ts).

import { sizeOf, type Atom, type Aval, type Primitive, type PrimParams, type Program } from "../ir/types.js";
import { allocateDtype, litValue, type HostValue } from "./cpuValue.js";

/** cpuApply, passed in by ops/cpu.ts (importing it here would be a cycle). */
export type ApplyFn = (
  prim: Primitive,
  params: PrimParams[Primitive],
  ins: readonly HostValue[],
  outAvals: readonly Aval[],
) => HostValue[];

/** Interprets `program` on host values. */
export function interpretProgram(program: Program, ins: readonly HostValue[], apply: ApplyFn): HostValue[] {
  const env = new Map<number, HostValue>();
  program.inputs.forEach((v, i) => env.set(v.id, ins[i]!));
  const atom = (a: Atom): HostValue => {
    if (a.kind === "lit") return litValue(a);
    const v = env.get(a.id);
    if (!v) throw new Error(`internal: ${program.name} reads v${a.id} before it is defined`);
    return v;
  };
  for (const e of program.eqns) {
    const outs = apply(
      e.prim,
      e.params,
      e.inputs.map(atom),
      e.outputs.map((o) => o.aval),
    );
    e.outputs.forEach((o, i) => env.set(o.id, outs[i]!));
  }
  return program.outputs.map(atom);
}

/** Row `t` of a stacked value (a view would do, but the body may keep it: copy). */
function row(x: HostValue, t: number): HostValue {
  const shape = x.shape.slice(1);
  const n = sizeOf(shape);
  return { data: x.data.slice(t * n, (t + 1) * n), shape, dtype: x.dtype };
}

export function cpuScan(p: PrimParams["scan"], ins: readonly HostValue[], apply: ApplyFn): HostValue[] {
  const { body, numConsts, numCarry, length, reverse } = p;
  const consts = ins.slice(0, numConsts);
  let carry = ins.slice(numConsts, numConsts + numCarry);
  const xs = ins.slice(numConsts + numCarry);
  const yAvals = body.outputs.slice(numCarry).map((o) => o.aval);
  const ys = yAvals.map((a) => allocateDtype(a.dtype, length * sizeOf(a.shape)));
  for (let i = 0; i < length; i++) {
    const t = reverse ? length - 1 - i : i;
    const outs = interpretProgram(body, [...consts, ...carry, ...xs.map((x) => row(x, t))], apply);
    carry = outs.slice(0, numCarry);
    outs.slice(numCarry).forEach((y, j) => ys[j]!.set(y.data, t * sizeOf(yAvals[j]!.shape)));
  }
  return [
    ...carry.map((c) => ({ ...c, data: c.data.slice() })),
    ...ys.map((data, j) => ({ data, shape: [length, ...yAvals[j]!.shape], dtype: yAvals[j]!.dtype })),
  ];
}

export function cpuWhile(p: PrimParams["while"], ins: readonly HostValue[], apply: ApplyFn): HostValue[] {
  const condConsts = ins.slice(0, p.condConsts);
  const bodyConsts = ins.slice(p.condConsts, p.condConsts + p.bodyConsts);
  let carry = ins.slice(p.condConsts + p.bodyConsts);
  while (interpretProgram(p.cond, [...condConsts, ...carry], apply)[0]!.data[0]) {
    carry = interpretProgram(p.body, [...bodyConsts, ...carry], apply);
  }
  return carry.map((c) => ({ ...c, data: c.data.slice() }));
}
