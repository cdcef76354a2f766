// The CPU reference of every primitive: plain TypeScript on typed arrays, row-major, NumPy
// semantics. The oracle of the tests and the fallback backend's engine (backend/cpu.ts).

import type { Aval, Primitive, PrimParams } from "../ir/types.js";
import { cpuBinary, cpuCast, cpuCompare, cpuUnary, cpuWhere } from "./cpuElementwise.js";
import { cpuArg, cpuReduce } from "./cpuReduce.js";
import { cpuBroadcast, cpuConcatenate, cpuPad, cpuReshape, cpuSlice, cpuTranspose } from "./cpuLayout.js";
import { cpuConv, cpuGather, cpuScatter, cpuScatterSorted } from "./cpuIndexConv.js";
import { cpuMatmul } from "./cpuMatmul.js";
import { cpuFoldIn, cpuIota, cpuRandom } from "./cpuCreate.js";
import { cpuScan, cpuWhile } from "./cpuLoops.js";
import type { HostValue } from "./cpuValue.js";
import { cpuCholesky, cpuLu, cpuTriangularSolve } from "./cpuLinalg.js";
import { cpuBitcast, cpuBitwise } from "./cpuBits.js";
import { cpuCumulative, cpuRev, cpuSort, cpuSurfaceUnary } from "./cpuSurface.js";

export type { HostValue } from "./cpuValue.js";

/** Applies `prim` to host values. `outAvals` come from shapeRules.inferAvals. */
export function cpuApply<P extends Primitive>(
  prim: P,
  params: PrimParams[P],
  ins: readonly HostValue[],
  outAvals: readonly Aval[],
): HostValue[] {
  const out = outAvals[0]!;
  const p = params as PrimParams[Primitive];
  const x = ins[0]!;
  const prim_ = prim as Primitive;
  switch (prim_) {
    case "neg":
    case "abs":
    case "sqrt":
    case "exp":
    case "log":
    case "sin":
    case "cos":
    case "tanh":
    case "erf":
    case "erfc":
    case "sign":
    case "logical_not":
      return [cpuUnary(prim_, x, out)];
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "pow":
    case "atan2":
    case "max":
    case "min":
      return [cpuBinary(prim_, x, ins[1]!, out)];
    case "gt":
    case "ge":
    case "lt":
    case "le":
    case "eq":
    case "ne":
      return [cpuCompare(prim_, x, ins[1]!, out)];
    case "where":
      return [cpuWhere(x, ins[1]!, ins[2]!, out)];
    case "optimization_barrier":
      return [cpuReshape(x, out)]; // a copy of x; the token is only a dependency
    case "cast":
      return [cpuCast(x, out)];
    case "bitwise_and":
    case "bitwise_or":
    case "bitwise_xor":
    case "shift_left":
    case "shift_right_arithmetic":
      return [cpuBitwise(prim_, x, ins[1]!, out)];
    case "bitcast_convert":
      return [cpuBitcast(x, out)];
    case "random_uniform":
    case "random_bits":
      return [cpuRandom(prim_, x, out)];
    case "random_fold_in":
      return [cpuFoldIn(x, ins[1]!, out)];
    case "iota":
      return [cpuIota((p as PrimParams["iota"]).axis, out)];
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min":
      return [cpuReduce(prim_, x, (p as PrimParams["reduce_sum"]).axes, out)];
    case "argmax":
    case "argmin":
      return [cpuArg(prim_, x, (p as PrimParams["argmax"]).axis, out)];
    case "reshape":
      return [cpuReshape(x, out)];
    case "transpose":
      return [cpuTranspose(x, (p as PrimParams["transpose"]).perm, out)];
    case "broadcast":
      return [cpuBroadcast(x, (p as PrimParams["broadcast"]).dims, out)];
    case "slice": {
      const s = p as PrimParams["slice"];
      return [cpuSlice(x, s.starts, s.strides, out)];
    }
    case "pad": {
      const s = p as PrimParams["pad"];
      return [cpuPad(x, s.low, s.value, out)];
    }
    case "concatenate":
      return [cpuConcatenate(ins, (p as PrimParams["concatenate"]).axis, out)];
    case "matmul":
      return [cpuMatmul(x, ins[1]!, out)];
    case "gather":
      return [cpuGather(x, ins[1]!, (p as PrimParams["gather"]).axis, out)];
    case "scatter": {
      const s = p as PrimParams["scatter"];
      return [cpuScatter(x, ins[1]!, ins[2]!, s.axis, s.mode, out)];
    }
    case "scatter_sorted": {
      const s = p as PrimParams["scatter_sorted"];
      return [cpuScatterSorted(x, ins[1]!, ins[2]!, ins[3]!, s.axis, s.mode, out)];
    }
    case "conv":
      return [cpuConv(x, ins[1]!, p as PrimParams["conv"], out)];
    case "floor":
    case "ceil":
    case "round":
    case "is_nan":
    case "log1p":
    case "expm1":
      return [cpuSurfaceUnary(prim_, x, out)];
    case "rev":
      return [cpuRev(x, (p as PrimParams["rev"]).axes, out)];
    case "cumulative":
      return [cpuCumulative(x, p as PrimParams["cumulative"], out)];
    case "sort":
      return [cpuSort(x, ins[1]!, p as PrimParams["sort"], out)];
    case "cholesky":
      return [cpuCholesky(x, out)];
    case "triangular_solve":
      return [cpuTriangularSolve(x, ins[1]!, p as PrimParams["triangular_solve"], out)];
    case "lu":
      return [cpuLu(x, out)];
    case "scan":
      return cpuScan(p as PrimParams["scan"], ins, cpuApply);
    case "while":
      return cpuWhile(p as PrimParams["while"], ins, cpuApply);
    case "psum":
    case "pmax":
    case "pmin":
    case "axis_index":
    case "all_gather":
    case "ppermute":
      throw new Error(`internal: ${prim_} reached the CPU backend (vmap replaces it with a reduction)`);
    default:
      return prim_ satisfies never;
  }
}
