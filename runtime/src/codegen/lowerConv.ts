// Convolution groups: lax.conv_general_dilated in NC.../OI... layout, as an anchor with an
// elementwise epilogue (bias, relu), like matmul, lowered as an implicit GEMM without an im2col
// buffer: M = output pixels (batch × output spatial), N = the group's output features, K = its
// input features × kernel taps. Each invocation keeps a tm×tn block in registers: per tap it
// finds its tm input pixels (masking taps that land in the padding or between the holes of a
// dilated input) once, then walks the input features loading tm inputs and tn weights for
// tm·tn multiply-adds. Unsplit, a workgroup's invocations share their output features, so the
// weight loads are the same for every lane. The weight gradient (a conv whose K is batch ×
// output pixels and whose output is small) splits the taps over a workgroup's invocations
// (ConvConfig.split) and adds their partial blocks in workgroup memory before the epilogue.

import type { ConvParams, Eqn, Var } from "../ir/types.js";
import { sizeOf, stridesOf } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { unravel } from "./indexing.js";
import { anchoredName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, indent, MAX_WORKGROUPS_PER_DIM } from "./module.js";
import { defaultConvConfig, describeConvConfig, type ConvConfig, type ConvShape } from "./convConfig.js";
import { convOperand } from "./convOperands.js";
import { nd, ValueWriter } from "./valueWriter.js";
import { storeExpr, type Width } from "./wgslTypes.js";
import { HIDDEN_BOUNDS_MAX_MULTIPLY_ADDS, tripCount } from "./opaqueTripCount.js";

// Taps and input features stay loops: unrolled, a 3×3 window over 4 features made a 2,000-line
// module that lavapipe's LLVM took over a minute to compile, and it ran no faster.

export interface ConvAnalysis {
  readonly cv: Eqn;
  readonly p: ConvParams;
  readonly lhs: Var;
  readonly rhs: Var;
  readonly out: Var;
  readonly shape: ConvShape;
}

export function analyzeConv(group: FusionGroup): ConvAnalysis {
  const convs = group.eqns.filter((e) => e.prim === "conv");
  if (convs.length !== 1)
    throw new Error(`codegen: a conv kernel holds exactly one conv, group ${group.id} has ${convs.length}`);
  const cv = convs[0]!;
  const p = cv.params as ConvParams;
  const [lhs, rhs] = [cv.inputs[0]! as Var, cv.inputs[1]! as Var];
  const out = cv.outputs[0]!;
  const oShape = out.aval.shape;
  const shape: ConvShape = {
    m: oShape[0]! * sizeOf(oShape.slice(2)),
    n: oShape[1]! / p.groups,
    cg: rhs.aval.shape[1]!,
    taps: sizeOf(rhs.aval.shape.slice(2)),
    groups: p.groups,
  };
  return { cv, p, lhs, rhs, out, shape };
}

/** `a * k` with the multiplications by 1 and additions of 0 left out. */
const scaled = (a: string, k: number): string => (k === 1 ? a : k === 0 ? "0" : `${a} * ${k}`);
const plus = (terms: readonly (string | number)[]): string => {
  const num = terms.filter((t): t is number => typeof t === "number").reduce((s, t) => s + t, 0);
  const sym = terms.filter((t): t is string => typeof t === "string" && t !== "0");
  if (sym.length === 0) return String(num);
  return num === 0 ? sym.join(" + ") : `${sym.join(" + ")} ${num < 0 ? "-" : "+"} ${Math.abs(num)}`;
};

export function lowerConv(group: FusionGroup, name?: string, config?: ConvConfig): KernelSpec {
  const { cv, p, lhs, rhs, out, shape } = analyzeConv(group);
  const cfg = config ?? defaultConvConfig(shape);
  const { tm, tn, split } = cfg;
  // Each operand is a kernel input or a strided view of one (convOperands.ts).
  const lo = convOperand(group, cv, lhs),
    ro = convOperand(group, cv, rhs);
  if (!lo || !ro) throw new Error(`codegen: conv kernel ${group.id} must read both operands from memory`);
  for (const o of group.outputs) {
    if (o.aval.shape.join(",") !== out.aval.shape.join(",")) {
      throw new Error(`codegen: conv kernel output %${o.id} [${o.aval.shape}] is not at the result's shape`);
    }
  }
  const oShape = out.aval.shape;
  const ns = oShape.length - 2;
  const O = oShape[1]!;
  const { m: M, n: og, cg, taps: TAPS, groups: G } = shape;
  const inSp = lhs.aval.shape.slice(2),
    kSp = rhs.aval.shape.slice(2),
    outSp = oShape.slice(2);
  const OSP = sizeOf(outSp);
  const [ls, rs] = [lo.view.strides, ro.view.strides];
  const L = `in${lo.pos}`,
    R = `in${ro.pos}`;
  // The taps in the weights' own order are t itself; through a view, their strides.
  const tapsInOrder = stridesOf(kSp).every((st, d) => kSp[d] === 1 || rs[2 + d] === st);
  const pixelBlocks = Math.ceil(M / tm),
    chBlocks = Math.ceil(og / tn);
  const wg = split > 1 ? split : cfg.wg;
  if (G * chBlocks > MAX_WORKGROUPS_PER_DIM)
    throw new Error(`codegen: conv kernel ${group.id} needs ${G * chBlocks} feature blocks, over the dispatch limit`);

  // Which workgroup and invocation: channel blocks (and the feature group) from wid.y, uniform
  // over the workgroup; pixel blocks from x (past 65535 workgroups, folded into z).
  const body: string[] = [];
  let dispatch: [number, number, number];
  if (split > 1) {
    dispatch = [pixelBlocks, G * chBlocks, 1];
    body.push("let pb = i32(wid.x);", "let r = i32(lid);");
  } else {
    const wgs = Math.ceil(pixelBlocks / wg);
    const folded = wgs > MAX_WORKGROUPS_PER_DIM;
    dispatch = folded
      ? [MAX_WORKGROUPS_PER_DIM, G * chBlocks, Math.ceil(wgs / MAX_WORKGROUPS_PER_DIM)]
      : [wgs, G * chBlocks, 1];
    body.push(
      `let pb = i32(gid.x)${folded ? ` + i32(wid.z) * ${MAX_WORKGROUPS_PER_DIM * wg}` : ""};`,
      `if (pb >= ${pixelBlocks}) { return; }`,
    );
  }
  body.push(G > 1 ? `let g = i32(wid.y) / ${chBlocks};` : "let g = 0;", `let ob = (i32(wid.y) % ${chBlocks}) * ${tn};`);
  // Each pixel's coordinates (clamped to the last pixel: an edge block loads valid memory and
  // stores nothing there), and where its image and group start in the input.
  const oc: string[][] = [];
  for (let i = 0; i < tm; i++) {
    body.push(
      `let p${i} = min(pb * ${tm} + ${i}, ${M - 1});`,
      `let n${i} = p${i} / ${OSP};`,
      `let s${i} = p${i} % ${OSP};`,
    );
    const coords = unravel(`s${i}`, outSp);
    oc.push(
      coords.map((c, d) => {
        body.push(`let o${i}_${d} = ${c};`);
        return `o${i}_${d}`;
      }),
    );
    body.push(`let lb${i} = ${plus([scaled(`n${i}`, ls[0]!), scaled("g", cg * ls[1]!), lo.view.offset])};`);
  }
  for (let j = 0; j < tn; j++)
    body.push(`let wb${j} = ${plus([scaled(`(g * ${og} + min(ob + ${j}, ${og - 1}))`, rs[0]!), ro.view.offset])};`);
  for (let i = 0; i < tm; i++) for (let j = 0; j < tn; j++) body.push(`var acc${i}_${j} = 0.0;`);

  // The taps (split: every split-th from r), and per tap the tm input offsets and masks, then
  // the multiply-adds over the input features.
  body.push(`for (var t = ${split > 1 ? "r" : "0"}; t < ${TAPS}; t = t + ${split}) {`);
  const tap: string[] = [];
  unravel("t", kSp).forEach((c, d) => tap.push(`let k${d} = ${c};`));
  if (!tapsInOrder) tap.push(`let wt = ${plus(kSp.map((_, d) => scaled(`k${d}`, rs[2 + d]!)))};`);
  for (let i = 0; i < tm; i++) {
    const conds: string[] = [];
    const offs: (string | number)[] = [`lb${i}`];
    for (let d = 0; d < ns; d++) {
      const s = p.strides[d]!,
        rd = p.rhsDilation[d]!,
        ld = p.lhsDilation[d]!,
        pl = p.padLow[d]!;
      tap.push(`let q${i}_${d} = ${plus([scaled(oc[i]![d]!, s), scaled(`k${d}`, rd), -pl])};`);
      // The positions this axis can reach: no check where every one is inside.
      const lo = -pl,
        hi = (outSp[d]! - 1) * s + (kSp[d]! - 1) * rd - pl;
      const extent = (inSp[d]! - 1) * ld + 1;
      if (lo < 0) conds.push(`q${i}_${d} >= 0`);
      if (hi >= extent) conds.push(`q${i}_${d} < ${extent}`);
      if (ld > 1) conds.push(`q${i}_${d} % ${ld} == 0`);
      offs.push(scaled(ld > 1 ? `(q${i}_${d} / ${ld})` : `q${i}_${d}`, ls[2 + d]!));
    }
    if (conds.length === 0) tap.push(`let ok${i} = true;`, `let ab${i} = ${plus(offs)};`);
    else tap.push(`let ok${i} = ${conds.join(" && ")};`, `let ab${i} = select(0, ${plus(offs)}, ok${i});`);
  }
  const feature: string[] = [];
  for (let i = 0; i < tm; i++)
    feature.push(`let a${i} = select(0.0, ${L}[${plus([`ab${i}`, scaled("ci", ls[1]!)])}], ok${i});`);
  for (let j = 0; j < tn; j++)
    feature.push(`let w${j} = ${R}[${plus([`wb${j}`, scaled("ci", rs[1]!), tapsInOrder ? "t" : "wt"])}];`);
  for (let i = 0; i < tm; i++)
    for (let j = 0; j < tn; j++) feature.push(`acc${i}_${j} = acc${i}_${j} + a${i} * w${j};`);
  // In a small conv the feature loop's bound is hidden from the driver (opaqueTripCount.ts): a
  // weight gradient's 16-feature loop, unrolled, took lavapipe 2.8 s to compile, 0.12 s hidden.
  const small = M * G * og * cg * TAPS <= HIDDEN_BOUNDS_MAX_MULTIPLY_ADDS;
  tap.push(`for (var ci = 0; ci < ${tripCount(cg, "i32", small)}; ci = ci + 1) {`, ...indent(feature), "}");
  body.push(...indent(tap), "}");

  // Epilogue: the group's remaining ops on each result, at the output's coordinates.
  const w = new ValueWriter(group.eqns, group.inputs);
  const store = (pix: string, spat: string, ocoords: readonly string[], ch: string, value: string): void => {
    w.overrides.set(out.id, () => value);
    group.outputs.forEach((o, k) => {
      const v = w.value(o, nd([pix, ch, ...ocoords]));
      w.emit(`out${k}[${pix} * ${O * OSP} + ${ch} * ${OSP} + ${spat}] = ${storeExpr(v, o.aval.dtype, 1)};`);
    });
  };
  const shared: string[] = [];
  if (split > 1) {
    const T = tm * tn;
    shared.push(`var<workgroup> partial: array<f32, ${split * T}>;`);
    for (let i = 0; i < tm; i++)
      for (let j = 0; j < tn; j++) body.push(`partial[r * ${T} + ${i * tn + j}] = acc${i}_${j};`);
    body.push("workgroupBarrier();");
    w.pushScope();
    w.emit(`let pe = pb * ${tm} + e / ${tn};`);
    w.emit(`let ce = ob + e % ${tn};`);
    w.pushScope();
    w.emit(`let ne = pe / ${OSP};`);
    w.emit(`let se = pe % ${OSP};`);
    const ec = unravel("se", outSp).map((c, d) => {
      w.emit(`let oe_${d} = ${c};`);
      return `oe_${d}`;
    });
    w.emit(`let che = g * ${og} + ce;`);
    store("ne", "se", ec, "che", "sum");
    const inner = w.popScope();
    w.emit(`if (pe < ${M} && ce < ${og}) {`);
    for (const l of indent(inner)) w.emit(l);
    w.emit("}");
    body.push(
      `for (var e = r; e < ${T}; e = e + ${split}) {`,
      "  var sum = 0.0;",
      `  for (var q = 0; q < ${split}; q = q + 1) { sum = sum + partial[q * ${T} + e]; }`,
      ...indent(w.popScope()),
      "}",
    );
  } else {
    for (let i = 0; i < tm; i++)
      for (let j = 0; j < tn; j++) {
        w.pushScope();
        const ch = w.bind(`g * ${og} + ob + ${j}`, "ch");
        store(`n${i}`, `s${i}`, oc[i]!, ch, `acc${i}_${j}`);
        body.push(`if (pb * ${tm} + ${i} < ${M} && ob + ${j} < ${og}) {`, ...indent(w.popScope()), "}");
      }
  }
  if (w.rootLines().length > 0)
    throw new Error(`codegen: conv kernel ${group.id}'s epilogue left statements outside its stores`);

  const idx = group.eqns.indexOf(cv);
  const kernelName = name ?? anchoredName(cv, [] as Eqn[], group.eqns.slice(idx + 1));
  const entryPoint = entryPointFor(kernelName);
  // How this kernel was lowered, for the `lower` snapshot (and the module's first line).
  const plan =
    `conv [${lhs.aval.shape}] * [${rhs.aval.shape}] -> [${oShape}] as implicit GEMM ` +
    `${G > 1 ? `${G} groups × ` : ""}${M}×${cg * TAPS} @ ${cg * TAPS}×${og} (K = ${cg} features × ${TAPS} taps), ` +
    `${tm}×${tn} per thread in registers, ${split > 1 ? `K split over ${split} threads` : `workgroup ${wg}`}`;
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths: group.inputs.map((): Width => 1),
    outputs: group.outputs,
    outputWidths: group.outputs.map((): Width => 1),
    helpers: w.helpers,
    workgroupSize: wg,
    shared,
    body,
    comment: `${kernelName}: ${plan} [${describeConvConfig(cfg)}]`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [wg, 1, 1],
    dispatch,
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
