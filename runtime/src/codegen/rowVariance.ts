// A row's mean and variance in one pass. Layer norm (and np.var) sums the row, u, then sums the
// squares of its deviations from the mean, (u − Σu/C)²: two loops over the row, the second
// waiting for the first's result. Welford's update keeps a running mean and sum of squared
// deviations per lane in the first loop instead, and the lanes' partials are merged exactly
// (Chan et al.): one loop fewer, each element read once less. As stable as the two passes (no
// E[u²] − E[u]² cancellation); its sums differ from theirs by float32 rounding only.
// Measured on lavapipe, [4096, 1024]: layer norm 2.74–2.94 ms against 3.35–3.43 ms with the two
// loops (vec4 copy 1.98–2.09 ms; two runs of bench/dev/layernorm_welford.ts, 11 interleaved
// rounds each). This file finds the pattern and writes its loop for lowerRowLocal.ts.

import type { Atom, Eqn } from "../ir/types.js";
import { rowProducers, type RowGeometry } from "./rowLocal.js";
import type { ValueWriter } from "./valueWriter.js";

/** Reduction `sum` (Σu) and reduction `sum + 1` (Σ(u − mean)²), indices into geo.reductions. */
export interface RowVariance {
  readonly sum: number;
}

const isLit = (a: Atom | undefined, value: number): boolean =>
  a?.kind === "lit" && Math.abs(a.value - value) <= 1e-6 * Math.abs(value);

/** The first reduce_sum whose next reduction sums the squared deviations from its mean, or null. */
export function rowVariance(eqns: readonly Eqn[], geo: RowGeometry): RowVariance | null {
  const { made, through } = rowProducers(eqns);
  for (let k = 0; k + 1 < geo.reductions.length; k++) {
    const [sum, squares] = [geo.reductions[k]!, geo.reductions[k + 1]!];
    if (sum.prim !== "reduce_sum" || squares.prim !== "reduce_sum") continue;
    const u = sum.inputs[0];
    if (u?.kind !== "var" || u.aval.dtype !== "float32") continue;
    // Σ(d · d) or Σ d², d = u − mean.
    const sq = made(squares.inputs[0]);
    const d =
      sq?.prim === "mul" && sq.inputs[0]?.kind === "var" && sq.inputs[0].id === (sq.inputs[1] as { id?: number }).id
        ? sq.inputs[0]
        : sq?.prim === "pow" && isLit(sq.inputs[1], 2)
          ? sq.inputs[0]
          : undefined;
    const dev = made(d);
    if (dev?.prim !== "sub" || dev.inputs[0]?.kind !== "var" || dev.inputs[0].id !== u.id) continue;
    // mean = Σu · (1/C) or Σu / C, through the keepdims reshape and the broadcast back.
    const scale = made(through(dev.inputs[1]));
    const sumOut = sum.outputs[0]!.id;
    const isSum = (a: Atom | undefined) => {
      const t = through(a);
      return t?.kind === "var" && t.id === sumOut;
    };
    const mean =
      (scale?.prim === "mul" &&
        ((isSum(scale.inputs[0]) && isLit(scale.inputs[1], 1 / geo.cols)) ||
          (isSum(scale.inputs[1]) && isLit(scale.inputs[0], 1 / geo.cols)))) ||
      (scale?.prim === "div" && isSum(scale.inputs[0]) && isLit(scale.inputs[1], geo.cols));
    if (mean) return { sum: k };
  }
  return null;
}

/**
 * Reductions k (Σu) and k + 1 (Σ(u − mean)²) in one loop over the row (`rowLoop` writes a loop
 * over this lane's share, its body at flat index `i`): per lane a count, a running mean and a
 * running sum of squared deviations (per component of a vec4), merged across the lanes after
 * into `r${k}` and `r${k + 1}`. The values are shifted by the row's first one, so a row far from
 * zero keeps its digits: its running mean stays near zero, where float32 is finest (rows near
 * 1000: variance within 2.3e-7 of a float64 reference, as the two passes; unshifted, 2e-5).
 */
export function welfordLoop(
  w: ValueWriter,
  rowLoop: (emit: () => void) => string[],
  u: Atom,
  k: number,
  width: 1 | 4,
  loadsPerRow: number,
  lanes: number,
): string[] {
  // One lane per row has nothing to merge.
  const add = (x: string) => (lanes === 1 ? `(${x})` : `subgroupAdd(${x})`);
  const vt = width === 4 ? "vec4<f32>" : "f32";
  const [c, m, q, sh] = [`wn${k}`, `wm${k}`, `wq${k}`, `ws${k}`];
  w.pushScope();
  const first = w.value(u, { kind: "flat", index: `row * ${loadsPerRow}`, width });
  w.emit(`let ${sh} = ${width === 4 ? `(${first}).x` : first};`);
  const lines = [...w.popScope(), `var ${c} = 0.0;`, `var ${m} = ${vt}(0.0);`, `var ${q} = ${vt}(0.0);`];
  lines.push(
    ...rowLoop(() => {
      w.emit(`let wx${k} = ${w.value(u, { kind: "flat", index: "i", width })} - ${vt}(${sh});`);
      w.emit(`${c} = ${c} + 1.0;`);
      w.emit(`let wd${k} = wx${k} - ${m};`);
      w.emit(`${m} = ${m} + wd${k} * (1.0 / ${c});`);
      w.emit(`${q} = ${q} + wd${k} * (wx${k} - ${m});`);
    }),
  );
  // Lanes that ran no iteration (a row shorter than the lanes, a spare subgroup) add nothing.
  const sumOf = (a: string) => (width === 4 ? `${a}.x + ${a}.y + ${a}.z + ${a}.w` : a);
  lines.push(
    `let wt${k} = ${add(width === 4 ? `${c} * 4.0` : c)};`,
    `let wa${k} = ${add(`${c} * (${sumOf(m)})`)} / wt${k};`,
    `let we${k} = ${m} - ${vt}(wa${k});`,
    `var r${k} = (${sh} + wa${k}) * wt${k};`,
    `var r${k + 1} = ${add(`${sumOf(q)} + ${c} * ${width === 4 ? `dot(we${k}, we${k})` : `we${k} * we${k}`}`)};`,
  );
  return lines;
}
