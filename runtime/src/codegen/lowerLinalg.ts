// cholesky, triangular_solve and lu: one workgroup per matrix of the batch, working in place on
// the output buffer. Each column step is a few phases over the workgroup's threads separated by
// storageBarrier() (the threads share the matrix through global memory), so an n×n
// factorisation is one dispatch of n steps instead of n steps of several dispatches each. A
// small matrix (n ≤ 16) is one thread's instead: the same phases run one after the other with no
// barrier, a batch of them side by side (64 reactors' 3×3 Jacobians took 377 µs a solve as 64
// workgroups of mostly idle threads waiting at 6 barriers). On lavapipe a jitted solve of 64
// matrices takes 0.99 / 2.14 ms at n = 8 / 16 this way against 4.48 / 6.69 ms with a workgroup
// each, of 8 matrices 0.67 against 2.16 ms at n = 16, of one 0.70 against 0.76 ms; at n = 32 a
// lone matrix is faster with its workgroup (0.90 against 1.23 ms). The CPU reference
// (ops/cpuLinalg.ts) takes the same steps in the same order.

import { sizeOf, type Eqn, type PrimParams } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { scalarKernelSpec } from "./scalarKernel.js";
import { gridFor, threadIndex } from "./module.js";
import { isNanExpr } from "./opExpr.js";

const WORKGROUP = 64;
/** The largest n whose matrices are one thread's each. */
export const SERIAL_MAX_N = 16;

/** How a matrix's phases are spread: over a workgroup's threads, or one thread's loops. */
interface Lanes {
  /** A loop over the indices below `count`: strided over the threads, or all of them. */
  each(v: string, count: string, body: string[]): string[];
  /** Between phases: a barrier, or nothing for a lone thread. */
  readonly barrier: readonly string[];
  /** True in the one thread that writes a single entry. */
  readonly first: string;
}

const cooperative: Lanes = {
  // Each thread takes the indices `lid, lid + WORKGROUP, …` below `count`.
  each: (v, count, body) => [
    `for (var ${v} = lid; ${v} < ${count}; ${v} += ${WORKGROUP}u) {`,
    ...body.map((l) => `  ${l}`),
    `}`,
  ],
  barrier: ["storageBarrier();"],
  first: "lid == 0u",
};

const serial: Lanes = {
  each: (v, count, body) => [`for (var ${v} = 0u; ${v} < ${count}; ${v}++) {`, ...body.map((l) => `  ${l}`), `}`],
  barrier: [],
  first: "true",
};

const indent = (lines: readonly string[], by = "  "): string[] => lines.map((l) => `${by}${l}`);

function choleskyBody(n: number, in0: string, lanes: Lanes): string[] {
  const at = (i: string, j: string) => `out0[o + (${i}) * ${n}u + (${j})]`;
  return [
    ...lanes.each("e", `${n * n}u`, [`out0[o + e] = ${in0}[o + e];`]),
    ...indent(lanes.barrier, ""),
    `var bad = false;`,
    `for (var j = 0u; j < ${n}u; j++) {`,
    `  let d2 = ${at("j", "j")};`,
    `  if (!(d2 > 0.0) || ${isNanExpr("d2", 1)}) { bad = true; }`,
    `  let d = sqrt(max(d2, 0.0));`,
    ...lanes.each("i", `${n}u`, [`if (i > j) { ${at("i", "j")} = ${at("i", "j")} / d; }`]).map((l) => `  ${l}`),
    ...indent(lanes.barrier, "  "),
    `  if (${lanes.first}) { ${at("j", "j")} = d; }`,
    `  let m = ${n}u - j - 1u;`,
    // The trailing update on and below the diagonal only: entry e of its m(m+1)/2 is row
    // r = ⌊(√(8e+1) − 1)/2⌋ of the triangle (f32's root corrected by one either way), column
    // e − r(r+1)/2. Walking the whole m×m and skipping the upper half took twice the steps.
    ...lanes
      .each("e", "m * (m + 1u) / 2u", [
        `var r = u32((sqrt(f32(8u * e + 1u)) - 1.0) * 0.5);`,
        `if ((r + 1u) * (r + 2u) / 2u <= e) { r += 1u; }`,
        `if (r * (r + 1u) / 2u > e) { r -= 1u; }`,
        `let i = j + 1u + r;`,
        `let k = j + 1u + e - r * (r + 1u) / 2u;`,
        `${at("i", "k")} = ${at("i", "k")} - ${at("i", "j")} * ${at("k", "j")};`,
      ])
      .map((l) => `  ${l}`),
    ...indent(lanes.barrier, "  "),
    `}`,
    // Zero above the diagonal; not positive definite: NaN on and below it, as JAX.
    ...lanes.each("e", `${n * n}u`, [
      `if (e % ${n}u > e / ${n}u) { out0[o + e] = 0.0; } else if (bad) { out0[o + e] = bitcast<f32>(F32_NAN_BITS); }`,
    ]),
  ];
}

function triangularBody(
  n: number,
  k: number,
  p: PrimParams["triangular_solve"],
  in0: string,
  in1: string,
  lanes: Lanes,
): string[] {
  const forward = p.lower !== p.transA;
  const a = (i: string, j: string) =>
    p.transA ? `${in0}[ao + (${j}) * ${n}u + (${i})]` : `${in0}[ao + (${i}) * ${n}u + (${j})]`;
  const x = (i: string, c: string) => `out0[xo + (${i}) * ${k}u + (${c})]`;
  return [
    `let ao = b * ${n * n}u;`,
    `let xo = b * ${n * k}u;`,
    ...lanes.each("e", `${n * k}u`, [`out0[xo + e] = ${in1}[xo + e];`]),
    ...indent(lanes.barrier, ""),
    `for (var s = 0u; s < ${n}u; s++) {`,
    `  let j = ${forward ? "s" : `${n - 1}u - s`};`,
    ...(p.unitDiagonal
      ? []
      : [
          ...lanes.each("c", `${k}u`, [`${x("j", "c")} = ${x("j", "c")} / ${a("j", "j")};`]).map((l) => `  ${l}`),
          ...indent(lanes.barrier, "  "),
        ]),
    `  let rows = ${forward ? `${n - 1}u - j` : "j"};`,
    ...lanes
      .each("e", `rows * ${k}u`, [
        `let i = ${forward ? "j + 1u + " : ""}e / ${k}u;`,
        `let c = e % ${k}u;`,
        `${x("i", "c")} = ${x("i", "c")} - ${a("i", "j")} * ${x("j", "c")};`,
      ])
      .map((l) => `  ${l}`),
    ...indent(lanes.barrier, "  "),
    `}`,
  ];
}

function luBody(n: number, in0: string, lanes: Lanes): string[] {
  const m = n + 1;
  const w = (i: string, j: string) => `out0[o + (${i}) * ${m}u + (${j})]`;
  return [
    `let ai = b * ${n * n}u;`,
    ...lanes.each("e", `${n * m}u`, [
      `let i = e / ${m}u;`,
      `let c = e % ${m}u;`,
      `if (c < ${n}u) { out0[o + e] = ${in0}[ai + i * ${n}u + c]; } else { out0[o + e] = f32(i); }`,
    ]),
    ...indent(lanes.barrier, ""),
    `for (var j = 0u; j < ${n}u; j++) {`,
    // Every thread finds the pivot itself (the first largest |value|): no shared memory needed.
    `  var p = j;`,
    `  var best = abs(${w("j", "j")});`,
    `  for (var i = j + 1u; i < ${n}u; i++) {`,
    `    let v = abs(${w("i", "j")});`,
    `    if (v > best) { best = v; p = i; }`,
    `  }`,
    ...indent(lanes.barrier, "  "),
    `  if (p != j) {`,
    ...lanes
      .each("c", `${m}u`, [`let t = ${w("j", "c")};`, `${w("j", "c")} = ${w("p", "c")};`, `${w("p", "c")} = t;`])
      .map((l) => `    ${l}`),
    `  }`,
    ...indent(lanes.barrier, "  "),
    `  let piv = ${w("j", "j")};`,
    ...lanes
      .each("i", `${n}u`, [`if (i > j && piv != 0.0) { ${w("i", "j")} = ${w("i", "j")} / piv; }`])
      .map((l) => `  ${l}`),
    ...indent(lanes.barrier, "  "),
    `  let r = ${n - 1}u - j;`,
    ...lanes
      .each("e", "r * r", [
        `let i = j + 1u + e / r;`,
        `let c = j + 1u + e % r;`,
        `${w("i", "c")} = ${w("i", "c")} - ${w("i", "j")} * ${w("j", "c")};`,
      ])
      .map((l) => `  ${l}`),
    ...indent(lanes.barrier, "  "),
    `}`,
  ];
}

/** Whether the kernel of `eqn` gives each matrix one thread (small n, and for a triangular solve
 *  few right-hand sides) rather than a workgroup. */
export function oneThreadPerMatrix(eqn: Eqn): boolean {
  return eqn.inputs[0]!.aval.shape.at(-1)! <= SERIAL_MAX_N && rightHandSides(eqn) <= SERIAL_MAX_N;
}

/** The columns a triangular solve solves for (1 for a factorisation). */
const rightHandSides = (eqn: Eqn): number => (eqn.prim === "triangular_solve" ? eqn.inputs[1]!.aval.shape.at(-1)! : 1);

export function lowerLinalg(group: FusionGroup, name?: string): KernelSpec {
  const eqn = group.eqns[0];
  if (!eqn || group.eqns.length !== 1) throw new Error("codegen: a linalg kernel holds exactly one equation");
  const a = eqn.inputs[0]!;
  // The binding of each operand (one binding when both operands are the same value).
  const binding = (k: number) => {
    const x = eqn.inputs[k]!;
    if (x.kind !== "var") throw new Error(`codegen: ${eqn.prim} operands must be arrays`);
    return `in${group.inputs.findIndex((v) => v.id === x.id)}`;
  };
  const n = a.aval.shape[a.aval.shape.length - 1]!;
  const batch = sizeOf(a.aval.shape.slice(0, -2));
  const rhs = rightHandSides(eqn);
  const alone = oneThreadPerMatrix(eqn);
  const lanes = alone ? serial : cooperative;
  const grid = gridFor(alone ? Math.ceil(batch / WORKGROUP) : batch);
  const index = alone ? threadIndex(grid, WORKGROUP) : grid.workgroupIndex;
  const head = [`let b = ${index};`, `if (b >= ${batch}u) { return; }`];
  const each = alone ? "one thread each" : "one workgroup each";
  let body: string[];
  let plan: string;
  switch (eqn.prim) {
    case "cholesky":
      body = [...head, `let o = b * ${n * n}u;`, ...choleskyBody(n, binding(0), lanes)];
      plan = `cholesky, ${batch} matrix(es) of ${n}×${n}, ${each}, ${n} column steps`;
      break;
    case "triangular_solve": {
      const p = eqn.params as PrimParams["triangular_solve"];
      body = [...head, ...triangularBody(n, rhs, p, binding(0), binding(1), lanes)];
      plan = `triangular solve (${p.lower ? "lower" : "upper"}${p.transA ? ", transposed" : ""}${p.unitDiagonal ? ", unit diagonal" : ""}), ${batch} × ${n}×${n} with ${rhs} right-hand side(s), ${each}`;
      break;
    }
    case "lu":
      body = [...head, `let o = b * ${n * (n + 1)}u;`, ...luBody(n, binding(0), lanes)];
      plan = `LU with partial pivoting, ${batch} matrix(es) of ${n}×${n}, ${each}`;
      break;
    default:
      throw new Error(`codegen: ${eqn.prim} is not a linalg primitive`);
  }
  const kernelName = name ?? eqn.prim;
  return scalarKernelSpec(group, kernelName, plan, body, WORKGROUP, grid.dispatch);
}
