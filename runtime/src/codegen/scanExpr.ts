// cumsum / cumprod inside an elementwise-style kernel: the value at an output element is a loop
// over its row, up to (or, reversed, from) its own position. Each thread does O(n) work for a
// row of n, so a row costs O(n²) in all but every element is independent (no second pass, no
// workgroup barrier) and the scan fuses with the ops that read it. Its input is read from memory
// (fuse materialises a computed input before a "move" op), so the loop body is one load.

import type { Eqn, PrimParams } from "../ir/types.js";
import type { IndexWriter } from "./indexValues.js";
import { indent } from "./module.js";
import { scalarLiteral } from "./wgslTypes.js";

export function cumulativeExpr(w: IndexWriter, eqn: Eqn, idx: readonly string[]): string {
  const { op, axis, reverse } = eqn.params as PrimParams["cumulative"];
  const x = eqn.inputs[0]!;
  const n = x.aval.shape[axis]!;
  const dtype = eqn.outputs[0]!.aval.dtype;
  const acc = w.fresh("acc");
  const k = w.fresh("k");
  w.emit(`var ${acc} = ${scalarLiteral(op === "sum" ? 0 : 1, dtype)};`);
  const [from, cond] = reverse ? [idx[axis]!, `${k} < ${n}`] : ["0", `${k} <= ${idx[axis]!}`];
  w.emit(`for (var ${k} = ${from}; ${cond}; ${k}++) {`);
  w.pushScope();
  const at = [...idx];
  at[axis] = k;
  const v = w.value(x, { kind: "nd", idx: at });
  w.emit(`${acc} = ${acc} ${op === "sum" ? "+" : "*"} ${v};`);
  for (const line of indent(w.popScope())) w.emit(line);
  w.emit("}");
  return acc;
}
