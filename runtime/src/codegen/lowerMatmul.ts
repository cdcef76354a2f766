// Matmul groups: a[...batch, M, K] @ b[...batch, K, N] with an elementwise epilogue (bias,
// relu, scale) applied to each result before it is stored. Tiled and register-blocked: a
// 16×16 workgroup computes a 64×64 output tile, each thread a 4×4 block kept in registers,
// stepping through K in slices of 16 staged in workgroup memory. When both operands are plain
// contiguous kernel inputs with K and N multiples of 4, global loads are vec4.

import type { Eqn, Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./contract.js";
import { unravel } from "./indexing.js";
import { anchoredName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, indent } from "./module.js";
import { nd, ValueWriter } from "./valueWriter.js";
import { literal, storeExpr, valueType, type Width } from "./wgslTypes.js";

const TILE = 64;
const TK = 16;
const THREADS = 256;

export function lowerMatmul(group: FusionGroup, name?: string): KernelSpec {
  const mms = group.eqns.filter((e) => e.prim === "matmul");
  if (mms.length !== 1) throw new Error(`codegen: a matmul kernel holds exactly one matmul, group ${group.id} has ${mms.length}`);
  const mm = mms[0]!;
  const [a, b] = [mm.inputs[0]! as Var, mm.inputs[1]! as Var];
  const out = mm.outputs[0]!;
  const rank = out.aval.shape.length;
  const batchShape = out.aval.shape.slice(0, rank - 2);
  const M = a.aval.shape[rank - 2]!, K = a.aval.shape[rank - 1]!, N = b.aval.shape[rank - 1]!;
  const B = sizeOf(batchShape);
  const dtype = out.aval.dtype;
  const t = valueType(dtype, 1);
  const zero = literal(0, dtype, 1);
  const vt = dtype === "float32" ? "vec4<f32>" : "vec4<i32>";
  for (const o of group.outputs) {
    if (o.aval.shape.join(",") !== out.aval.shape.join(",")) {
      throw new Error(`codegen: matmul kernel output %${o.id} [${o.aval.shape}] is not at the result's shape`);
    }
  }

  const inputPos = (v: Var) => group.inputs.findIndex((x) => x.id === v.id);
  const readElsewhere = (v: Var) => group.eqns.some((e) => e !== mm && e.inputs.some((x) => x.kind === "var" && x.id === v.id));
  const fast = inputPos(a) >= 0 && inputPos(b) >= 0 && a.id !== b.id && !readElsewhere(a) && !readElsewhere(b) &&
    K % 4 === 0 && N % 4 === 0 && dtype === "float32";

  const w = new ValueWriter(group.eqns, group.inputs);
  const body: string[] = [
    "let tx = i32(lid % 16u);",
    "let ty = i32(lid / 16u);",
    `let m0 = i32(wid.y) * ${TILE};`,
    `let n0 = i32(wid.x) * ${TILE};`,
    "let bz = i32(wid.z);",
  ];
  const bCoords = unravel("bz", batchShape);
  const aBase = `bz * ${M * K}`, bBase = `bz * ${K * N}`;

  // Stage one K slice of A (64×16, stored k-major) and B (16×64) in workgroup memory.
  const stage: string[] = [];
  if (fast) {
    const ia = inputPos(a), ib = inputPos(b);
    stage.push(
      // A: 64 rows × 4 vec4; B: 16 rows × 16 vec4. One vec4 of each per thread.
      "{",
      "  let row = ty * 4 + tx / 4; let kq = (tx % 4) * 4;",
      "  let gm = m0 + row; let gk = k0 + kq;",
      `  var va = vec4<f32>(0.0);`,
      `  if (gm < ${M} && gk < ${K}) { va = in${ia}[(${aBase} + gm * ${K} + gk) / 4]; }`,
      `  As[(kq + 0) * ${TILE} + row] = va.x; As[(kq + 1) * ${TILE} + row] = va.y;`,
      `  As[(kq + 2) * ${TILE} + row] = va.z; As[(kq + 3) * ${TILE} + row] = va.w;`,
      "  let kr = ty; let nq = tx * 4;",
      "  let gk2 = k0 + kr; let gn = n0 + nq;",
      `  var vb = vec4<f32>(0.0);`,
      `  if (gk2 < ${K} && gn < ${N}) { vb = in${ib}[(${bBase} + gk2 * ${N} + gn) / 4]; }`,
      `  Bs[kr * ${TILE / 4} + tx] = vb;`,
      "}",
    );
  } else {
    for (let e = 0; e < (TILE * TK) / THREADS; e++) {
      w.pushScope();
      w.emit(`let ia${e} = i32(lid) + ${e * THREADS}; let ra${e} = ia${e} / ${TK}; let ka${e} = ia${e} % ${TK};`);
      w.emit(`let gm${e} = m0 + ra${e}; let gk${e} = k0 + ka${e};`);
      const av = w.value(a, nd([...bCoords, `min(gm${e}, ${M - 1})`, `min(gk${e}, ${Math.max(K - 1, 0)})`]));
      w.emit(`As[ka${e} * ${TILE} + ra${e}] = select(${zero}, ${av}, gm${e} < ${M} && gk${e} < ${K});`);
      w.emit(`let ib${e} = i32(lid) + ${e * THREADS}; let kb${e} = ib${e} / ${TILE}; let cb${e} = ib${e} % ${TILE};`);
      w.emit(`let gk2${e} = k0 + kb${e}; let gn${e} = n0 + cb${e};`);
      const bv = w.value(b, nd([...bCoords, `min(gk2${e}, ${Math.max(K - 1, 0)})`, `min(gn${e}, ${N - 1})`]));
      w.emit(`Bs4[kb${e} * ${TILE} + cb${e}] = select(${zero}, ${bv}, gk2${e} < ${K} && gn${e} < ${N});`);
      stage.push("{", ...indent(w.popScope()), "}");
    }
    stage.push(
      "workgroupBarrier();",
      `for (var q = i32(lid); q < ${(TK * TILE) / 4}; q = q + ${THREADS}) {`,
      `  Bs[q] = ${vt}(Bs4[q * 4], Bs4[q * 4 + 1], Bs4[q * 4 + 2], Bs4[q * 4 + 3]);`,
      "}",
    );
  }
  body.push(...w.rootLines().splice(0));

  body.push(
    `var acc: array<${vt}, 4>;`,
    `for (var k0 = 0; k0 < ${K}; k0 = k0 + ${TK}) {`,
    ...indent(stage),
    "  workgroupBarrier();",
    `  for (var kk = 0; kk < ${TK}; kk = kk + 1) {`,
    `    let bv = Bs[kk * ${TILE / 4} + tx];`,
    `    let ab = kk * ${TILE} + ty * 4;`,
    "    acc[0] = acc[0] + As[ab] * bv;",
    "    acc[1] = acc[1] + As[ab + 1] * bv;",
    "    acc[2] = acc[2] + As[ab + 2] * bv;",
    "    acc[3] = acc[3] + As[ab + 3] * bv;",
    "  }",
    "  workgroupBarrier();",
    "}",
  );

  // Epilogue: each of the thread's 16 results through the group's remaining ops, then stored.
  const comps = ["x", "y", "z", "w"];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      w.pushScope();
      const row = `row${i}`, col = `col${j}`;
      w.overrides.set(out.id, (c) => {
        if (c.kind !== "nd" || c.idx[rank - 2] !== row || c.idx[rank - 1] !== col) {
          throw new Error("codegen: a matmul epilogue reads the product at other coordinates");
        }
        return `acc[${i}].${comps[j]}`;
      });
      for (const o of group.outputs) {
        const v = w.value(o, nd([...bCoords, row, col]));
        w.emit(`out${group.outputs.indexOf(o)}[bz * ${M * N} + ${row} * ${N} + ${col}] = ${storeExpr(v, o.aval.dtype, 1)};`);
      }
      body.push(`if (row${i} < ${M} && col${j} < ${N}) {`, ...indent(w.popScope()), "}");
    }
  }
  const coordLets = [0, 1, 2, 3].flatMap((i) => [`let row${i} = m0 + ty * 4 + ${i};`, `let col${i} = n0 + tx * 4 + ${i};`]);
  const accAt = body.findIndex((l) => l.startsWith("var acc"));
  body.splice(accAt, 0, ...coordLets);

  const shared = [
    `var<workgroup> As: array<${t}, ${TILE * TK}>;`,
    `var<workgroup> Bs: array<${vt}, ${(TILE * TK) / 4}>;`,
    ...(fast ? [] : [`var<workgroup> Bs4: array<${t}, ${TILE * TK}>;`]),
  ];
  const idx = group.eqns.indexOf(mm);
  const kernelName = name ?? anchoredName(mm, [] as Eqn[], group.eqns.slice(idx + 1));
  const entryPoint = entryPointFor(kernelName);
  const inputWidths = group.inputs.map((v): Width => (fast && (v.id === a.id || v.id === b.id) ? 4 : 1));
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths,
    outputs: group.outputs,
    outputWidths: group.outputs.map(() => 1),
    helpers: w.helpers,
    workgroupSize: THREADS,
    shared,
    body,
    comment: `${kernelName}: [${B}×] ${M}×${K} @ ${K}×${N}, 64×64 tiles, 4×4 per thread${fast ? ", vec4 loads" : ""}`,
  });
  return {
    id: group.id,
    name: kernelName,
    wgsl,
    entryPoint,
    workgroupSize: [THREADS, 1, 1],
    dispatch: [Math.max(1, Math.ceil(N / TILE)), Math.max(1, Math.ceil(M / TILE)), Math.max(1, B)],
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
