// A matmul kernel's operands: each a kernel input, or a strided view of one (reshapes,
// transposes and slices composed: codegen/stridedView.ts), and what the vec4 path needs to read
// them: their batch's start and their row and column strides in the source buffer.

import type { Eqn, Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import type { FusionGroup } from "./kernelPlan.js";
import type { MatmulShape } from "./matmulConfig.js";
import { viewChain } from "./convOperands.js";
import { contiguousView, inVec4Units, readingOf, viewThrough, type StridedView } from "./stridedView.js";

export interface Operand {
  readonly pos: number;
  readonly transposed: boolean;
  readonly source: Var;
  /** The operand as a view of the source's buffer, in elements. */
  readonly view: StridedView;
}

/** The matmul of a group, its operands as the vec4 path can read them, and its shape class. */
export interface MatmulAnalysis {
  readonly mm: Eqn;
  readonly shape: MatmulShape;
  readonly opA: Operand | null;
  readonly opB: Operand | null;
}

export function analyzeMatmul(group: FusionGroup): MatmulAnalysis {
  const mms = group.eqns.filter((e) => e.prim === "matmul");
  if (mms.length !== 1)
    throw new Error(`codegen: a matmul kernel holds exactly one matmul, group ${group.id} has ${mms.length}`);
  const mm = mms[0]!;
  const [a, b] = [mm.inputs[0]! as Var, mm.inputs[1]! as Var];
  const out = mm.outputs[0]!;
  const rank = out.aval.shape.length;
  const inputPos = (v: Var) => group.inputs.findIndex((x) => x.id === v.id);
  const isOutput = (v: Var) => group.outputs.some((o) => o.id === v.id);
  // An operand the vec4 path can load: a kernel input, or a view of one (reshapes, transposes
  // and slices composed into strides: w of [d] as [d, 1], x.T, a head split), each value of the
  // chain read by nothing else in the kernel. The input itself may be read by both operands'
  // chains (q and kᵀ sliced from one qkv buffer): both read it as vec4s. (convOperands.ts
  // viewChain walks the chain.)
  const [ca, cb] = [viewChain(group, mm, a), viewChain(group, mm, b)];
  const firstReader = (c: { chain: Eqn[] }) => c.chain[0] ?? mm;
  const operand = (c: { chain: Eqn[]; source: Var } | null): Operand | null => {
    if (!c) return null;
    const { chain, source } = c;
    const readers = [ca, cb].flatMap((x) => (x?.source.id === source.id ? [firstReader(x)] : []));
    const readOnlyThere =
      !isOutput(source) &&
      group.eqns.every((e) => readers.includes(e) || !e.inputs.some((x) => x.kind === "var" && x.id === source.id));
    if (!readOnlyThere) return null;
    const view = chain.length ? viewThrough(chain) : contiguousView(source.aval.shape);
    const reading = view && readingOf(view);
    if (!view || !reading) return null;
    return { pos: inputPos(source), transposed: reading === "swapped", source, view };
  };
  const opA = operand(ca),
    opB = operand(cb);
  const shape: MatmulShape = {
    dtype: out.aval.dtype,
    batch: sizeOf(out.aval.shape.slice(0, rank - 2)),
    m: a.aval.shape[rank - 2]!,
    k: a.aval.shape[rank - 1]!,
    n: b.aval.shape[rank - 1]!,
    aTransposed: opA?.transposed ?? false,
    bTransposed: opB?.transposed ?? false,
  };
  return { mm, shape, opA, opB };
}

/** Whether the vec4 path can read both operands: views of kernel inputs in vec4 units (every
 *  stride but the unit one, and the offset, multiples of 4), float32, K a multiple of 4, and N
 *  (or, for a transposed A, M) too. */
export function vec4PathApplies(s: MatmulShape, opA: Operand | null, opB: Operand | null): boolean {
  const inVec4s = (o: Operand, unitAxis: number) =>
    sizeOf(o.source.aval.shape) % 4 === 0 && inVec4Units(o.view, unitAxis);
  const r = opA?.view.shape.length ?? 0;
  return (
    opA !== null &&
    opB !== null &&
    s.dtype === "float32" &&
    s.k % 4 === 0 &&
    (!opA.transposed || s.m % 4 === 0) &&
    (opB.transposed || s.n % 4 === 0) &&
    inVec4s(opA, opA.transposed ? r - 2 : r - 1) &&
    inVec4s(opB, opB.transposed ? r - 2 : r - 1)
  );
}

/** The vec4 index in `o`'s source of its batch `bzu`'s first element, as the start of a u32 WGSL
 *  sum ("bzu * 512u + ", or "" for none): batch coordinates unravelled from the flat batch
 *  index, each times its stride. */
function batchBase(o: Operand, batchShape: readonly number[]): string {
  const terms = [`${o.view.offset / 4}u`];
  let rest = "bzu";
  for (let k = batchShape.length - 1; k >= 0; k--) {
    const n = batchShape[k]!;
    const coord = k === 0 ? rest : `(${rest} % ${n}u)`;
    const stride = o.view.strides[k]! / 4;
    if (n > 1 && stride !== 0) terms.push(`${coord} * ${stride}u`);
    rest = `(${rest} / ${n}u)`;
  }
  const nonZero = terms[0] === "0u" ? terms.slice(1) : terms;
  return nonZero.map((t) => `${t} + `).join("");
}

/** An operand's place in its source, for the vec4 path: the vec4 index of its batch's first
 *  element, and the strides (in elements) between its rows and between its columns. */
export interface OperandLayout {
  readonly transposed: boolean;
  readonly base: string;
  readonly rows: number;
  readonly cols: number;
}

export function operandLayout(o: Operand, batchShape: readonly number[]): OperandLayout {
  const r = o.view.shape.length;
  // An axis of size 1 is never stepped, so its stride may be anything (inVec4Units allows it, a
  // [n, 1] column transposed to [1, n] has row stride 1): read as 0, not as a fraction of a vec4.
  const stride = (axis: number) => (o.view.shape[axis] === 1 ? 0 : o.view.strides[axis]!);
  return {
    transposed: o.transposed,
    base: batchBase(o, batchShape),
    rows: stride(r - 2),
    cols: stride(r - 1),
  };
}
