// Matmul groups: a[...batch, M, K] @ b[...batch, K, N] with an elementwise epilogue (bias,
// relu, scale) applied to each result before it is stored. Register-blocked: each thread
// computes a 4×4 block of the output in four vec4 accumulators, stepping through K; an 8×8
// workgroup covers a 32×32 tile. No workgroup memory: on CPU-backed adapters (lavapipe) the
// caches do that job and barriers are expensive (measured: 4× faster than a shared-memory tiled
// kernel there). When both operands are plain contiguous kernel inputs with K and N multiples
// of 4, global loads are vec4 (four k at once for A, four columns for B).

import type { Eqn, PrimParams, Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { unravel } from "./indexing.js";
import { anchoredName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, indent } from "./module.js";
import { nd, ValueWriter, type Coords } from "./valueWriter.js";
import { literal, storeExpr, type Width } from "./wgslTypes.js";

const BLOCK = 4;
const WG = 8;

export function lowerMatmul(group: FusionGroup, name?: string): KernelSpec {
  const mms = group.eqns.filter((e) => e.prim === "matmul");
  if (mms.length !== 1)
    throw new Error(`codegen: a matmul kernel holds exactly one matmul, group ${group.id} has ${mms.length}`);
  const mm = mms[0]!;
  const [a, b] = [mm.inputs[0]! as Var, mm.inputs[1]! as Var];
  const out = mm.outputs[0]!;
  const rank = out.aval.shape.length;
  const batchShape = out.aval.shape.slice(0, rank - 2);
  const M = a.aval.shape[rank - 2]!,
    K = a.aval.shape[rank - 1]!,
    N = b.aval.shape[rank - 1]!;
  const B = sizeOf(batchShape);
  const dtype = out.aval.dtype;
  const vt = dtype === "float32" ? "vec4<f32>" : "vec4<i32>";
  const zero = literal(0, dtype, 1);
  for (const o of group.outputs) {
    if (o.aval.shape.join(",") !== out.aval.shape.join(",")) {
      throw new Error(`codegen: matmul kernel output %${o.id} [${o.aval.shape}] is not at the result's shape`);
    }
  }

  const inputPos = (v: Var) => group.inputs.findIndex((x) => x.id === v.id);
  const isOutput = (v: Var) => group.outputs.some((o) => o.id === v.id);
  const usedOnlyBy = (v: Var, user: Eqn) =>
    !isOutput(v) && group.eqns.every((e) => e === user || !e.inputs.some((x) => x.kind === "var" && x.id === v.id));
  // An operand the vec4 path can load: a kernel input, or the transpose of one (last two axes
  // swapped, as grad makes for x^T @ g), read by nothing else in the kernel.
  const operand = (v: Var): { pos: number; transposed: boolean; source: Var } | null => {
    if (inputPos(v) >= 0) return usedOnlyBy(v, mm) ? { pos: inputPos(v), transposed: false, source: v } : null;
    const t = group.eqns.find((e) => e.outputs[0]?.id === v.id);
    if (!t || t.prim !== "transpose" || !usedOnlyBy(v, mm)) return null;
    const { perm } = t.params as PrimParams["transpose"];
    const swapsLastTwo = perm.every((p, i) => (i < rank - 2 ? p === i : p === (i === rank - 2 ? rank - 1 : rank - 2)));
    const src = t.inputs[0]!;
    if (!swapsLastTwo || src.kind !== "var" || inputPos(src) < 0 || !usedOnlyBy(src, t)) return null;
    return { pos: inputPos(src), transposed: true, source: src };
  };
  const opA = operand(a),
    opB = operand(b);
  const fast =
    opA !== null &&
    opB !== null &&
    opA.source.id !== opB.source.id &&
    dtype === "float32" &&
    K % 4 === 0 &&
    (!opA.transposed || M % 4 === 0) &&
    (opB.transposed || N % 4 === 0);

  const w = new ValueWriter(group.eqns, group.inputs);
  const body: string[] = [
    "let c4 = i32(gid.x);",
    `let r0 = i32(gid.y) * ${BLOCK};`,
    "let bz = i32(gid.z);",
    `if (c4 * 4 >= ${N} || r0 >= ${M}) { return; }`,
  ];
  const rows = [0, 1, 2, 3].map((i) => `row${i}`),
    cols = [0, 1, 2, 3].map((j) => `col${j}`);
  rows.forEach((r, i) => body.push(`let ${r} = r0 + ${i};`, `let ${r}c = min(${r}, ${M - 1});`));
  cols.forEach((c, j) => body.push(`let ${c} = c4 * 4 + ${j};`, `let ${c}c = min(${c}, ${N - 1});`));
  const bCoords = unravel("bz", batchShape);
  body.push(...[0, 1, 2, 3].map((i) => `var acc${i} = ${vt}(${zero});`));

  const loop: string[] = [];
  if (fast && opA && opB) {
    const ia = opA.pos,
      ib = opB.pos;
    const k4 = K / 4;
    const c = ["x", "y", "z", "w"];
    loop.push(`for (var kq = 0; kq < ${k4}; kq = kq + 1) {`);
    // A block: rows r0..r0+3 × k 4kq..4kq+3.
    if (opA.transposed) {
      for (let t = 0; t < 4; t++)
        loop.push(`  let at${t} = in${ia}[bz * ${(K * M) / 4} + (kq * 4 + ${t}) * ${M / 4} + r0 / 4];`);
    } else {
      for (let i = 0; i < 4; i++) loop.push(`  let a${i} = in${ia}[bz * ${(M * K) / 4} + row${i}c * ${k4} + kq];`);
    }
    const aAt = (i: number, t: number) => (opA.transposed ? `at${t}.${c[i]}` : `a${i}.${c[t]}`);
    // B block: k 4kq..4kq+3 × columns c4*4..c4*4+3, as one vec4 row per k.
    if (opB.transposed) {
      for (let j = 0; j < 4; j++) loop.push(`  let bt${j} = in${ib}[bz * ${(N * K) / 4} + col${j}c * ${k4} + kq];`);
      for (let t = 0; t < 4; t++)
        loop.push(`  let b${t} = vec4<f32>(bt0.${c[t]}, bt1.${c[t]}, bt2.${c[t]}, bt3.${c[t]});`);
    } else {
      for (let t = 0; t < 4; t++)
        loop.push(`  let b${t} = in${ib}[bz * ${(K * N) / 4} + (kq * 4 + ${t}) * ${N / 4} + c4];`);
    }
    for (let i = 0; i < 4; i++) {
      loop.push(`  acc${i} = acc${i} + ${aAt(i, 0)} * b0 + ${aAt(i, 1)} * b1 + ${aAt(i, 2)} * b2 + ${aAt(i, 3)} * b3;`);
    }
    loop.push("}");
  } else {
    w.pushScope();
    const kMax = Math.max(K - 1, 0);
    const av = rows.map((r) => w.value(a, nd([...bCoords, `${r}c`, "k"])));
    const bv = cols.map((c) => w.value(b, nd([...bCoords, `min(k, ${kMax})`, `${c}c`])));
    const bvec = w.bind(`${vt}(${bv.join(", ")})`, "bk");
    av.forEach((x, i) => w.emit(`acc${i} = acc${i} + ${x} * ${bvec};`));
    loop.push(`for (var k = 0; k < ${K}; k = k + 1) {`, ...indent(w.popScope()), "}");
  }
  body.push(...w.rootLines().splice(0), ...loop);

  // Epilogue: each of the thread's 16 results through the group's remaining ops, then stored
  // (a row of four as one vec4 store when the output rows are vec4-aligned).
  const comps = ["x", "y", "z", "w"];
  const vecStore = fast && N % 4 === 0 && group.outputs.every((o) => o.aval.dtype === "float32");
  const resultAt =
    (i: number, j: number) =>
    (c: Coords): string => {
      if (c.kind !== "nd" || c.idx[rank - 2] !== rows[i] || c.idx[rank - 1] !== cols[j]) {
        throw new Error("codegen: a matmul epilogue reads the product at other coordinates");
      }
      return `acc${i}.${comps[j]}`;
    };
  for (let i = 0; i < 4; i++) {
    const row = rows[i]!;
    if (vecStore) {
      w.pushScope();
      for (const o of group.outputs) {
        const vs = cols.map((col, j) => {
          w.overrides.set(out.id, resultAt(i, j));
          return w.value(o, nd([...bCoords, row, col]));
        });
        w.emit(
          `out${group.outputs.indexOf(o)}[(bz * ${M * N} + ${row} * ${N}) / 4 + c4] = vec4<f32>(${vs.join(", ")});`,
        );
      }
      body.push(`if (${row} < ${M}) {`, ...indent(w.popScope()), "}");
      continue;
    }
    for (let j = 0; j < 4; j++) {
      w.pushScope();
      const col = cols[j]!;
      w.overrides.set(out.id, resultAt(i, j));
      for (const o of group.outputs) {
        const v = w.value(o, nd([...bCoords, row, col]));
        w.emit(
          `out${group.outputs.indexOf(o)}[bz * ${M * N} + ${row} * ${N} + ${col}] = ${storeExpr(v, o.aval.dtype, 1)};`,
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
  const plan = `[${B}×] ${M}×${K} @ ${K}×${N}, 4×4 per thread in registers${fast ? ", vec4 loads" : ""}`;
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths,
    outputs: group.outputs,
    outputWidths: group.outputs.map((): Width => (vecStore ? 4 : 1)),
    helpers: w.helpers,
    workgroupSize: [WG, WG, 1],
    body,
    comment: `${kernelName}: ${plan}`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [WG, WG, 1],
    dispatch: [Math.max(1, Math.ceil(N / BLOCK / WG)), Math.max(1, Math.ceil(M / BLOCK / WG)), Math.max(1, B)],
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
