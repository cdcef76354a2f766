// The first stage of a whole-array reduction split in two (passes/fuseSplitReductions.ts): P
// workgroups, workgroup p reducing the p-th slice of the input (with the group's prologue,
// computed by flat index: as vec4 where the input's length is a multiple of 4) and writing its
// partial result to out0[p]. Within a workgroup, invocations stride through the slice (neighbours
// read neighbours) and combine in shared memory; the second stage is an ordinary reduction of
// the P partials (codegen/lowerReduction.ts).

import type { Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import { unravel } from "./indexing.js";
import { anchoredName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { flatAccess } from "./flatAccess.js";
import { combine4, combinerFor, isReduction, laneRunsLoop } from "./lowerReduction.js";
import { isSoftwareAdapter } from "./subgroupSupport.js";
import { assembleModule, entryPointFor, indent } from "./module.js";
import { nd, ValueWriter } from "./valueWriter.js";

const WG = 64;

export function lowerPartialReduction(group: FusionGroup, name?: string): KernelSpec {
  const count = group.partials!;
  const red = group.eqns.find(isReduction)!;
  const x = red.inputs[0]! as Var;
  const out = group.outputs[0]!;
  if (group.outputs.length !== 1 || sizeOf(out.aval.shape) !== count) {
    throw new Error(
      `codegen: partial reduction ${group.id} writes ${group.outputs.length} outputs, not its ${count} partials`,
    );
  }
  const N = sizeOf(x.aval.shape);
  const prologue = group.eqns.filter((e) => e !== red);
  const plan = flatAccess(prologue, group.inputs, [x], N);
  const width = plan.width === 4 && N % 4 === 0 ? 4 : 1;
  const flat = plan.width !== 0;
  const n = N / width;
  const slice = Math.ceil(n / count);
  const comb = combinerFor(red.prim, x.aval.dtype);
  const t = comb.type;

  const w = new ValueWriter(group.eqns, group.inputs);
  const body: string[] = [
    `let p = i32(wid.x);`,
    `let lo = p * ${slice};`,
    `let hi = min(lo + ${slice}, ${n});`,
    `var acc: ${t} = ${comb.init};`,
    `var idx: i32 = -1;`,
  ];
  if (width === 4) body.push(`var acc4 = vec4<${t}>(${comb.init});`);
  w.pushScope();
  const v = flat ? w.value(x, { kind: "flat", index: "i", width }) : w.value(x, nd(unravel("i", x.aval.shape)));
  if (width === 4) w.emit(combine4(red.prim, t, "acc4", v));
  else for (const s of comb.combine("acc", "idx", v, "i")) w.emit(s);
  // On a CPU adapter each run of 8 lanes walks its own part of the slice (lowerReduction.ts).
  if (isSoftwareAdapter()) body.push(...laneRunsLoop("i", "lo", "hi", slice, WG), ...indent(w.popScope()), "}");
  else body.push(`for (var i = lo + i32(lid); i < hi; i = i + ${WG}) {`, ...indent(w.popScope()), "}");
  if (width === 4)
    for (const lane of ["x", "y", "z", "w"]) body.push(...comb.combine("acc", "idx", `acc4.${lane}`, "0"));
  // The workgroup's partials, folded pairwise in shared memory.
  const fold = comb.combine("a", "ai", "part[lid + s]", "0");
  body.push(
    `part[lid] = acc;`,
    "workgroupBarrier();",
    `for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {`,
    `  if (lid < s) {`,
    `    var a = part[lid];`,
    `    let ai = 0;`,
    ...indent(fold, "    "),
    `    part[lid] = a;`,
    "  }",
    "  workgroupBarrier();",
    "}",
    `if (lid == 0u) { out0[p] = part[0]; }`,
  );

  const kernelName = name ?? `${anchoredName(red, prologue, [])}_partials`;
  const entryPoint = entryPointFor(kernelName);
  const planText =
    `${red.prim} of [${x.aval.shape}] (${N} elements), first stage: ${count} workgroups of ${WG}, ` +
    `each reducing a slice of ${slice * width} to a partial result in shared memory` +
    (width === 4 ? ", read as vec4" : "");
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths: group.inputs.map((i) => (width === 4 && plan.vec4Inputs.has(i.id) ? 4 : 1)),
    outputs: group.outputs,
    outputWidths: [1],
    helpers: w.helpers,
    workgroupSize: WG,
    shared: [`var<workgroup> part: array<${t}, ${WG}>;`],
    body,
    comment: `${kernelName}: ${planText}`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan: planText,
    wgsl,
    entryPoint,
    workgroupSize: [WG, 1, 1],
    dispatch: [count, 1, 1],
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
