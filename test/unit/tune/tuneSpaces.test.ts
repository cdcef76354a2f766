// The autotuner's search spaces beyond matmul (codegen/tuneSpaces.ts): every candidate
// configuration of a flat elementwise chain (vec4 or scalar, 1–8 values per invocation,
// workgroups of 64–256) and of a convolution as an implicit GEMM (register blocks, workgroup
// width, split-K) computes the CPU reference's result on WebGPU, on sizes that fill no vec4,
// workgroup or block; names round-trip; shape-class keys ignore ids and skip tiny kernels.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConvParams, Var } from "../../../runtime/src/ir/types.js";
import type { FusionGroup } from "../../../runtime/src/codegen/kernelPlan.js";
import { convSpace, elementwiseSpace, parseConvConfig } from "../../../runtime/src/codegen/tuneSpaces.js";
import { elementwiseCandidates, parseElementwiseConfig } from "../../../runtime/src/codegen/elementwiseConfig.js";
import { describeConvConfig } from "../../../runtime/src/codegen/convConfig.js";
import { assertClose, Builder, cpuRunGroup, gpuOrSkip, noise, runGroup } from "../codegen/harness.js";
import { isHardwareAdapter } from "../../../runtime/src/codegen/subgroupSupport.js";

const f = (shape: number[]) => ({ shape, dtype: "float32" as const });

/** tanh(x*1.5+0.5)*x - exp(-x*x) (issue 16's chain), and optionally `+ s` (a broadcast scalar
 *  input) as a second output, on n values. */
function chainGroup(n: number, second = false, id = "k0", firstVar = 100): FusionGroup {
  const B = new Builder();
  (B as unknown as { nextVar: number }).nextVar = firstVar;
  const a = f([n]);
  const x = B.input([n]);
  const t = B.op("tanh", [B.op("add", [B.op("mul", [x, B.lit(1.5)], {}, a), B.lit(0.5)], {}, a)], {}, a);
  const e = B.op("exp", [B.op("neg", [B.op("mul", [x, x], {}, a)], {}, a)], {}, a);
  const y = B.op("sub", [B.op("mul", [t, x], {}, a), e], {}, a);
  if (!second) return B.group("elementwise", [x], [y], B.eqns, id);
  const s = B.input([]);
  const sb = B.op("broadcast", [s], { shape: [n], dims: [] }, a);
  return B.group("elementwise", [x, s], [y, B.op("add", [y, sb], {}, a)], B.eqns, id);
}

for (const [title, g] of [
  ["1,001 values (a partial last vec4)", chainGroup(1001)],
  ["70,003 values with a broadcast scalar and a second output", chainGroup(70_003, true)],
] as const) {
  test(`every elementwise candidate configuration equals the CPU reference: ${title}`, async (t) => {
    const b = await gpuOrSkip(t);
    if (!b) return;
    const data = g.inputs.map((v, i) =>
      noise(
        v.aval.shape.reduce((x, y) => x * y, 1),
        5 + i,
      ),
    );
    const expected = cpuRunGroup(g, data);
    // Every configuration a search of a large array may pick, here on a size none of them fills.
    const candidates = elementwiseCandidates(4, 1 << 20);
    const names = candidates.map((c) => elementwiseSpace.describe(c));
    assert.equal(
      elementwiseSpace.describe(elementwiseSpace.candidates(g)[0]!),
      elementwiseSpace.describe(elementwiseSpace.defaultConfig(g)),
      "the default first",
    );
    assert.ok(names.includes("scalar ×1 wg256") && names.includes("vec4 ×8 wg64"), names.join(", "));
    for (const cfg of candidates) {
      const got = await runGroup(b, g, data, elementwiseSpace.lower(g, undefined, cfg));
      got.forEach((o, k) => assertClose(o, expected[k]!, 1e-5, `${elementwiseSpace.describe(cfg)} output ${k}`));
    }
  });
}

/** x * x + b over rows of 301 (not a multiple of 4): flat, but scalar (flatAccess width 1). */
function biasGroup(rows: number): FusionGroup {
  const B = new Builder();
  const a = f([rows, 301]);
  const x = B.input([rows, 301]);
  const bias = B.input([301]);
  const bb = B.op("broadcast", [bias], { shape: [rows, 301], dims: [1] }, a);
  return B.group("elementwise", [x, bias], [B.op("add", [B.op("mul", [x, x], {}, a), bb], {}, a)]);
}

test("every candidate of a scalar-only flat kernel (a bias over rows of 301) equals the CPU reference; none is vec4", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const g = biasGroup(300);
  const data = g.inputs.map((v, i) =>
    noise(
      v.aval.shape.reduce((x, y) => x * y, 1),
      3 + i,
    ),
  );
  const expected = cpuRunGroup(g, data)[0]!;
  const candidates = elementwiseSpace.candidates(g);
  assert.equal(elementwiseSpace.describe(candidates[0]!), "scalar ×1 wg256");
  assert.equal(candidates.length, 12);
  assert.ok(candidates.every((c) => c.vec === 1));
  assert.match(elementwiseSpace.key(g)!, /^elementwise 90300 broadcast·mul·add in float32\[90300\],float32\[301\]/);
  for (const cfg of candidates) {
    const [got] = await runGroup(b, g, data, elementwiseSpace.lower(g, undefined, cfg));
    assertClose(got!, expected, 1e-5, elementwiseSpace.describe(cfg));
  }
});

/** conv(x, w) in NCHW/OIHW, optionally relu(· + bias) over output features. */
function convGroup(
  x: number[],
  w: number[],
  p: Partial<ConvParams> & { strides: number[]; padLow: number[]; padHigh: number[] },
  epilogue = false,
): FusionGroup {
  const B = new Builder();
  const params: ConvParams = { lhsDilation: [1, 1], rhsDilation: [1, 1], groups: 1, ...p };
  const outSp = [0, 1].map((d) => {
    const inExt = (x[2 + d]! - 1) * params.lhsDilation[d]! + 1;
    const kExt = (w[2 + d]! - 1) * params.rhsDilation[d]! + 1;
    return Math.floor((inExt + params.padLow[d]! + params.padHigh[d]! - kExt) / params.strides[d]!) + 1;
  });
  const outShape = [x[0]!, w[0]!, ...outSp];
  const xi = B.input(x),
    wi = B.input(w);
  const inputs: Var[] = [xi, wi];
  let out = B.op("conv", [xi, wi], params, f(outShape));
  if (epilogue) {
    const bias = B.input([w[0]!]);
    inputs.push(bias);
    const bb = B.op("broadcast", [bias], { shape: outShape, dims: [1] }, f(outShape));
    out = B.op("max", [B.op("add", [out, bb], {}, f(outShape)), B.lit(0)], {}, f(outShape));
  }
  return B.group("conv", inputs, [out]);
}

const convCases: [string, FusionGroup][] = [
  [
    "3×3 SAME on 13×11, 5 → 6 features, batch 2, relu(· + bias)",
    convGroup([2, 5, 13, 11], [6, 5, 3, 3], { strides: [1, 1], padLow: [1, 1], padHigh: [1, 1] }, true),
  ],
  [
    "3×3 stride 2, 2 feature groups, 6 → 8 features",
    convGroup([2, 6, 11, 10], [8, 3, 3, 3], { strides: [2, 2], padLow: [1, 1], padHigh: [1, 1], groups: 2 }),
  ],
  [
    "9×9 VALID, 13 → 4 features (a weight gradient's long K: split-K candidates)",
    convGroup([1, 13, 17, 15], [4, 13, 9, 9], { strides: [1, 1], padLow: [0, 0], padHigh: [0, 0] }),
  ],
];

for (const [title, g] of convCases) {
  test(`every conv candidate configuration equals the CPU reference: ${title}`, async (t) => {
    const b = await gpuOrSkip(t);
    if (!b) return;
    const data = g.inputs.map((v, i) =>
      noise(
        v.aval.shape.reduce((x, y) => x * y, 1),
        11 + i,
      ),
    );
    const expected = cpuRunGroup(g, data)[0]!;
    const candidates = convSpace.candidates(g);
    assert.equal(describeConvConfig(candidates[0]!), describeConvConfig(convSpace.defaultConfig(g)));
    assert.ok(candidates.length >= 6, `a search has more than the default to try: ${candidates.length}`);
    for (const cfg of candidates) {
      const [got] = await runGroup(b, g, data, convSpace.lower(g, undefined, cfg));
      assertClose(got!, expected, 1e-4, describeConvConfig(cfg));
    }
  });
}

test("the weight gradient's long K gets split-K candidates; a short K gets none", () => {
  const split = (g: FusionGroup) => convSpace.candidates(g).filter((c) => c.split > 1).length;
  assert.ok(split(convCases[2]![1]) >= 3);
  assert.equal(split(convCases[0]![1]), 0);
  // 32 invocations on a CPU adapter (or none attached), 64 on a GPU (convConfig.ts).
  const splitBy = isHardwareAdapter() ? 64 : 32;
  assert.match(describeConvConfig(convSpace.defaultConfig(convCases[2]![1])), new RegExp(`split-K ${splitBy}$`));
});

test("elementwise and conv configuration names round-trip; malformed or unusable names parse to null", () => {
  const g = chainGroup(70_003, true);
  for (const c of elementwiseSpace.candidates(g))
    assert.deepEqual(elementwiseSpace.parse(elementwiseSpace.describe(c), g), c);
  assert.equal(parseElementwiseConfig("vec4 ×4 wg64", 1), null, "vec4 where the values cannot be vec4");
  assert.equal(parseElementwiseConfig("vec4 ×3 wg64", 4), null);
  assert.equal(parseElementwiseConfig("vec4 ×4 wg96", 4), null);
  for (const [, cg] of convCases)
    for (const c of convSpace.candidates(cg)) assert.deepEqual(convSpace.parse(describeConvConfig(c), cg), c);
  assert.deepEqual(parseConvConfig("4×8 split-K 64"), { tm: 4, tn: 8, split: 64, wg: 64 });
  assert.equal(parseConvConfig("4×8 split-K 48"), null);
  assert.equal(parseConvConfig("3×8 wg64"), null);
  assert.equal(parseConvConfig("4×8"), null);
});

test("shape-class keys: equal for the same shapes whatever the ids, different for other sizes, none for tiny kernels", () => {
  const k = elementwiseSpace.key(chainGroup(70_003));
  assert.equal(k, "elementwise 70003 mul·add·tanh·mul·neg·exp·mul·sub in float32[70003] out float32");
  assert.equal(elementwiseSpace.key(chainGroup(70_003, false, "k7", 500)), k);
  assert.notEqual(elementwiseSpace.key(chainGroup(70_004)), k);
  assert.equal(elementwiseSpace.key(chainGroup(1001)), null, "1,001 values: a launch's cost, no search");
  assert.equal(
    convSpace.key(convCases[0]![1]),
    "conv float32 [2,5,13,11]*[6,5,3,3]->[2,6,13,11] s1,1 p1,1/1,1 d1,1/1,1 g1",
  );
  const tiny = convGroup([1, 1, 4, 4], [1, 1, 3, 3], { strides: [1, 1], padLow: [0, 0], padHigh: [0, 0] });
  assert.equal(convSpace.key(tiny), null);
});
