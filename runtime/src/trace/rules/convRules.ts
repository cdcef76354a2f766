// Derivative and batching rules of conv (lax.conv_general_dilated in NC.../OI... layout). The
// transposes are convolutions again, after JAX's _conv_general_dilated_transpose_lhs / _rhs:
// the input's cotangent convolves the output's cotangent with the flipped kernel (strides and
// lhs dilation swapped), the kernel's convolves the input with the output's cotangent.

import type { ConvParams } from "../../ir/types.js";
import { dilateDim } from "../../ops/indexConvShapes.js";
import * as L from "./lax.js";
import type { Val } from "./lax.js";
import { addT, conv, reverse, type BatchDim, type Tangent } from "./laxIndexConv.js";

type Cot = Val | null;

export function convJvp(p: ConvParams, x: readonly Val[], t: readonly Tangent[]): Tangent[] {
  const [lhs, rhs] = [x[0]!, x[1]!];
  const [tl, tr] = [t[0] ?? null, t[1] ?? null];
  return [addT(tl === null ? null : conv(tl, rhs, p), tr === null ? null : conv(lhs, tr, p))];
}

export function convVjp(p: ConvParams, x: readonly Val[], ct: Val, needs: readonly boolean[]): Cot[] {
  const [lhs, rhs] = [x[0]!, x[1]!];
  return [needs[0] ? transposeLhs(p, lhs, rhs, ct) : null, needs[1] ? transposeRhs(p, lhs, rhs, ct) : null];
}

const spatial = (v: Val): number[] => v.aval.shape.slice(2);

function transposeLhs(p: ConvParams, lhs: Val, rhs: Val, ct: Val): Val {
  const G = p.groups;
  const [O, Cg] = [rhs.aval.shape[0]!, rhs.aval.shape[1]!];
  const k = spatial(rhs);
  const ns = k.length;
  // [O, Cg, k] -> [G, O/G, Cg, k] -> [G, Cg, O/G, k] -> [C, O/G, k]: the kernel read backwards.
  let w = L.reshape(rhs, [G, O / G, Cg, ...k]);
  w = L.transpose(w, [0, 2, 1, ...k.map((_, i) => 3 + i)]);
  w = L.reshape(w, [G * Cg, O / G, ...k]);
  for (let d = 0; d < ns; d++) w = reverse(w, 2 + d);
  const inSp = spatial(lhs),
    outSp = spatial(ct);
  const padLow: number[] = [],
    padHigh: number[] = [];
  for (let d = 0; d < ns; d++) {
    const lhsD = dilateDim(inSp[d]!, p.lhsDilation[d]!);
    const rhsD = dilateDim(k[d]!, p.rhsDilation[d]!);
    const outD = dilateDim(outSp[d]!, p.strides[d]!);
    const before = rhsD - p.padLow[d]! - 1;
    padLow.push(before);
    padHigh.push(lhsD + rhsD - 1 - outD - before);
  }
  return conv(ct, w, {
    strides: [...p.lhsDilation],
    padLow,
    padHigh,
    lhsDilation: [...p.strides],
    rhsDilation: [...p.rhsDilation],
    groups: G,
  });
}

function transposeRhs(p: ConvParams, lhs: Val, rhs: Val, ct: Val): Val {
  const G = p.groups;
  if (G > 1) {
    // One transpose per group, concatenated along the output features.
    const [N, C] = [lhs.aval.shape[0]!, lhs.aval.shape[1]!];
    const O = ct.aval.shape[1]!;
    const parts: Val[] = [];
    for (let g = 0; g < G; g++) {
      const lg = L.slice(lhs, [0, (g * C) / G, ...spatial(lhs).map(() => 0)], [N, ((g + 1) * C) / G, ...spatial(lhs)]);
      const cg = L.slice(ct, [0, (g * O) / G, ...spatial(ct).map(() => 0)], [N, ((g + 1) * O) / G, ...spatial(ct)]);
      const rg = L.slice(
        rhs,
        [(g * O) / G, 0, ...spatial(rhs).map(() => 0)],
        [((g + 1) * O) / G, rhs.aval.shape[1]!, ...spatial(rhs)],
      );
      parts.push(transposeRhs({ ...p, groups: 1 }, lg, rg, cg));
    }
    return L.concatenate(parts, 0);
  }
  const ns = spatial(lhs).length;
  const swap01 = [1, 0, ...Array.from({ length: ns }, (_, i) => 2 + i)];
  const inSp = spatial(lhs),
    k = spatial(rhs),
    outSp = spatial(ct);
  const padLow = [...p.padLow],
    padHigh: number[] = [];
  for (let d = 0; d < ns; d++) {
    const lhsD = dilateDim(inSp[d]!, p.lhsDilation[d]!);
    const rhsD = dilateDim(k[d]!, p.rhsDilation[d]!);
    const outD = dilateDim(outSp[d]!, p.strides[d]!);
    padHigh.push(outD - lhsD + (rhsD - padLow[d]! - 1));
  }
  // lhs as [C, N, sp] (batch C, features N), the cotangent as a kernel [O, N, out]: -> [C, O, k].
  const r = conv(L.transpose(lhs, swap01), L.transpose(ct, swap01), {
    strides: [...p.rhsDilation],
    padLow,
    padHigh,
    lhsDilation: [...p.lhsDilation],
    rhsDilation: [...p.strides],
    groups: 1,
  });
  return L.transpose(r, swap01);
}

export function convBatch(
  p: ConvParams,
  xs: readonly Val[],
  bdims: readonly BatchDim[],
  size: number,
): [Val, BatchDim] {
  const [lhs, rhs] = [xs[0]!, xs[1]!];
  const [bl, br] = [bdims[0] ?? null, bdims[1] ?? null];
  if (br === null) {
    // Fold the batch into N.
    const l = L.moveAxis(lhs, bl!, 0);
    const s = l.aval.shape;
    const out = conv(L.reshape(l, [size * s[1]!, ...s.slice(2)]), rhs, p);
    const os = out.aval.shape;
    return [L.reshape(out, [size, s[1]!, ...os.slice(1)]), 0];
  }
  // A batched kernel: each example is its own group of features (B·G groups).
  const l =
    bl === null
      ? L.broadcast(
          lhs,
          [size, ...lhs.aval.shape],
          lhs.aval.shape.map((_, i) => i + 1),
        )
      : L.moveAxis(lhs, bl, 0); // [B, N, C, sp]
  const s = l.aval.shape;
  const lt = L.reshape(L.moveAxis(l, 0, 1), [s[1]!, size * s[2]!, ...s.slice(3)]); // [N, B·C, sp]
  const r = L.moveAxis(rhs, br, 0); // [B, O, Cg, k]
  const rs = r.aval.shape;
  const rr = L.reshape(r, [size * rs[1]!, ...rs.slice(2)]);
  const out = conv(lt, rr, { ...p, groups: p.groups * size }); // [N, B·O, out]
  const os = out.aval.shape;
  return [L.reshape(out, [os[0]!, size, rs[1]!, ...os.slice(2)]), 1];
}
