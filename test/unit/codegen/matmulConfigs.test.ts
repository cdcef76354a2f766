// Every configuration the autotuner may pick (codegen/matmulConfig.ts' candidates) computes the
// CPU reference's result on WebGPU, on shapes that fill no tile, batched, with transposed
// operands read in place, and with an epilogue. (The runtime has no float16 dtype yet, so
// there is no f16 variant to check.)

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerMatmul } from "../../../runtime/src/codegen/lowerMatmul.js";
import {
  describeMatmulConfig,
  defaultMatmulConfig,
  matmulCandidates,
  parseMatmulConfig,
} from "../../../runtime/src/codegen/matmulConfig.js";
import { analyzeMatmul } from "../../../runtime/src/codegen/matmulOperands.js";
import type { FusionGroup } from "../../../runtime/src/codegen/kernelPlan.js";
import { sharedRunsAvailable } from "../../../runtime/src/codegen/subgroupSupport.js";
import {
  asAdapter,
  asSoftwareWithSubgroups,
  assertClose,
  Builder,
  cpuRunGroup,
  gpuOrSkip,
  noise,
  runGroup,
} from "./harness.js";

interface Case {
  readonly batch: number[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly aT?: boolean;
  readonly bT?: boolean;
  readonly epilogue?: boolean;
}

/** a @ b (either operand possibly the transpose of a kernel input), optionally relu(· + bias). */
function matmulGroup(c: Case): FusionGroup {
  const B = new Builder();
  const r = c.batch.length;
  const swap = [...c.batch.map((_, i) => i), r + 1, r];
  const a = B.input([...c.batch, ...(c.aT ? [c.k, c.m] : [c.m, c.k])]);
  const w = B.input([...c.batch, ...(c.bT ? [c.n, c.k] : [c.k, c.n])]);
  const inputs = [a, w];
  const ao = c.aT ? B.op("transpose", [a], { perm: swap }, { shape: [...c.batch, c.m, c.k], dtype: "float32" }) : a;
  const bo = c.bT ? B.op("transpose", [w], { perm: swap }, { shape: [...c.batch, c.k, c.n], dtype: "float32" }) : w;
  const outAval = { shape: [...c.batch, c.m, c.n], dtype: "float32" as const };
  let out = B.op("matmul", [ao, bo], {}, outAval);
  if (c.epilogue) {
    const bias = B.input([c.n]);
    inputs.push(bias);
    const bb = B.op("broadcast", [bias], { shape: outAval.shape, dims: [r + 1] }, outAval);
    out = B.op("max", [B.op("add", [out, bb], {}, outAval), B.lit(0)], {}, outAval);
  }
  return B.group("matmul", inputs, [out]);
}

const cases: [string, Case][] = [
  ["1×1 @ 1×1", { batch: [], m: 1, k: 1, n: 1 }],
  ["16×8 @ 8×1 with relu(· + bias) (one column)", { batch: [], m: 16, k: 8, n: 1, epilogue: true }],
  ["3×5 @ 5×7", { batch: [], m: 3, k: 5, n: 7 }],
  ["17×33 @ 33×65", { batch: [], m: 17, k: 33, n: 65 }],
  ["17×36 @ 36×68 (vec4 loads, ragged rows)", { batch: [], m: 17, k: 36, n: 68 }],
  ["batched [3] 9×12 @ 12×20 with relu(· + bias)", { batch: [3], m: 9, k: 12, n: 20, epilogue: true }],
  ["20×36ᵀ @ 36×12 (A transposed in place)", { batch: [], m: 20, k: 36, n: 12, aT: true }],
  ["17×36 @ 65×36ᵀ (B transposed in place, ragged columns)", { batch: [], m: 17, k: 36, n: 65, bT: true }],
  ["batched [2] 12×8ᵀ @ 13×8ᵀ (both transposed)", { batch: [2], m: 12, k: 8, n: 13, aT: true, bT: true }],
  ["127×129 @ 129×131 (scalar loads, every edge ragged)", { batch: [], m: 127, k: 129, n: 131 }],
  ["127×132 @ 132×132 (vec4 loads, u32 offsets, ragged rows)", { batch: [], m: 127, k: 132, n: 132 }],
  ["132×128ᵀ @ 128×68 (A transposed in place, vec4)", { batch: [], m: 132, k: 128, n: 68, aT: true }],
  [
    "127×132 @ 131×132ᵀ (B transposed in place, ragged rows and columns)",
    { batch: [], m: 127, k: 132, n: 131, bT: true },
  ],
  ["batched [2, 3] 36×44 @ 44×52 with relu(· + bias)", { batch: [2, 3], m: 36, k: 44, n: 52, epilogue: true }],
  ["attention's batched [6] 31×31 @ 31×8 (one column block)", { batch: [6], m: 31, k: 31, n: 8 }],
];

for (const [title, c] of cases) {
  test(`every matmul candidate configuration equals the CPU reference: ${title}`, async (t) => {
    const b = await gpuOrSkip(t);
    if (!b) return;
    const g = matmulGroup(c);
    const data = g.inputs.map((v, i) =>
      noise(
        v.aval.shape.reduce((x, y) => x * y, 1),
        7 + i,
      ),
    );
    const expected = cpuRunGroup(g, data)[0]!;
    const candidates = matmulCandidates(analyzeMatmul(g).shape);
    assert.ok(candidates.length >= 2, "a search has more than the default to try");
    for (const cfg of candidates) {
      const spec = lowerMatmul(g, undefined, cfg);
      const [got] = await runGroup(b, g, data, spec);
      assertClose(got!, expected, 1e-4, describeMatmulConfig(cfg));
    }
  });
}

test("every candidate equals the CPU reference on the MLP's 128×784 @ 784×256 and its transposes; where runs of 8 lanes share B, its candidates broadcast it", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  let sharedKernels = 0;
  const shapes: Case[] = [
    { batch: [], m: 128, k: 784, n: 256 },
    { batch: [], m: 784, k: 128, n: 256, aT: true },
    { batch: [], m: 128, k: 256, n: 784, bT: true },
  ];
  for (const c of shapes) {
    const g = matmulGroup(c);
    const data = g.inputs.map((v, i) =>
      noise(
        v.aval.shape.reduce((x, y) => x * y, 1),
        3 + i,
      ),
    );
    const expected = cpuRunGroup(g, data)[0]!;
    for (const cfg of matmulCandidates(analyzeMatmul(g).shape)) {
      const spec = lowerMatmul(g, undefined, cfg);
      if (cfg.sharedB) {
        assert.match(spec.wgsl, /subgroupBroadcast\(bl0, 0u\)/, describeMatmulConfig(cfg));
        sharedKernels++;
      }
      const [got] = await runGroup(b, g, data, spec);
      assertClose(got!, expected, 1e-3, `${c.m}×${c.k}@${c.k}×${c.n} ${describeMatmulConfig(cfg)}`);
    }
  }
  // lavapipe's subgroups are 8 lanes: there the MLP's shapes have shared-B candidates to run.
  if (sharedRunsAvailable()) assert.ok(sharedKernels >= 12, `${sharedKernels} shared-B kernels ran`);
  else assert.equal(sharedKernels, 0);
});

test("transposed operands are read in place with vec4 loads, not materialized, with and without shared B", () => {
  for (const lanes of [0, 8])
    asSoftwareWithSubgroups(lanes, lanes, () => {
      const g = matmulGroup({ batch: [], m: 784, k: 128, n: 256, aT: true });
      const spec = lowerMatmul(g);
      assert.match(spec.wgsl, /in0: array<vec4<f32>>/);
      assert.match(spec.wgsl, /let at0_0 = in0\[/);
      assert.match(spec.plan, /Aᵀ·B/);
      const h = matmulGroup({ batch: [], m: 128, k: 256, n: 784, bT: true });
      assert.match(lowerMatmul(h).wgsl, lanes ? /let bl0 = in1\[bS0 \+ kq\];/ : /let bt0 = in1\[/);
    });
});

test("a configuration's name round-trips through describe and parse; malformed names parse to null", () => {
  for (const cfg of matmulCandidates({
    dtype: "float32",
    batch: 1,
    m: 64,
    k: 64,
    n: 64,
    aTransposed: false,
    bTransposed: false,
  })) {
    assert.deepEqual(parseMatmulConfig(describeMatmulConfig(cfg)), cfg);
  }
  assert.equal(parseMatmulConfig("8×8 vec4"), null);
  assert.equal(parseMatmulConfig("3×8 vec4 wg8×8"), null);
  assert.equal(parseMatmulConfig("8×8 vec4 wg64×64"), null);
});

test("on a CPU adapter whose runs of 8 lanes share B, the default is 2×32 shared B in one-run workgroups for 1024², 512², 64², the MLP's x@w and g@wᵀ (1024²: dispatch [32, 64, 1]), 4×16 for xᵀ@g (A read transposed)", () =>
  asSoftwareWithSubgroups(8, 8, () => {
    const name = (c: Case) => describeMatmulConfig(defaultMatmulConfig(analyzeMatmul(matmulGroup(c)).shape));
    for (const c of [
      { batch: [], m: 1024, k: 1024, n: 1024 },
      { batch: [], m: 512, k: 512, n: 512 },
      { batch: [], m: 128, k: 784, n: 256 },
      { batch: [], m: 128, k: 256, n: 784, bT: true },
    ])
      assert.equal(name(c), "2×32 vec4 wg8×1 shared B", `${c.m}×${c.k}@${c.k}×${c.n}`);
    assert.equal(name({ batch: [], m: 784, k: 128, n: 256, aT: true }), "4×16 vec4 wg8×1 shared B");
    assert.deepEqual(lowerMatmul(matmulGroup({ batch: [], m: 1024, k: 1024, n: 1024 })).dispatch, [32, 64, 1]);
    assert.equal(name({ batch: [], m: 64, k: 64, n: 64 }), "2×32 vec4 wg8×1 shared B");
  }));

test("on a CPU adapter whose runs share B, a small output takes the shared block that pads it least: NeRF's xᵀ@g 48×4096@4096×48 4×16 (6 workgroups), its 4096×48@48×4 4×8, a GRU step's 48×32@32×96 2×32; rows for fewer than half a run's lanes (1×512@512×2048, 4×256@256×1024) take unshared blocks", () =>
  asSoftwareWithSubgroups(8, 8, () => {
    const name = (c: Case) => describeMatmulConfig(defaultMatmulConfig(analyzeMatmul(matmulGroup(c)).shape));
    const wgrad = { batch: [], m: 48, k: 4096, n: 48, aT: true };
    assert.equal(name(wgrad), "4×16 vec4 wg8×1 shared B");
    assert.deepEqual(lowerMatmul(matmulGroup(wgrad)).dispatch, [3, 2, 1]);
    assert.equal(name({ batch: [], m: 4096, k: 48, n: 4 }), "4×8 vec4 wg8×1 shared B");
    assert.equal(name({ batch: [], m: 48, k: 32, n: 96 }), "2×32 vec4 wg8×1 shared B");
    assert.equal(name({ batch: [], m: 1, k: 512, n: 2048 }), "8×4 vec4 wg8×1");
    assert.equal(name({ batch: [], m: 4, k: 256, n: 1024, bT: true }), "4×4 vec4 wg8×1");
    assert.equal(name({ batch: [], m: 8, k: 512, n: 2048 }), "2×32 vec4 wg8×1 shared B");
  }));

test("an unshared default narrows its 8×8 workgroup to the output's blocks: attention's [64] 31×31@31×8 takes 4×8 in 1×8 workgroups (dispatch [1, 1, 64]), a 1024×8@8×6 output 4×4 in 2×32, a 1×512@512×2048 row 8×4 in 8×1; 1024² keeps 8×8", () =>
  asSoftwareWithSubgroups(0, 0, () => {
    const name = (c: Case) => describeMatmulConfig(defaultMatmulConfig(analyzeMatmul(matmulGroup(c)).shape));
    const heads = { batch: [64], m: 31, k: 31, n: 8 };
    assert.equal(name(heads), "4×8 vec4 wg1×8");
    assert.deepEqual(lowerMatmul(matmulGroup(heads)).dispatch, [1, 1, 64]);
    assert.equal(name({ batch: [], m: 1024, k: 8, n: 6 }), "4×4 vec4 wg2×32");
    assert.equal(name({ batch: [], m: 1, k: 512, n: 2048 }), "8×4 vec4 wg8×1");
    assert.equal(name({ batch: [], m: 1024, k: 1024, n: 1024 }), "4×8 vec4 wg8×8");
  }));

test("subgroups of 8 to 16 lanes, or none, share no B: the defaults and candidates are the unshared ones", () => {
  for (const [min, max] of [
    [8, 16],
    [0, 0],
  ] as const)
    asSoftwareWithSubgroups(min, max, () => {
      const s = analyzeMatmul(matmulGroup({ batch: [], m: 1024, k: 1024, n: 1024 })).shape;
      assert.equal(describeMatmulConfig(defaultMatmulConfig(s)), "4×8 vec4 wg8×8");
      assert.ok(matmulCandidates(s).every((c) => !c.sharedB));
      const forced = lowerMatmul(matmulGroup({ batch: [], m: 64, k: 64, n: 64 }), undefined, {
        tm: 4,
        tn: 16,
        wgx: 8,
        wgy: 1,
        vec: 4,
        sharedB: true,
      });
      assert.doesNotMatch(forced.wgsl, /subgroup/, "a shared-B configuration falls back to the unshared default");
    });
});

test("a shared-B kernel: each lane loads tn/8 vec4s of B, broadcasts the block, then each A row beside its updates; nothing returns early", () =>
  asSoftwareWithSubgroups(8, 8, () => {
    const g = matmulGroup({ batch: [], m: 64, k: 64, n: 64 });
    const spec = lowerMatmul(g, undefined, { tm: 4, tn: 16, wgx: 8, wgy: 2, vec: 4, sharedB: true });
    assert.match(spec.wgsl, /^enable subgroups;$/m);
    assert.doesNotMatch(spec.wgsl, /return;/);
    assert.match(spec.wgsl, /let r0u = \(wid\.y \* 8u \+ lid % 8u\) \* 4u;/);
    assert.match(spec.wgsl, /let c0u = \(wid\.x \* 2u \+ lid \/ 8u\) \* 16u;/);
    assert.deepEqual(spec.dispatch, [2, 2, 1]);
    const loop = spec.wgsl.slice(
      spec.wgsl.indexOf("for (var kq"),
      spec.wgsl.indexOf("}", spec.wgsl.indexOf("for (var kq")),
    );
    const order = loop
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^(let (bl|b|a)\d|acc\d)/.test(l))
      .map((l) => l.split(" ")[l.startsWith("let") ? 1 : 0]);
    // prettier-ignore
    assert.deepEqual(order, [
      "bl0", "bl1",
      "b0_0", "b0_1", "b0_2", "b0_3", "b1_0", "b1_1", "b1_2", "b1_3",
      "b2_0", "b2_1", "b2_2", "b2_3", "b3_0", "b3_1", "b3_2", "b3_3",
      "a0", "acc0_0", "acc0_1", "acc0_2", "acc0_3", "a1", "acc1_0", "acc1_1", "acc1_2", "acc1_3",
      "a2", "acc2_0", "acc2_1", "acc2_2", "acc2_3", "a3", "acc3_0", "acc3_1", "acc3_2", "acc3_3",
    ]);
    // Block vec4 p comes from lane p % 8 of load p / 8: b{t}_{q} is p = 4t + q.
    assert.match(loop, /let b1_3 = subgroupBroadcast\(bl0, 7u\);/);
    assert.match(loop, /let b2_0 = subgroupBroadcast\(bl1, 0u\);/);
    assert.match(spec.plan, /B read once per run of 8 lanes and broadcast/);
  }));

test("without shared runs, on a CPU adapter the default for 1024² is a 4×8 block per invocation in an 8×8 workgroup: dispatch [16, 32, 1]", () =>
  asSoftwareWithSubgroups(0, 0, () => {
    const g = matmulGroup({ batch: [], m: 1024, k: 1024, n: 1024 });
    const cfg = defaultMatmulConfig(analyzeMatmul(g).shape);
    assert.equal(describeMatmulConfig(cfg), "4×8 vec4 wg8×8");
    assert.deepEqual(lowerMatmul(g).dispatch, [16, 32, 1]);
  }));

test("the vec4 path indexes in u32 (i32 offsets ran 0.8-0.9× as fast on lavapipe) and bounds its K loop by a let, not a literal", () => {
  const large = lowerMatmul(matmulGroup({ batch: [], m: 256, k: 64, n: 128 })).wgsl; // 2^21 multiply-adds
  assert.match(large, /let kSteps = 16u;\n\s*for \(var kq = 0u; kq < kSteps; kq = kq \+ 1u\)/);
  const spec = lowerMatmul(matmulGroup({ batch: [], m: 64, k: 64, n: 64 }));
  assert.doesNotMatch(spec.wgsl, /kq < \d/);
  assert.match(spec.wgsl, /let aB0 = min\(r0u \+ 0u, 63u\) \* 16u;/);
  const batched = lowerMatmul(matmulGroup({ batch: [3], m: 64, k: 64, n: 64 })).wgsl;
  assert.match(batched, /let aB0 = bzu \* 1024u \+ min\(r0u \+ 0u, 63u\) \* 16u;/);
});

test("a matmul of at most 2^20 multiply-adds hides its K loop's trip count from the driver (arrayLength's top bit), a larger one writes it", () => {
  // 64×32×64 = 131,072 multiply-adds, and 4 batches of them 524,288: hidden; 512×32×128 = 2^21: plain.
  for (const c of [
    { batch: [], m: 64, k: 32, n: 64 },
    { batch: [4], m: 64, k: 32, n: 64 },
  ])
    assert.match(
      lowerMatmul(matmulGroup(c)).wgsl,
      /let kSteps = 8u \| \(arrayLength\(&out0\) & 0x80000000u\);\n\s*for \(var kq = 0u; kq < kSteps;/,
    );
  assert.match(lowerMatmul(matmulGroup({ batch: [], m: 512, k: 32, n: 128 })).wgsl, /let kSteps = 8u;/);
});

test("a block's columns at or past N and rows at or past M store nothing: 16×8 @ 8×1 in 4×4 blocks writes one column of 4 rows, 2×3 @ 3×8 in 4×8 blocks 2 rows", () => {
  const stores = (c: Case, cfg: string) =>
    lowerMatmul(matmulGroup(c), undefined, parseMatmulConfig(cfg)!).wgsl.match(/out0\[/g)?.length ?? 0;
  assert.equal(stores({ batch: [], m: 16, k: 8, n: 1, epilogue: true }, "4×4 scalar wg8×8"), 4);
  assert.equal(stores({ batch: [], m: 2, k: 3, n: 8 }, "4×8 scalar wg8×8"), 2 * 8);
  assert.equal(stores({ batch: [], m: 2, k: 4, n: 8 }, "4×8 vec4 wg8×8"), 2 * 2, "vec4 stores: 2 rows of 2");
});

test("a 4×8 block loads B's rows, then each A row just before its row's updates; 8×8 and 4×4 load every A row first", () => {
  const g = matmulGroup({ batch: [], m: 64, k: 64, n: 64 });
  const loopOf = (tm: 4 | 8, tn: 4 | 8) => {
    const wgsl = lowerMatmul(g, undefined, { tm, tn, wgx: 8, wgy: 8, vec: 4 }).wgsl;
    return wgsl.slice(wgsl.indexOf("for (var kq"), wgsl.indexOf("}", wgsl.indexOf("for (var kq")));
  };
  const lines = loopOf(4, 8)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(let [ab]\d|acc\d)/.test(l))
    .map((l) => l.split(" ")[l.startsWith("let") ? 1 : 0]);
  // prettier-ignore
  assert.deepEqual(lines, [
    "b0_0", "b0_1", "b1_0", "b1_1", "b2_0", "b2_1", "b3_0", "b3_1",
    "a0", "acc0_0", "acc0_1", "a1", "acc1_0", "acc1_1", "a2", "acc2_0", "acc2_1", "a3", "acc3_0", "acc3_1",
  ]);
  for (const [tm, tn] of [
    [8, 8],
    [4, 4],
  ] as const) {
    const loop = loopOf(tm, tn);
    const lastA = loop.lastIndexOf(`let a${tm - 1} =`);
    assert.ok(lastA >= 0 && lastA < loop.indexOf("let b0_0") && lastA < loop.indexOf("acc0_0 ="), `${tm}×${tn}`);
  }
});

test("without shared runs, on a CPU adapter the default for 512² is 4×8 in 8×8 workgroups (dispatch [8, 16, 1]); the MLP's x@w and xᵀ@g take 4×8, its g@wᵀ (B read transposed) 8×4, a 64×64 output 4×4", () =>
  asSoftwareWithSubgroups(0, 0, () => {
    const g = matmulGroup({ batch: [], m: 512, k: 512, n: 512 });
    assert.equal(describeMatmulConfig(defaultMatmulConfig(analyzeMatmul(g).shape)), "4×8 vec4 wg8×8");
    assert.deepEqual(lowerMatmul(g).dispatch, [8, 16, 1]);
    const name = (c: Case) => describeMatmulConfig(defaultMatmulConfig(analyzeMatmul(matmulGroup(c)).shape));
    assert.equal(name({ batch: [], m: 128, k: 784, n: 256 }), "4×8 vec4 wg8×8");
    assert.equal(name({ batch: [], m: 784, k: 128, n: 256, aT: true }), "4×8 vec4 wg8×8");
    assert.equal(name({ batch: [], m: 128, k: 256, n: 784, bT: true }), "8×4 vec4 wg8×8");
    assert.equal(name({ batch: [], m: 64, k: 64, n: 64 }), "4×4 vec4 wg8×8");
  }));

test("on a GPU the default is a 2×4 block in an 8×8 workgroup (1024²: dispatch [32, 64, 1]), 4×4 where A is read transposed", () =>
  asAdapter(false, () => {
    const name = (c: Case) => describeMatmulConfig(defaultMatmulConfig(analyzeMatmul(matmulGroup(c)).shape));
    const big = matmulGroup({ batch: [], m: 1024, k: 1024, n: 1024 });
    assert.equal(name({ batch: [], m: 1024, k: 1024, n: 1024 }), "2×4 vec4 wg8×8");
    assert.deepEqual(lowerMatmul(big).dispatch, [32, 64, 1]);
    assert.equal(name({ batch: [], m: 128, k: 784, n: 256 }), "2×4 vec4 wg8×8");
    assert.equal(name({ batch: [], m: 128, k: 256, n: 784, bT: true }), "2×4 vec4 wg8×8");
    assert.equal(name({ batch: [], m: 784, k: 128, n: 256, aT: true }), "4×4 vec4 wg8×8");
  }));
