// Shape rules of the control-flow primitives (scan, while): the operands must match the body's
// inputs (the front end traced the body on them, so a mismatch is an internal error or a
// transformation bug, reported as such). ops/shapeRules.ts delegates here.

import { JitScopeError } from "../ir/errors.js";
import { avalToString, type Aval, type PrimParams } from "../ir/types.js";

const err = (kind: "shape" | "dtype", message: string) => new JitScopeError(kind, message);

function sameAvalAs(a: Aval, b: Aval): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

export function scanAvals(p: PrimParams["scan"], ins: readonly Aval[]): Aval[] {
  const { body, numConsts, numCarry, length } = p;
  if (ins.length !== body.inputs.length)
    throw err("shape", `scan: ${ins.length} operands for a body of ${body.inputs.length} inputs`);
  ins.forEach((a, i) => {
    const want = body.inputs[i]!.aval;
    const got = i < numConsts + numCarry ? a : { shape: a.shape.slice(1), dtype: a.dtype };
    if (i >= numConsts + numCarry && a.shape[0] !== length) {
      throw err(
        "shape",
        `scan: xs ${i - numConsts - numCarry} has ${a.shape[0] ?? "no"} rows on axis 0 but length is ${length}`,
      );
    }
    if (!sameAvalAs(got, want))
      throw err("shape", `scan: operand ${i} is ${avalToString(a)} but the body takes ${avalToString(want)}`);
  });
  const outs = body.outputs.map((o) => o.aval);
  outs.slice(0, numCarry).forEach((o, i) => {
    const init = ins[numConsts + i]!;
    if (!sameAvalAs(o, init)) {
      throw err(
        "shape",
        `scan: the body returns carry ${i} as ${avalToString(o)} but it came in as ${avalToString(init)}; a carry keeps its shape and dtype`,
      );
    }
  });
  return [
    ...outs.slice(0, numCarry),
    ...outs.slice(numCarry).map((o) => ({ shape: [length, ...o.shape], dtype: o.dtype })),
  ];
}

export function whileAvals(p: PrimParams["while"], ins: readonly Aval[]): Aval[] {
  const carry = ins.slice(p.condConsts + p.bodyConsts);
  const pred = p.cond.outputs[0]?.aval;
  if (p.cond.outputs.length !== 1 || !pred || pred.dtype !== "bool" || pred.shape.length !== 0) {
    throw err(
      "dtype",
      `while_loop: cond_fun must return one boolean scalar, got ${p.cond.outputs.map((o) => avalToString(o.aval)).join(", ") || "nothing"}`,
    );
  }
  const outs = p.body.outputs.map((o) => o.aval);
  if (outs.length !== carry.length || outs.some((o, i) => !sameAvalAs(o, carry[i]!))) {
    throw err(
      "shape",
      `while_loop: body_fun returns (${outs.map(avalToString).join(", ")}) but the carry is (${carry.map(avalToString).join(", ")}); a carry keeps its shapes and dtypes`,
    );
  }
  return outs;
}
