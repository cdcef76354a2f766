// A row's max and its sum of exp(x − max) in one loop: the online softmax (Milakov and
// Gimelshein, 2018). Softmax, log-softmax and a log-sum-exp reduce the row to its max, then sum
// exp(x − max): two loops over the row, the second waiting for the first's result. Here each
// lane keeps a running max m and a sum s rescaled to it as m grows, s·exp(m − m′), four loads a
// step so the rescaling costs a quarter of an exp per element; the lanes' partials are merged
// after. One loop and one read of the row fewer, a quarter exp per element more: which wins
// depends on the adapter, so the autotuner decides (tuneSpaces.ts rowSpace; the default keeps
// the two loops). On lavapipe's AVX-512 CPU this loop ran softmax [4096, 1024] 1.10–1.12×,
// log-softmax 1.22–1.24× faster than the two loops, and 128-wide rows 1.30–1.34× slower (they
// fit in registers: one exp per element against 2.25; bench/dev/row_online.ts, 2026-12-03); a
// hand version ran 1.46× slower on the VM's previous CPU. This file finds the pattern and
// writes its loop for lowerRowLocal.ts.

import type { Atom, Eqn, Var } from "../ir/types.js";
import { nanCheckNeeded } from "./rowNanCheck.js";
import { isFullShape, rowProducers, type RowGeometry } from "./rowLocal.js";
import type { ValueWriter } from "./valueWriter.js";
import { scalarLiteral } from "./wgslTypes.js";

/** Reduction `max` (the row's max of a) and reduction `max + 1` (Σ exp(a − max)), indices into
 *  geo.reductions. */
export interface RowOnline {
  readonly max: number;
}

/** Loads per lane per step of the online loop: one rescale (an exp) per this many. */
export const ONLINE_UNROLL = 4;

/** The first reduce_max whose next reduction sums exp(a − max) over the same a, or null; null
 *  too where the max needs its NaN bookkeeping (rowNanCheck.ts), which the online loop leaves
 *  out. */
export function rowOnline(eqns: readonly Eqn[], outputs: readonly Var[], geo: RowGeometry): RowOnline | null {
  const { made, through } = rowProducers(eqns);
  for (let k = 0; k + 1 < geo.reductions.length; k++) {
    const [max, sum] = [geo.reductions[k]!, geo.reductions[k + 1]!];
    if (max.prim !== "reduce_max" || sum.prim !== "reduce_sum") continue;
    const a = max.inputs[0];
    if (a?.kind !== "var" || a.aval.dtype !== "float32") continue;
    const exp = made(sum.inputs[0]);
    const sub = made(exp?.prim === "exp" ? exp.inputs[0] : undefined);
    if (sub?.prim !== "sub" || !isFullShape(sub.outputs[0]!.aval.shape, geo.full)) continue;
    const [x, m] = sub.inputs;
    const t = through(m);
    if (x?.kind !== "var" || x.id !== a.id || t?.kind !== "var" || t.id !== max.outputs[0]!.id) continue;
    return nanCheckNeeded(eqns, outputs, geo, max) ? null : { max: k };
  }
  return null;
}

/**
 * Reductions k (max a) and k + 1 (Σ exp(a − max)) in one loop over this lane's share of the row
 * (`per` loads, lane `L`-strided, at most `end` loads per row), into `r${k}` and `r${k + 1}`.
 * Exactly the two loops' results, −inf and +inf included: where everything seen so far is −inf
 * the exps are taken against 0 (exp(−inf) = 0, not exp(−inf − −inf) = NaN), and a row of −inf
 * sums to NaN, as Σ exp(−inf − −inf) does. A NaN makes the sum NaN; the max is then unspecified
 * (WGSL's max), which is why rowOnline() finds no pattern where the max needs NaN bookkeeping.
 */
export function onlineLoop(
  w: ValueWriter,
  a: Atom,
  k: number,
  geo: { width: 1 | 4; loadsPerRow: number; lanes: number; per: number; end: string; exact: boolean },
): string[] {
  const { width, loadsPerRow: n, lanes: L, per, end, exact } = geo;
  const U = ONLINE_UNROLL;
  const vt = width === 4 ? "vec4<f32>" : "f32";
  const ut = width === 4 ? "vec4<u32>" : "u32";
  const negInf = `${vt}(${scalarLiteral(-Infinity, "float32")})`;
  /** `v` where it is not −inf, else 0 (compared by bits: a float compare with −inf may be folded). */
  const finiteBase = (v: string) => `select(${v}, ${vt}(0.0), bitcast<${ut}>(${v}) == ${ut}(0xff800000u))`;
  const [m, s] = [`om${k}`, `os${k}`];
  const lines = [`var ${m} = ${negInf};`, `var ${s} = ${vt}(0.0);`];
  const body: string[] = [];
  const xs: string[] = [];
  for (let u = 0; u < U; u++) {
    const x = `ox${k}_${u}`;
    xs.push(x);
    w.pushScope();
    w.emit(`let j = lane + (jj + ${u}) * ${L};`);
    w.emit(`let i = row * ${n} + j;`);
    w.knownIndices.set(`i / ${n}`, "row").set(`i % ${n}`, "j");
    w.emit(`${x} = ${w.value(a, { kind: "flat", index: "i", width })};`);
    w.knownIndices.delete(`i / ${n}`);
    w.knownIndices.delete(`i % ${n}`);
    const inner = w.popScope();
    // A load past the lane's share (the row's length not a multiple of U·L) stays −inf: it adds
    // exp(−inf − m) = 0 and never raises the max.
    body.push(`var ${x} = ${negInf};`);
    body.push(...(exact ? ["{", ...inner.map((l) => `  ${l}`), "}"] : guarded(inner, end)));
  }
  const mn = `on${k}`;
  const base = `ob${k}`;
  body.push(
    `let ${mn} = max(${m}, max(max(${xs[0]}, ${xs[1]}), max(${xs[2]}, ${xs[3]})));`,
    `let ${base} = ${finiteBase(mn)};`,
    `${s} = ${s} * exp(${m} - ${base}) + ${xs.map((x) => `exp(${x} - ${base})`).join(" + ")};`,
    `${m} = ${mn};`,
  );
  const steps = Math.ceil(per / U) * U;
  lines.push(`for (var jj = 0; jj < ${steps}; jj = jj + ${U}) {`, ...body.map((l) => `  ${l}`), "}");
  // The lane's components, then the subgroup: each partial sum rescaled to the row's max.
  const fold = (f: (x: string, y: string) => string, v: string) =>
    width === 4 ? f(f(`${v}.x`, `${v}.y`), f(`${v}.z`, `${v}.w`)) : v;
  const rb = `orb${k}`;
  // One lane per row has nothing to merge.
  const across = (op: string, x: string) => (L === 1 ? x : `${op}(${x})`);
  lines.push(
    `var r${k} = ${across(
      "subgroupMax",
      fold((x, y) => `max(${x}, ${y})`, m),
    )};`,
    `let ${rb} = select(r${k}, 0.0, bitcast<u32>(r${k}) == 0xff800000u);`,
    `let ol${k} = ${s} * exp(${m} - ${vt}(${rb}));`,
    `var r${k + 1} = ${across(
      "subgroupAdd",
      fold((x, y) => `${x} + ${y}`, `ol${k}`),
    )};`,
    // A row of −inf: the two loops sum exp(−inf − −inf), NaN.
    `if (bitcast<u32>(r${k}) == 0xff800000u) { r${k + 1} = ${scalarLiteral(NaN, "float32")}; }`,
  );
  return lines;
}

/** `inner` run only where its load `j` lies in the row (`j < end`). */
function guarded(inner: readonly string[], end: string): string[] {
  const [first, ...rest] = inner; // `let j = …;` first: the test needs it
  return ["{", `  ${first}`, `  if (j < ${end}) {`, ...rest.map((l) => `    ${l}`), "  }", "}"];
}
