// Matmul groups: a[...batch, M, K] @ b[...batch, K, N] with an elementwise epilogue (bias,
// relu, scale) applied to each result before it is stored. Register-blocked: each invocation
// computes a tm×tn block of the output (tn/4 vec4 accumulators per row), stepping through K;
// the block and workgroup shapes come from a MatmulConfig (the default, or the autotuner's
// choice). No workgroup memory: on CPU-backed adapters (lavapipe) the caches do that job and
// barriers are expensive (measured: 4× faster than a shared-memory tiled kernel there).
// When both operands are kernel inputs (or strided views of inputs, read in place:
// matmulOperands.ts) and K is a multiple of 4, global loads are vec4: A four k at a time (or,
// transposed, four rows at a time), B four columns at a time (or, transposed, four k at a time).
// The result (or its epilogue's value) is stored where reshapes and transposes ending the
// kernel put it: a strided view of the output (attention's heads merged as they are stored).
// Edge blocks of shapes that are not multiples of the block clamp their loads and guard stores.
// Shared B (where every subgroup is a run of exactly 8 lanes, as on lavapipe): the 8 lanes of a
// run take 8 row blocks of the same columns, so the run's B block per step of 4 k is read once
// between them, tn/8 vec4s a lane, and handed round with subgroupBroadcast. On lavapipe each
// lane's load is a scalar load per component: lanes that each read the same B paid for it 8×.

import type { Eqn, Var } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { unravel } from "./indexing.js";
import { anchoredName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, indent } from "./module.js";
import { defaultMatmulConfig, describeMatmulConfig, sharedBApplies, type MatmulConfig } from "./matmulConfig.js";
import { analyzeMatmul, operandLayout, vec4PathApplies, type OperandLayout } from "./matmulOperands.js";
import { inVec4Units, storedThrough, type StridedView } from "./stridedView.js";
import { RUN_LANES } from "./subgroupSupport.js";
import { nd, ValueWriter, type Coords } from "./valueWriter.js";
import { literal, storeExpr, type Width } from "./wgslTypes.js";
import { HIDDEN_BOUNDS_MAX_MULTIPLY_ADDS, tripCount } from "./opaqueTripCount.js";

const COMP = ["x", "y", "z", "w"];

/** Shared B, before the K loop: each lane's offsets of its share of the run's B block, tn vec4s
 *  per step of 4 k (tn / 8 a lane). Block vec4 p is taken by lane p % 8; in B's own layout it is
 *  k-row p / (tn/4), vec4 column p % (tn/4); read transposed it is column p (4 k as a vec4). */
function sharedBBases(b: OperandLayout, tn: number, N: number): string[] {
  const lines = [`let lane = lid % ${RUN_LANES}u;`];
  for (let j = 0; j < tn / RUN_LANES; j++) {
    const p = `(${j * RUN_LANES}u + lane)`;
    lines.push(
      b.transposed
        ? `let bS${j} = ${b.base}min(c0u + ${p}, ${Math.max(0, N - 1)}u) * ${b.cols / 4}u;`
        : `let bS${j} = ${b.base}${p} / ${tn / 4}u * ${b.rows / 4}u + min(c0u / 4u + ${p} % ${tn / 4}u, ${Math.max(0, N / 4 - 1)}u);`,
    );
  }
  return lines;
}

/** Shared B, in the K loop: each lane loads its share, then every lane takes the whole block
 *  from the run with subgroupBroadcast, as b{t}_{q} (B's layout) or bt{j} (transposed). */
function sharedBLoads(ib: number, b: OperandLayout, tn: number): string[] {
  const transposed = b.transposed;
  const lines: string[] = [];
  for (let j = 0; j < tn / RUN_LANES; j++)
    lines.push(`let bl${j} = in${ib}[bS${j} + ${transposed ? "kq" : `kq * ${b.rows}u`}];`);
  const from = (p: number) => `subgroupBroadcast(bl${Math.floor(p / RUN_LANES)}, ${p % RUN_LANES}u)`;
  if (transposed) for (let p = 0; p < tn; p++) lines.push(`let bt${p} = ${from(p)};`);
  else for (let p = 0; p < tn; p++) lines.push(`let b${Math.floor(p / (tn / 4))}_${p % (tn / 4)} = ${from(p)};`);
  return lines;
}

export function lowerMatmul(group: FusionGroup, name?: string, config?: MatmulConfig): KernelSpec {
  const { mm, shape, opA, opB } = analyzeMatmul(group);
  const asked = config ?? defaultMatmulConfig(shape);
  // A shared-B configuration needs the vec4 path and runs of exactly 8 lanes; elsewhere the
  // default without it stands in (the plan names what was emitted).
  // The vec4 path reads a transposed A four rows at a time: blocks of fewer rows read it scalar.
  const vec4Reads = (c: MatmulConfig) =>
    c.vec === 4 && vec4PathApplies(shape, opA, opB) && (!shape.aTransposed || c.tm % 4 === 0);
  const cfg = asked.sharedB && !(vec4Reads(asked) && sharedBApplies(shape)) ? defaultMatmulConfig(shape, false) : asked;
  const shared = cfg.sharedB === true;
  const { tm, tn, wgx, wgy } = cfg;
  const q4 = tn / 4; // vec4 accumulators per row
  const [a, b] = [mm.inputs[0]! as Var, mm.inputs[1]! as Var];
  const out = mm.outputs[0]!;
  const rank = out.aval.shape.length;
  const batchShape = out.aval.shape.slice(0, rank - 2);
  const { m: M, k: K, n: N, batch: B } = shape;
  const dtype = out.aval.dtype;
  const vt = dtype === "float32" ? "vec4<f32>" : "vec4<i32>";
  const zero = literal(0, dtype, 1);
  // Each output is a value at the result's shape, or one stored through reshapes and transposes
  // of the result (passes/fuseBuild.ts storedTail): the value before them, stored at each
  // element's place in the output (a strided view of it at the result's shape).
  const atResult = new Map<number, { value: Var; view: StridedView }>();
  const derived = new Set([out.id]);
  for (const e of group.eqns)
    if (e.inputs.some((x) => x.kind === "var" && derived.has(x.id))) for (const o of e.outputs) derived.add(o.id);
  const shaped = (v: Var) => v.aval.shape.join(",") === out.aval.shape.join(",");
  for (const o of group.outputs) {
    const chain: Eqn[] = [];
    for (let v = o; ;) {
      const r = group.eqns.find((e) => e.outputs[0]?.id === v.id);
      const src = r?.inputs[0];
      if (!r || (r.prim !== "reshape" && r.prim !== "transpose") || src?.kind !== "var" || !derived.has(src.id)) break;
      chain.unshift(r);
      v = src;
    }
    const value = (chain[0]?.inputs[0] as Var | undefined) ?? o;
    const view = shaped(value) ? storedThrough(out.aval.shape, chain) : null;
    if (!view) throw new Error(`codegen: matmul kernel output %${o.id} [${o.aval.shape}] is not at the result's shape`);
    atResult.set(o.id, { value, view });
  }
  const fast = vec4Reads(cfg);
  const small = B * M * N * K <= HIDDEN_BOUNDS_MAX_MULTIPLY_ADDS;

  const w = new ValueWriter(group.eqns, group.inputs);
  // Shared B: lane l of a run of 8 takes row block 8·wid.y + l, the run (lid / 8) a column
  // block; no invocation returns early, since every lane of a run must reach the broadcasts
  // (edge lanes clamp their loads and skip their stores instead).
  const body: string[] = shared
    ? [
        `let r0u = (wid.y * ${RUN_LANES}u + lid % ${RUN_LANES}u) * ${tm}u;`,
        `let c0u = (wid.x * ${wgy}u + lid / ${RUN_LANES}u) * ${tn}u;`,
        "let bzu = wid.z;",
        "let r0 = i32(r0u);",
        "let c0 = i32(c0u);",
        "let bz = i32(bzu);",
      ]
    : [
        `let r0 = i32(gid.y) * ${tm};`,
        `let c0 = i32(gid.x) * ${tn};`,
        "let bz = i32(gid.z);",
        `if (c0 >= ${N} || r0 >= ${M}) { return; }`,
      ];
  const rows = Array.from({ length: tm }, (_, i) => `row${i}`),
    cols = Array.from({ length: tn }, (_, j) => `col${j}`);
  rows.forEach((r, i) => body.push(`let ${r} = r0 + ${i};`));
  cols.forEach((c, j) => body.push(`let ${c} = c0 + ${j};`));
  const bCoords = unravel("bz", batchShape);
  const acc = (i: number, q: number) => `acc${i}_${q}`;
  for (let i = 0; i < tm; i++) for (let q = 0; q < q4; q++) body.push(`var ${acc(i, q)} = ${vt}(${zero});`);

  const loop: string[] = [];
  if (fast && opA && opB) {
    const [ia, ib] = [opA.pos, opB.pos];
    const k4 = K / 4;
    // The loop's index math is u32, as a hand kernel's: with i32 offsets the 1024² kernel ran
    // 0.82× of the same block shape written in u32 (bench/dev, lavapipe; robustness clamps
    // each index). Per-invocation base offsets are clamped to the last row/column: edge blocks
    // load valid memory and discard the results at the store.
    if (!shared) body.push(`let r0u = gid.y * ${tm}u;`, `let c0u = gid.x * ${tn}u;`, `let bzu = gid.z;`);
    const [la, lb] = [operandLayout(opA, batchShape), operandLayout(opB, batchShape)];
    if (opA.transposed) {
      for (let i4 = 0; i4 < tm / 4; i4++)
        body.push(`let aB${i4} = ${la.base}min(r0u / 4u + ${i4}u, ${Math.max(0, M / 4 - 1)}u);`);
    } else {
      for (let i = 0; i < tm; i++)
        body.push(`let aB${i} = ${la.base}min(r0u + ${i}u, ${Math.max(0, M - 1)}u) * ${la.rows / 4}u;`);
    }
    if (shared) body.push(...sharedBBases(lb, tn, N));
    else if (opB.transposed) {
      for (let j = 0; j < tn; j++)
        body.push(`let bB${j} = ${lb.base}min(c0u + ${j}u, ${Math.max(0, N - 1)}u) * ${lb.cols / 4}u;`);
    } else {
      for (let q = 0; q < q4; q++)
        body.push(`let bB${q} = ${lb.base}min(c0u / 4u + ${q}u, ${Math.max(0, N / 4 - 1)}u);`);
    }
    // The trip count is a `let`, not a literal: with a literal bound the 1024² kernel ran 0.91×
    // of the same loop bounded by a let (lavapipe's LLVM unrolls a constant-trip loop and its
    // registers spill; bench/dev/matmul_loop_bound.ts). In a small kernel it is not even a
    // constant the driver can see (opaqueTripCount.ts): unrolled whole, a 16×32 @ 32×32 kernel
    // took lavapipe 3.2 s to compile, against 0.2 s as a loop.
    body.push(`let kSteps = ${tripCount(k4, "u32", small)};`);
    loop.push(`for (var kq = 0u; kq < kSteps; kq = kq + 1u) {`);
    // A 4×8 block loads each A row just before its row's updates, after B's rows: lavapipe's
    // LLVM then ran the 1024² and 512² kernels 1.17–1.23× faster than with the four A loads
    // first, faster than the bench's hand kernels; the same order made 4×4 and 8×8 slower
    // (0.95×, 0.9×) and 8×4 level (bench/dev/matmul_a_order.ts).
    // With shared B the loads of B and its broadcasts come first, then each A row (the order
    // of the kernels measured for matmulConfig.ts' default).
    const aLoadsPerRow = !opA.transposed && ((tm === 4 && tn === 8) || shared);
    const L: string[] = [];
    // A values a(i, t) for rows i and k = 4kq + t.
    if (opA.transposed) {
      L.push(`let ka = kq * ${la.cols}u;`); // 4 k-rows, each a column of A
      for (let t = 0; t < 4; t++)
        for (let i4 = 0; i4 < tm / 4; i4++) L.push(`let at${t}_${i4} = in${ia}[aB${i4} + ka + ${(t * la.cols) / 4}u];`);
    } else if (!aLoadsPerRow) {
      for (let i = 0; i < tm; i++) L.push(`let a${i} = in${ia}[aB${i} + kq];`);
    }
    const aAt = (i: number, t: number) =>
      opA.transposed ? `at${t}_${Math.floor(i / 4)}.${COMP[i % 4]}` : `a${i}.${COMP[t]}`;
    // B rows b(t, q): k = 4kq + t, columns c0 + 4q .. c0 + 4q + 3, as a vec4.
    if (shared) L.push(...sharedBLoads(ib, lb, tn));
    if (opB.transposed) {
      if (!shared) for (let j = 0; j < tn; j++) L.push(`let bt${j} = in${ib}[bB${j} + kq];`);
      for (let t = 0; t < 4; t++)
        for (let q = 0; q < q4; q++) {
          const lanes = [0, 1, 2, 3].map((c) => `bt${4 * q + c}.${COMP[t]}`);
          L.push(`let b${t}_${q} = vec4<f32>(${lanes.join(", ")});`);
        }
    } else if (!shared) {
      L.push(`let kb = kq * ${lb.rows}u;`); // 4 k-rows of B
      for (let t = 0; t < 4; t++)
        for (let q = 0; q < q4; q++) L.push(`let b${t}_${q} = in${ib}[bB${q} + kb + ${(t * lb.rows) / 4}u];`);
    }
    for (let i = 0; i < tm; i++)
      for (let q = 0; q < q4; q++) {
        if (aLoadsPerRow && q === 0) L.push(`let a${i} = in${ia}[aB${i} + kq];`);
        const terms = [0, 1, 2, 3].map((t) => `${aAt(i, t)} * b${t}_${q}`);
        L.push(`${acc(i, q)} = ${acc(i, q)} + ${terms.join(" + ")};`);
      }
    loop.push(...indent(L), "}");
  } else {
    rows.forEach((r) => body.push(`let ${r}c = min(${r}, ${M - 1});`));
    cols.forEach((c) => body.push(`let ${c}c = min(${c}, ${N - 1});`));
    w.pushScope();
    const av = rows.map((r) => w.value(a, nd([...bCoords, `${r}c`, "k"])));
    const bv = cols.map((c) => w.value(b, nd([...bCoords, "k", `${c}c`])));
    const bq = Array.from({ length: q4 }, (_, q) => w.bind(`${vt}(${bv.slice(4 * q, 4 * q + 4).join(", ")})`, "bk"));
    av.forEach((x, i) => bq.forEach((bk, q) => w.emit(`${acc(i, q)} = ${acc(i, q)} + ${x} * ${bk};`)));
    body.push(`let kSteps = ${tripCount(K, "i32", small)};`);
    loop.push(`for (var k = 0; k < kSteps; k = k + 1) {`, ...indent(w.popScope()), "}");
  }
  body.push(...w.rootLines().splice(0), ...loop);

  // Epilogue: each of the invocation's results through the group's remaining ops, then stored
  // (four columns as one vec4 store when the output rows are vec4-aligned).
  // Each output's element (bz, row, col) lands at its view's offset: the batch's start here, and
  // its row and column strides (a contiguous output: M·N per batch, N, 1). `batchStart` begins
  // a sum: "bz * 4096 + ", or "" for one batch.
  const stored = group.outputs.map((o) => {
    const { value, view } = atResult.get(o.id)!;
    const terms = bCoords.flatMap((c, k) => (c === "0" || view.strides[k] === 0 ? [] : [`${c} * ${view.strides[k]}`]));
    return { value, view, batchStart: terms.map((t) => `${t} + `).join("") };
  });
  const vecStore =
    fast &&
    N % 4 === 0 &&
    group.outputs.every((o) => o.aval.dtype === "float32") &&
    stored.every((s) => inVec4Units(s.view, rank - 1) && s.view.strides[rank - 1] === 1);
  const resultAt =
    (i: number, j: number) =>
    (c: Coords): string => {
      if (c.kind !== "nd" || c.idx[rank - 2] !== rows[i] || c.idx[rank - 1] !== cols[j]) {
        throw new Error("codegen: a matmul epilogue reads the product at other coordinates");
      }
      return `${acc(i, Math.floor(j / 4))}.${COMP[j % 4]}`;
    };
  // A block's row or column at or past the matrix's edge in every invocation (i ≥ M, j ≥ N: a
  // 4×4 block of a product one column wide) gets no store at all, not a store behind a check
  // that always fails: lavapipe compiled a 16×8 @ 8×1 kernel whose 12 dead blocks each reloaded
  // a five-input epilogue in 1.2–1.5 s, and in 0.4 s without them.
  for (let i = 0; i < Math.min(tm, M); i++) {
    const row = rows[i]!;
    if (vecStore) {
      w.pushScope();
      for (let q = 0; q < Math.min(q4, N / 4); q++) {
        const inner: string[] = [];
        w.pushScope();
        for (const o of group.outputs) {
          const s = stored[group.outputs.indexOf(o)]!;
          const vs = cols.slice(4 * q, 4 * q + 4).map((col, jj) => {
            w.overrides.set(out.id, resultAt(i, 4 * q + jj));
            return w.value(s.value, nd([...bCoords, row, col]));
          });
          w.emit(
            `out${group.outputs.indexOf(o)}[(${s.batchStart}${row} * ${s.view.strides[rank - 2]} + c0) / 4 + ${q}] = vec4<f32>(${vs.join(", ")});`,
          );
        }
        inner.push(...w.popScope());
        w.emit(`if (c0 + ${4 * q} < ${N}) {`);
        for (const l of indent(inner)) w.emit(l);
        w.emit("}");
      }
      body.push(`if (${row} < ${M}) {`, ...indent(w.popScope()), "}");
      continue;
    }
    for (let j = 0; j < Math.min(tn, N); j++) {
      w.pushScope();
      const col = cols[j]!;
      w.overrides.set(out.id, resultAt(i, j));
      for (const o of group.outputs) {
        const s = stored[group.outputs.indexOf(o)]!;
        const v = w.value(s.value, nd([...bCoords, row, col]));
        const [rs, cs] = [s.view.strides[rank - 2]!, s.view.strides[rank - 1]!];
        w.emit(
          `out${group.outputs.indexOf(o)}[${s.batchStart}${row} * ${rs} + ${col}${cs === 1 ? "" : ` * ${cs}`}] = ${storeExpr(v, o.aval.dtype, 1)};`,
        );
      }
      body.push(`if (${row} < ${M} && ${col} < ${N}) {`, ...indent(w.popScope()), "}");
    }
  }

  const idx = group.eqns.indexOf(mm);
  const kernelName = name ?? anchoredName(mm, [] as Eqn[], group.eqns.slice(idx + 1));
  const entryPoint = entryPointFor(kernelName);
  const inputWidths = group.inputs.map((v): Width =>
    fast && (v.id === opA?.source.id || v.id === opB?.source.id) ? 4 : 1,
  );
  // How this kernel was lowered, for the `lower` snapshot (and the module's first line).
  const layout = `${opA?.transposed ? "Aᵀ" : "A"}·${opB?.transposed ? "Bᵀ" : "B"}`;
  const plan =
    `[${B}×] ${M}×${K} @ ${K}×${N} (${layout}), ${tm}×${tn} per thread in registers, workgroup ${wgx}×${wgy}` +
    `${fast ? ", vec4 loads" : ""}${shared ? ", B read once per run of 8 lanes and broadcast" : ""}`;
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths,
    outputs: group.outputs,
    outputWidths: group.outputs.map((): Width => (vecStore ? 4 : 1)),
    helpers: w.helpers,
    ...(shared ? { enables: ["subgroups"] } : {}),
    workgroupSize: [wgx, wgy, 1],
    body,
    comment: `${kernelName}: ${plan} [${describeMatmulConfig(cfg)}]`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [wgx, wgy, 1],
    dispatch: shared
      ? [Math.max(1, Math.ceil(N / tn / wgy)), Math.max(1, Math.ceil(M / tm / RUN_LANES)), Math.max(1, B)]
      : [Math.max(1, Math.ceil(N / tn / wgx)), Math.max(1, Math.ceil(M / tm / wgy)), Math.max(1, B)],
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
