// A row-local group (codegen/rowLocal.ts) as one kernel: a subgroup of L lanes per row (L no
// wider than the device's smallest subgroup), or for short rows a thread per row (L = 1, no
// subgroup operations; rowConfig.ts says when). Lane l reads elements (or vec4s) l, l + L, … of
// its row: neighbouring lanes read neighbouring memory, which a CPU adapter turns into one
// contiguous SIMD load. Each reduction is a loop over the row folding into a per-lane
// accumulator, then subgroupAdd/Max/Min across the lanes (no workgroup memory, no barrier: both
// cost 30-130× on lavapipe). Values computed from reduction results at the row shape are
// computed once per row (a division by one becomes a multiply by its reciprocal); the last loop
// writes the full-shape outputs. An input several loops read (the row) is read once, into
// registers, where the lane's share is small (rowReuse.ts); else once per loop (from cache
// after the first: 4 KiB per row of 1024 floats). A row's sum and the sum of its squared
// deviations from the mean (layer norm, np.var) share one loop: Welford's update (rowVariance.ts).
//
// Where every subgroup is exactly L wide (lavapipe: 8), a workgroup takes 64 / L rows, one
// subgroup each, as the best hand kernels (bench/kernels/*_rows_subgroup.wgsl): a CPU adapter
// pays a workgroup's setup once per 8 rows instead of per row. A value the output loop needs
// that costs a transcendental to recompute (softmax's exp(x - max)) is computed once: kept in
// registers between the last two loops when a lane's share fits (in the row's own registers
// when the output loop needs only it), else stashed in the output.
//
// Measured on lavapipe, [4096,1024] f32, bench/dev/rows_subgroup.ts (15-61 interleaved runs
// each, 5 sessions between 11:30 and 12:20 UTC on a machine loaded 11-19 on 2 cores). The wall
// clock's spread was 0.05-5×, so these are medians of the process CPU time per call (lavapipe
// runs in-process; copy 8.8-10.6 ms): softmax 14.6-17.3 ms as one row kernel vs 18.1-21.0 as
// the three kernels without subgroups (copy/this 0.57-0.65× vs 0.47-0.52×), hand best
// 14.2-17.0 (0.59-0.66×); layer norm 11.1-13.3 vs 13.8-16.4 (0.75-0.80× vs 0.60-0.64×), hand
// best 10.7-12.3 (0.79-0.82×). Between variants of the row kernel (register cache or stash vs
// recomputing exp, 8 vs 1 rows per workgroup) the differences, 0-11%, were within the spread
// of one kernel timed under three names (12.2-13.3 ms): the choices here follow the hand
// kernels and the op counts (one exp per element, a workgroup's setup per 8 rows).

import type { Atom, Var } from "../ir/types.js";
import { anchoredName } from "./kernelName.js";
import { HIDDEN_BOUNDS_MAX_ROW_ELEMENTS, tripCount } from "./opaqueTripCount.js";
import { kernelFacts } from "./kernelFacts.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { assembleModule, entryPointFor, gridFor, indent } from "./module.js";
import { isFullShape, rowGeometry } from "./rowLocal.js";
import { cachedValues, outputLoopReads, rereadInputs } from "./rowReuse.js";
import { nanCheckNeeded } from "./rowNanCheck.js";
import { onlineLoop, rowOnline, ONLINE_UNROLL } from "./rowOnline.js";
import {
  ROW_CACHE_MAX_VEC4,
  ROW_INPUT_CACHE,
  ROW_INPUT_CACHE_MAX_VEC4,
  ROW_ONLINE,
  ROW_RPW_MAX,
  ROW_STASH,
  ROW_VEC4,
  ROW_WELFORD,
} from "./rowDevKnobs.js";
import { rowVariance, welfordLoop } from "./rowVariance.js";
import { ValueWriter } from "./valueWriter.js";
import { scalarLiteral, storeExpr } from "./wgslTypes.js";
import { defaultRowConfig, describeRowConfig, type RowConfig } from "./rowConfig.js";

const SUBGROUP_OP = { reduce_sum: "subgroupAdd", reduce_max: "subgroupMax", reduce_min: "subgroupMin" } as const;
type RowReduction = keyof typeof SUBGROUP_OP;

function initOf(prim: RowReduction): string {
  if (prim === "reduce_sum") return "0.0";
  return scalarLiteral(prim === "reduce_max" ? -Infinity : Infinity, "float32");
}

/** Folds `v` (of `width`) into `acc`. Max/min ignore NaN here: `bad` keeps the largest
 *  magnitude bits seen (above +inf's bits: a NaN), and the row's result is made NaN after the
 *  subgroup step, as the other reductions propagate it. Two cheap integer ops per load instead
 *  of two NaN tests and a select; none where the NaN reaches every output anyway (`bad` null:
 *  rowNanCheck.ts). */
function fold(prim: RowReduction, acc: string, v: string, width: 1 | 4, bad: string | null): string[] {
  if (prim === "reduce_sum") return [`${acc} = ${acc} + ${v};`];
  const op = prim === "reduce_max" ? "max" : "min";
  if (bad === null) return [`${acc} = ${op}(${acc}, ${v});`];
  const bits = width === 1 ? `bitcast<u32>(${v}) & 0x7fffffffu` : `bitcast<vec4<u32>>(${v}) & vec4<u32>(0x7fffffffu)`;
  return [`${acc} = ${op}(${acc}, ${v});`, `${bad} = max(${bad}, ${bits});`];
}

/** Ops whose recomputation in the output loop costs more than reloading a value from cache. */
const COSTLY = new Set(["exp", "log", "sin", "cos", "tanh", "pow", "atan2", "log1p", "expm1", "erf", "erfc"]);

/** `lanes`: the subgroup width a row may share. `config` (rowConfig.ts; the default when absent,
 *  the autotuner's choice when given, and then named in the WGSL header): lanes per row (the
 *  subgroup, or 1: a thread per row, no subgroup operations), rows per workgroup (with a
 *  subgroup per row > 1 only where every subgroup is exactly `lanes` wide: subgroupSupport.ts
 *  rowsPerWorkgroup()), and whether a row's max and its sum of exp(x − max) share one loop where
 *  the group has them (rowOnline.ts). */
export function lowerRowLocal(group: FusionGroup, lanes: number, name?: string, config?: RowConfig): KernelSpec {
  const geo = rowGeometry(group.eqns, group.inputs, group.outputs);
  if (typeof geo === "string") throw new Error(`codegen: group ${group.id} is not row-local: ${geo}`);
  const { rows, cols } = geo;
  const { rowsPerWorkgroup, online, lanes: perRow } = config ?? defaultRowConfig(cols, lanes);
  if (perRow !== 1 && perRow !== lanes)
    throw new Error(`codegen: a row kernel takes a row with 1 lane or the subgroup's ${lanes}, not ${perRow}`);
  const width = ROW_VEC4 ? geo.width : 1;
  const L = perRow;
  const n = width === 4 ? cols / 4 : cols; // loads per row
  const rpw = Math.max(1, Math.min(rowsPerWorkgroup, ROW_RPW_MAX, rows));
  const grid = gridFor(Math.ceil(rows / rpw));
  const w = new ValueWriter(group.eqns, group.inputs);
  const body: string[] = [];
  // With several rows per workgroup, the last workgroup's spare subgroups work on the last row
  // (reads stay in bounds) but loop over nothing and write nothing: no early return, so every
  // subgroup operation stays in the subgroup-uniform control flow WGSL asks for.
  const partial = rpw > 1 && rows % rpw !== 0;
  if (rpw === 1)
    body.push(`let row = i32(${grid.workgroupIndex});`, `if (row >= ${rows}) { return; }`, `let lane = i32(lid);`);
  else
    body.push(
      `let slot = ${grid.workgroupIndex} * ${rpw}u + lid / ${L}u;`,
      `let row = i32(min(slot, ${rows - 1}u));`,
      `let lane = i32(lid % ${L}u);`,
    );
  if (partial) body.push(`let live = slot < ${rows}u;`, `let rowEnd = select(0, ${n}, live);`);
  const end = partial ? "rowEnd" : `${n}`;
  const rowAt = { kind: "flat", index: "row", width: 1 } as const;
  const hoisted = new Set<number>();
  /** Row values at the row shape whose inputs are ready: computed once per row, before a loop. */
  const hoistRowValues = (ready: Set<number>) => {
    for (const e of group.eqns) {
      const o = e.outputs[0]!;
      if (hoisted.has(o.id) || !geo.rowValues.has(o.id) || geo.reductions.includes(e)) continue;
      if (isFullShape(o.aval.shape, geo.full)) continue; // per element: computed in the loops
      if (!e.inputs.every((a) => a.kind === "lit" || !geo.rowValues.has(a.id) || ready.has(a.id))) continue;
      w.value(o, rowAt);
      hoisted.add(o.id);
      ready.add(o.id);
    }
  };
  // Values the output loop needs that the last reduction's loop already computed (softmax's
  // exp(x - max)) are kept per lane in registers between the two loops,
  // when the lane's share of the row is small: the output loop then neither reloads nor
  // recomputes them. Loops count the lane's share (jj) so that the cache is indexed alike.
  const per = Math.ceil(n / L);
  const onl = online || ROW_ONLINE ? rowOnline(group.eqns, group.outputs, geo) : null;
  const producer = new Map(group.eqns.map((e) => [e.outputs[0]!.id, e] as const));
  const costly = (a: Atom, seen = new Set<number>()): boolean => {
    if (a.kind === "lit" || seen.has(a.id) || geo.reductions.some((r) => r.outputs[0]!.id === a.id)) return false;
    seen.add(a.id);
    const e = producer.get(a.id);
    return !!e && (COSTLY.has(e.prim) || e.inputs.some((x) => costly(x, seen)));
  };
  // Only values that cost a transcendental op to recompute are kept: layer norm's x - mean is
  // one subtraction from the reloaded row.
  const cached = cachedValues(group, geo);
  const fullOuts = group.outputs.filter((o) => isFullShape(o.aval.shape, geo.full));
  // The online loop computes no full-shape value to keep: the output loop recomputes exp(x − max).
  const worthKeeping = !onl && cached.length > 0 && cached.every((v) => costly(v));
  const cache = worthKeeping && per * cached.length <= ROW_CACHE_MAX_VEC4;
  // Inputs several loops read are read once, into registers, where they fit (rowReuse.ts); the
  // loops then read the registers. Beside that cache only in place: softmax's exp(x - max)
  // overwrites x's registers, which its output loop no longer reads. In place, softmax [4096,
  // 1024] read 0.85-0.91× of the copy on the H200 (3 bench runs) and 0.67-0.69× on lavapipe
  // (11 interleaved runs, twice) against 0.81-0.87× and 0.60× reading the row twice; in
  // separate arrays, 0.64-0.87× on the H200.
  const fullWidth = (v: Var) => (width === 4 && (geo.vec4Inputs.has(v.id) || fullOuts.includes(v)) ? 4 : 1);
  const rereads = rereadInputs(group, geo).filter((v) => fullWidth(v) === width);
  const inPlace =
    ROW_INPUT_CACHE &&
    cache &&
    cached.length === 1 &&
    rereads.length === 1 &&
    !outputLoopReads(group, geo, cached).has(rereads[0]!.id);
  const room = ROW_INPUT_CACHE && !cache && !onl ? Math.min(ROW_INPUT_CACHE_MAX_VEC4, ROW_CACHE_MAX_VEC4) : 0;
  const keptInputs = inPlace ? rereads : rereads.slice(0, Math.floor(room / per));
  /** The register array value `c` of `cached` is kept in (the input's own, in place). */
  const cacheArray = (c: number) => (inPlace ? "row0" : `cache${c}`);
  const counted = cache || keptInputs.length > 0;
  // A small kernel's loop bounds are hidden from the driver (opaqueTripCount.ts).
  const small = geo.full.reduce((a, d) => a * d, 1) <= HIDDEN_BOUNDS_MAX_ROW_ELEMENTS;
  /** A loop over this lane's share of the row; `emit` writes its body at flat index `i`. */
  const rowLoop = (emit: () => void): string[] => {
    w.pushScope();
    w.emit(`let i = row * ${n} + j;`);
    w.knownIndices.set(`i / ${n}`, "row").set(`i % ${n}`, "j");
    emit();
    w.knownIndices.delete(`i / ${n}`);
    w.knownIndices.delete(`i % ${n}`);
    const inner = w.popScope();
    if (!counted) {
      // The row's end is the loop's bound: hidden alike (4 such loops over rows of 32, unrolled,
      // took lavapipe 8–11 s to compile, 0.1 s hidden).
      const bound = partial ? end : tripCount(n, "i32", small);
      return [`for (var j = lane; j < ${bound}; j = j + ${L}) {`, ...indent(inner), "}"];
    }
    const guarded = n % L === 0 && !partial ? inner : [`if (j < ${end}) {`, ...indent(inner), "}"];
    const bound = tripCount(per, "i32", small);
    return [`for (var jj = 0; jj < ${bound}; jj = jj + 1) {`, `  let j = lane + jj * ${L};`, ...indent(guarded), "}"];
  };
  // x / d with d a row value broadcast over the row (softmax's sum, layer norm's deviation)
  // becomes x * (1 / d), the reciprocal computed once per row: a vector divide costs several
  // multiplies on a CPU adapter. Within 1 ulp of the quotient; d = 0 or ±inf give the same
  // inf / NaN as the division.
  const reciprocals = group.eqns.flatMap((e) => {
    const [num, den] = e.inputs;
    const o = e.outputs[0]!;
    if (e.prim !== "div" || o.aval.dtype !== "float32" || !isFullShape(o.aval.shape, geo.full)) return [];
    if (!num || den?.kind !== "var" || !geo.rowValues.has(den.id)) return [];
    const b = producer.get(den.id);
    const r = b?.prim === "broadcast" ? b.inputs[0] : undefined;
    return r?.kind === "var" && !isFullShape(r.aval.shape, geo.full) ? [{ out: o, num, row: r }] : [];
  });
  // Where the register cache does not fit (long rows), such a value is stored into the output
  // by the last reduction's loop and read back by the output loop, which overwrites it: one exp
  // per element instead of two, and the row's output is in cache when it is read back.
  const [stashed] = cached;
  const stash =
    worthKeeping &&
    !cache &&
    ROW_STASH &&
    stashed &&
    cached.length === 1 &&
    fullOuts.length === 1 &&
    fullOuts[0] !== stashed &&
    fullOuts[0]!.aval.dtype === "float32" &&
    stashed.aval.dtype === "float32" &&
    costly(stashed)
      ? { value: stashed, out: fullOuts[0]! }
      : null;
  const slot = (o: Var) => `out${group.outputs.indexOf(o)}`;
  const ready = new Set<number>();
  const hoistReciprocals = () => {
    for (const q of reciprocals.splice(0)) {
      if (!ready.has(q.row.id)) {
        reciprocals.push(q);
        continue;
      }
      const inv = w.bind(`1.0 / ${w.value(q.row, rowAt)}`, "inv");
      w.overrides.set(q.out.id, (c) => {
        const v = w.value(q.num, c);
        return `(${v} * ${c.kind === "flat" && c.width === 4 ? `vec4<f32>(${inv})` : inv})`;
      });
    }
  };
  const vt = width === 4 ? "vec4<f32>" : "f32";
  if (keptInputs.length > 0) {
    keptInputs.forEach((_, c) => body.push(`var row${c}: array<${vt}, ${per}>;`));
    body.push(
      ...rowLoop(() =>
        keptInputs.forEach((v, c) => w.emit(`row${c}[jj] = ${w.loadInput(v, { kind: "flat", index: "i", width })};`)),
      ),
    );
    // Reads at another index (a transposed square input) still load from memory.
    keptInputs.forEach((v, c) =>
      w.overrides.set(v.id, (at) =>
        at.kind === "flat" && at.index === "i" && at.width === width ? `row${c}[jj]` : w.loadInput(v, at),
      ),
    );
  }
  // Nothing rides on the squares' loop when it goes (the register cache and the stash fill the
  // last reduction's loop).
  const welford = ROW_WELFORD && !cache && !stash ? rowVariance(group.eqns, geo) : null;
  geo.reductions.forEach((red, k) => {
    if (welford && k === welford.sum + 1) return; // summed with the row's sum (rowVariance.ts)
    if (onl && k === onl.max + 1) return; // summed with the row's max (rowOnline.ts)
    hoistRowValues(ready);
    hoistReciprocals();
    body.push(...w.rootLines().splice(0));
    if (welford && k === welford.sum) {
      body.push(...welfordLoop(w, rowLoop, geo.reductions[k]!.inputs[0]!, k, width, n, L));
      for (const j of [k, k + 1]) {
        w.overrides.set(geo.reductions[j]!.outputs[0]!.id, () => `r${j}`);
        ready.add(geo.reductions[j]!.outputs[0]!.id);
      }
      return;
    }
    if (onl && k === onl.max) {
      const exact = n % (L * ONLINE_UNROLL) === 0 && !partial;
      body.push(...onlineLoop(w, red.inputs[0]!, k, { width, loadsPerRow: n, lanes: L, per, end, exact }));
      for (const j of [k, k + 1]) {
        w.overrides.set(geo.reductions[j]!.outputs[0]!.id, () => `r${j}`);
        ready.add(geo.reductions[j]!.outputs[0]!.id);
      }
      return;
    }
    const prim = red.prim as RowReduction;
    const acc = `acc${k}`;
    body.push(`var ${acc} = ${vt}(${initOf(prim)});`);
    const bad = prim !== "reduce_sum" && nanCheckNeeded(group.eqns, group.outputs, geo, red) ? `bad${k}` : null;
    if (bad) body.push(`var ${bad} = ${width === 4 ? "vec4<u32>" : "u32"}(0u);`);
    const last = k === geo.reductions.length - 1;
    if (last && cache && !inPlace) cached.forEach((_, c) => body.push(`var cache${c}: array<${vt}, ${per}>;`));
    body.push(
      ...rowLoop(() => {
        const v = w.value(red.inputs[0]!, { kind: "flat", index: "i", width });
        const named = /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? v : w.bind(v, "x");
        for (const line of fold(prim, acc, named, width, bad)) w.emit(line);
        if (last && cache)
          cached.forEach((v, c) =>
            w.emit(`${cacheArray(c)}[jj] = ${w.value(v, { kind: "flat", index: "i", width })};`),
          );
        if (last && stash) {
          const v = w.value(stash.value, { kind: "flat", index: "i", width });
          w.emit(`${slot(stash.out)}[i] = ${storeExpr(v, "float32", width)};`);
        }
      }),
    );
    // This lane's partial (its four components folded), then across the subgroup.
    let part = acc;
    if (width === 4) {
      const f =
        prim === "reduce_sum"
          ? (a: string, b: string) => `${a} + ${b}`
          : (a: string, b: string) => `${prim === "reduce_max" ? "max" : "min"}(${a}, ${b})`;
      body.push(`let p${k} = ${f(f(`${acc}.x`, `${acc}.y`), f(`${acc}.z`, `${acc}.w`))};`);
      if (bad) body.push(`let b${k} = max(max(${bad}.x, ${bad}.y), max(${bad}.z, ${bad}.w));`);
      part = `p${k}`;
    }
    // One lane per row has nothing to merge.
    body.push(`var r${k} = ${L === 1 ? part : `${SUBGROUP_OP[prim]}(${part})`};`);
    // A lane that saw a NaN makes the row NaN (subgroupMax/Min of a NaN is unspecified anyway).
    if (bad)
      body.push(
        `if (${L === 1 ? (width === 4 ? `b${k}` : bad) : `subgroupMax(${width === 4 ? `b${k}` : bad})`} > 0x7f800000u) { r${k} = bitcast<f32>(F32_NAN_BITS); }`,
      );
    const r = `r${k}`;
    w.overrides.set(red.outputs[0]!.id, () => r);
    ready.add(red.outputs[0]!.id);
  });
  hoistRowValues(ready);
  hoistReciprocals();
  body.push(...w.rootLines().splice(0));

  if (cache) cached.forEach((v, c) => w.overrides.set(v.id, () => `${cacheArray(c)}[jj]`));
  if (stash) w.overrides.set(stash.value.id, (c) => `${slot(stash.out)}[${c.kind === "flat" ? c.index : "i"}]`);
  const rowOuts = group.outputs.filter((o) => !fullOuts.includes(o));
  if (fullOuts.length) {
    body.push(
      ...rowLoop(() => {
        for (const o of fullOuts) {
          const v = w.value(o, { kind: "flat", index: "i", width });
          w.emit(`${slot(o)}[i] = ${storeExpr(v, o.aval.dtype, width)};`);
        }
      }),
    );
  }
  if (rowOuts.length) {
    w.pushScope();
    for (const o of rowOuts) w.emit(`${slot(o)}[row] = ${storeExpr(w.value(o, rowAt), o.aval.dtype, 1)};`);
    body.push(`if (lane == 0${partial ? " && live" : ""}) {`, ...indent(w.popScope()), "}");
  }

  const first = geo.reductions[0]!;
  const at = group.eqns.indexOf(first);
  const kernelName = name ?? `rows_${anchoredName(first, group.eqns.slice(0, at), group.eqns.slice(at + 1))}`;
  const entryPoint = entryPointFor(kernelName);
  const prims = geo.reductions.map((r) => r.prim).join(", ");
  const plan =
    `row-local: ${geo.reductions.length} reduction${geo.reductions.length > 1 ? "s" : ""} (${prims}) over the last axis ` +
    `of [${geo.full}] (${rows} rows of ${cols}), ` +
    (L === 1 ? "one thread per row" : `one subgroup of ${L} lanes per row`) +
    (rpw > 1 ? `, ${rpw} rows per workgroup` : "") +
    (L === 1 ? "" : `, lanes combined with subgroup operations`) +
    (width === 4 ? ", rows read as vec4" : "") +
    (keptInputs.length > 0
      ? `, ${keptInputs.length > 1 ? `${keptInputs.length} inputs` : "the row"} read once into registers`
      : "") +
    (inPlace
      ? ", then replaced there by the value the output loop needs"
      : cache
        ? `, ${cached.length} value${cached.length > 1 ? "s" : ""} kept in registers for the output loop`
        : "") +
    (stash ? ", a costly value computed once and stashed in the output for the output loop" : "") +
    (welford ? ", the sum and the squared deviations from the mean in one loop (Welford's update)" : "") +
    (onl ? ", the max and the sum of exp(x − max) in one loop (online softmax)" : "");
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths: group.inputs.map(fullWidth),
    outputs: group.outputs,
    outputWidths: group.outputs.map(fullWidth),
    helpers: w.helpers,
    workgroupSize: L * rpw,
    body,
    comment: `${kernelName}: ${plan}${config ? ` [${describeRowConfig(config)}]` : ""}`,
    enables: L === 1 ? [] : ["subgroups"],
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [L * rpw, 1, 1],
    dispatch: grid.dispatch,
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
