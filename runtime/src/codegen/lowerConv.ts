// Convolution groups: lax.conv_general_dilated in NC.../OI... layout, as an anchor with an
// elementwise epilogue (bias, relu), like matmul. One thread per output element: it walks its
// group's input features and the kernel window, skipping taps that land in the padding or
// between the holes of a dilated input, accumulates in a register, then runs the epilogue on
// the result before storing it. No workgroup memory, for the reason lowerMatmul.ts gives.

import type { ConvParams, Eqn, Var } from "../ir/types.js";
import { sizeOf, stridesOf } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { unravel } from "./indexing.js";
import { anchoredName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, gridFor, threadIndex } from "./module.js";
import { nd, ValueWriter } from "./valueWriter.js";
import { storeExpr, type Width } from "./wgslTypes.js";

const WORKGROUP = 64;

export function lowerConv(group: FusionGroup, name?: string): KernelSpec {
  const convs = group.eqns.filter((e) => e.prim === "conv");
  if (convs.length !== 1)
    throw new Error(`codegen: a conv kernel holds exactly one conv, group ${group.id} has ${convs.length}`);
  const cv = convs[0]!;
  const p = cv.params as ConvParams;
  const [lhs, rhs] = [cv.inputs[0]! as Var, cv.inputs[1]! as Var];
  const out = cv.outputs[0]!;
  const li = group.inputs.findIndex((v) => v.id === lhs.id),
    ri = group.inputs.findIndex((v) => v.id === rhs.id);
  if (li < 0 || ri < 0) throw new Error(`codegen: conv kernel ${group.id} must read both operands from memory`);
  for (const o of group.outputs) {
    if (o.aval.shape.join(",") !== out.aval.shape.join(",")) {
      throw new Error(`codegen: conv kernel output %${o.id} [${o.aval.shape}] is not at the result's shape`);
    }
  }
  const oShape = out.aval.shape;
  const ns = oShape.length - 2;
  const C = lhs.aval.shape[1]!,
    O = oShape[1]!;
  const cg = C / p.groups,
    og = O / p.groups;
  const inSp = lhs.aval.shape.slice(2),
    kSp = rhs.aval.shape.slice(2);
  const ls = stridesOf(lhs.aval.shape),
    rs = stridesOf(rhs.aval.shape);
  const n = sizeOf(oShape);
  const grid = gridFor(Math.ceil(n / WORKGROUP));
  const coords = unravel("i", oShape);
  const body: string[] = [`let i = i32(${threadIndex(grid, WORKGROUP)});`, `if (i >= ${n}) { return; }`];
  coords.forEach((c, d) => body.push(`let o${d} = ${c};`));
  body.push(`let cbase = (o1 / ${og}) * ${cg};`, "var acc = 0.0;");
  // Loops: input feature, then each spatial tap; an out-of-range tap skips the rest of its body.
  const loop: string[] = [];
  const open: string[] = [];
  loop.push(`for (var ci = 0; ci < ${cg}; ci = ci + 1) {`);
  open.push("}");
  let lOff = `o0 * ${ls[0]} + (cbase + ci) * ${ls[1]}`;
  let rOff = `o1 * ${rs[0]} + ci * ${rs[1]}`;
  for (let d = 0; d < ns; d++) {
    const k = `k${d}`,
      x = `x${d}`;
    const pad = p.padLow[d]!,
      ld = p.lhsDilation[d]!;
    const depth = "  ".repeat(d + 1);
    loop.push(`${depth}for (var ${k} = 0; ${k} < ${kSp[d]}; ${k} = ${k} + 1) {`);
    open.push(`${depth}}`);
    const pos = `o${2 + d} * ${p.strides[d]} + ${k} * ${p.rhsDilation[d]} - ${pad}`;
    if (ld === 1) {
      loop.push(`${depth}  let ${x} = ${pos};`, `${depth}  if (${x} < 0 || ${x} >= ${inSp[d]}) { continue; }`);
    } else {
      loop.push(
        `${depth}  let q${d} = ${pos};`,
        `${depth}  if (q${d} < 0 || q${d} % ${ld} != 0) { continue; }`,
        `${depth}  let ${x} = q${d} / ${ld};`,
        `${depth}  if (${x} >= ${inSp[d]}) { continue; }`,
      );
    }
    lOff += ` + ${x} * ${ls[2 + d]}`;
    rOff += ` + ${k} * ${rs[2 + d]}`;
  }
  const depth = "  ".repeat(ns + 1);
  loop.push(`${depth}acc = acc + in${li}[${lOff}] * in${ri}[${rOff}];`);
  loop.push(...open.reverse());
  body.push(...loop);

  // Epilogue: the group's remaining ops on the accumulated value, at the output's coordinates.
  const w = new ValueWriter(group.eqns, group.inputs);
  w.overrides.set(out.id, () => "acc");
  const oc = coords.map((_, d) => `o${d}`);
  group.outputs.forEach((o, j) => {
    const v = w.value(o, nd(oc));
    w.emit(`out${j}[i] = ${storeExpr(v, o.aval.dtype, 1)};`);
  });
  body.push(...w.rootLines());

  const idx = group.eqns.indexOf(cv);
  const kernelName = name ?? anchoredName(cv, [] as Eqn[], group.eqns.slice(idx + 1));
  const entryPoint = entryPointFor(kernelName);
  const taps = sizeOf(kSp);
  // How this kernel was lowered, for the `lower` snapshot (and the module's first line).
  const plan = `conv [${lhs.aval.shape}] * [${rhs.aval.shape}] -> [${oShape}], ${cg}×${taps} taps per output${p.groups > 1 ? `, ${p.groups} groups` : ""}`;
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths: group.inputs.map((): Width => 1),
    outputs: group.outputs,
    outputWidths: group.outputs.map((): Width => 1),
    helpers: w.helpers,
    workgroupSize: WORKGROUP,
    body,
    comment: `${kernelName}: ${plan}`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatch: grid.dispatch,
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
