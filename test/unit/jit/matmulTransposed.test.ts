// Transposed matmul operands (x.T @ g and g @ w.T, as grad makes them): read in place by the
// matmul's vec4 path where it can (float32, K a multiple of 4, and for Aᵀ M too), copied by a
// transpose kernel first elsewhere; the choice shows in the kernel's first line. Every product
// run on WebGPU equals eager evaluation on the CPU reference, in place or copied, on shapes that
// fill the register blocks and shapes that do not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, nn, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import { assertClose, type Nested } from "../ops/harness.js";
import { forceSubgroupSizes } from "../../../runtime/src/codegen/subgroupSupport.js";
import { ramp, runPlanOnWebGpu, webgpuDeviceOrSkip } from "./webgpuPlan.js";

config({ backend: "cpu" });

const swapLast = (x: Tracer) => np.transpose(x, [...Array(x.ndim - 2).keys(), x.ndim - 1, x.ndim - 2]);
const aT = (x: Tracer, g: Tracer) => np.matmul(swapLast(x), g);
const bT = (x: Tracer, w: Tracer) => np.matmul(x, swapLast(w));
const bothT = (x: Tracer, w: Tracer) => np.matmul(swapLast(x), swapLast(w));
const firstLines = (lo: { kernels: readonly { wgsl: string }[] }) => lo.kernels.map((k) => k.wgsl.split("\n")[0]!);

type Case = {
  name: string;
  f: (a: Tracer, b: Tracer) => Tracer;
  a: number[];
  b: number[];
  /** The matmul kernel's layout as its first line names it, and whether a transpose kernel runs first. */
  layout: string;
  copies: number;
  /** Lower as for a device whose subgroups are all this wide (8: runs of 8 lanes share B);
   *  unset: the attached device. */
  subgroups?: number;
  /** Read in place by the scalar path (the shape rules out vec4 loads). */
  scalar?: boolean;
};
const cases: Case[] = [
  // Aᵀ: x [K, M] read as four output rows per vec4 load; M a multiple of 4, not of the 8-row block.
  { name: "xᵀ @ g, [20,36]ᵀ@[36,12]", f: aT, a: [36, 20], b: [36, 12], layout: "(Aᵀ·B)", copies: 0 },
  {
    name: "xᵀ @ g, [784,128]ᵀ@[128,256] (the MLP's)",
    f: aT,
    a: [128, 784],
    b: [128, 256],
    layout: "(Aᵀ·B)",
    copies: 0,
  },
  { name: "batched xᵀ @ g, [3,12,8]ᵀ@[3,12,20]", f: aT, a: [3, 12, 8], b: [3, 12, 20], layout: "(Aᵀ·B)", copies: 0 },
  // Bᵀ: w [N, K] read four k at a time; any M and N.
  { name: "g @ wᵀ, [7,16]@[9,16]ᵀ (odd M, N)", f: bT, a: [7, 16], b: [9, 16], layout: "(A·Bᵀ)", copies: 0 },
  {
    name: "g @ wᵀ, [128,256]@[784,256]ᵀ (the MLP's)",
    f: bT,
    a: [128, 256],
    b: [784, 256],
    layout: "(A·Bᵀ)",
    copies: 0,
  },
  { name: "batched g @ wᵀ, [2,5,12]@[2,11,12]ᵀ", f: bT, a: [2, 5, 12], b: [2, 11, 12], layout: "(A·Bᵀ)", copies: 0 },
  { name: "xᵀ @ wᵀ, [12,8]ᵀ@[10,12]ᵀ (odd N)", f: bothT, a: [8, 12], b: [10, 8], layout: "(Aᵀ·Bᵀ)", copies: 0 },
  // Reused by 512 outputs or more: copied first (at 1024² one copy beat the in-place read),
  // except where runs of 8 lanes share B (there the in-place read won at 1024²).
  ...[0, 8].flatMap((lanes): Case[] => {
    const how = lanes ? "runs of 8 lanes: read in place" : "no shared runs: copied first";
    const copies = lanes ? 0 : 1;
    return [
      {
        name: `xᵀ @ g with N = 512, ${how}`,
        f: aT,
        a: [8, 16],
        b: [8, 512],
        layout: lanes ? "(Aᵀ·B)" : "(A·B)",
        copies,
        subgroups: lanes,
      },
      {
        name: `g @ wᵀ with M = 512, ${how}`,
        f: bT,
        a: [512, 8],
        b: [12, 8],
        layout: lanes ? "(A·Bᵀ)" : "(A·B)",
        copies,
        subgroups: lanes,
      },
    ];
  }),
  // Not vec4-readable in place, but the copy would leave a vec4 path: Aᵀ with M = 6 (K and N
  // multiples of 4): the copy, then A·B with vec4 loads.
  { name: "xᵀ @ g with M = 6: copied first", f: aT, a: [8, 6], b: [8, 12], layout: "(A·B)", copies: 1 },
  // K or N not a multiple of 4 rules the vec4 path out whatever the layout: read in place by the
  // scalar path (a copy kernel would only add a dispatch: 1.07–1.55× faster in place on lavapipe).
  { name: "g @ wᵀ with K = 7: read in place", f: bT, a: [9, 7], b: [5, 7], layout: "(A·Bᵀ)", copies: 0, scalar: true },
  {
    name: "xᵀ @ g with M = 6, N = 5: read in place",
    f: aT,
    a: [8, 6],
    b: [8, 5],
    layout: "(Aᵀ·B)",
    copies: 0,
    scalar: true,
  },
  {
    name: "xᵀ @ g with N = 13: read in place",
    f: aT,
    a: [36, 20],
    b: [36, 13],
    layout: "(Aᵀ·B)",
    copies: 0,
    scalar: true,
  },
  {
    name: "batched xᵀ @ g with K = 5: read in place",
    f: aT,
    a: [2, 5, 8],
    b: [2, 5, 3],
    layout: "(Aᵀ·B)",
    copies: 0,
    scalar: true,
  },
];

for (const c of cases) {
  test(`${c.name}: matmul ${c.layout} after ${c.copies} transpose kernel(s), on WebGPU ≡ eager CPU`, async (t) => {
    const args: [ConcreteArray, ConcreteArray] = [ramp(c.a, 0.1), ramp(c.b, 0.1, 1)];
    const was = c.subgroups === undefined ? null : forceSubgroupSizes({ min: c.subgroups, max: c.subgroups });
    const lo = await jit(c.f)
      .lower(...args)
      .finally(() => {
        if (c.subgroups !== undefined) forceSubgroupSizes(was);
      });
    const lines = firstLines(lo);
    assert.equal(lines.length, 1 + c.copies, lines.join("\n"));
    assert.equal(lines.filter((l) => /^\/\/ transpose\w*: layout kernel/.test(l)).length, c.copies, lines.join("\n"));
    assert.ok(lines.at(-1)!.includes(`${c.layout}, `), lines.at(-1));
    if (c.copies === 0) assert.equal(lines.at(-1)!.includes("vec4 loads"), !c.scalar, lines.at(-1));
    const gpu = await webgpuDeviceOrSkip(t);
    if (!gpu) return;
    const expected = await c.f(...args).toArray();
    const [got] = await runPlanOnWebGpu(gpu, lo, args);
    assertClose(got as Nested, expected as Nested, "float32", 1e-4, 1e-4);
  });
}

test("xᵀ @ x with x [12,16], one value as both operands: one kernel reading x as Aᵀ and B with vec4 loads, on WebGPU ≡ eager CPU", async (t) => {
  const f = (x: Tracer) => np.matmul(np.transpose(x), x);
  const args: [ConcreteArray] = [ramp([12, 16])];
  const lo = await jit(f).lower(...args);
  const lines = firstLines(lo);
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(lines[0]!, /16×12 @ 12×16 \(Aᵀ·B\), .*vec4 loads/);
  const gpu = await webgpuDeviceOrSkip(t);
  if (!gpu) return;
  const [got] = await runPlanOnWebGpu(gpu, lo, args);
  assertClose(got as Nested, (await f(args[0]).toArray()) as Nested, "float32", 1e-4, 1e-4);
});

test('matmulTransposed "copy" and "in-place" override the per-shape choice for g @ wᵀ', async () => {
  const args: [ConcreteArray, ConcreteArray] = [ramp([8, 16]), ramp([12, 16], 0.1, 1)];
  const prev = config({ matmulTransposed: "copy" });
  try {
    const copied = firstLines(await jit(bT).lower(...args));
    assert.equal(copied.length, 2, copied.join("\n"));
    assert.ok(copied[1]!.includes("(A·B), "), copied[1]);
    config({ matmulTransposed: "in-place" });
    const inPlace = firstLines(await jit(bT).lower(...args));
    assert.equal(inPlace.length, 1, inPlace.join("\n"));
    assert.ok(inPlace[0]!.includes("(A·Bᵀ), "), inPlace[0]);
  } finally {
    config({ matmulTransposed: prev.matmulTransposed });
  }
  assert.throws(() => config({ matmulTransposed: "sideways" as "copy" }), /matmulTransposed must be/);
});

test("jit(grad) of an MLP (784-256-10 shaped down to 36-20-12, batch 12) reads every transposed operand in place, on WebGPU ≡ eager CPU", async (t) => {
  const step = (w1: Tracer, b1: Tracer, w2: Tracer, x: Tracer, y: Tracer) => {
    const loss = (w1: Tracer, b1: Tracer, w2: Tracer) =>
      np.mean(np.square(np.subtract(np.matmul(nn.relu(np.add(np.matmul(x, w1), b1)), w2), y)));
    return grad(loss, [0, 1, 2])(w1, b1, w2) as Tracer[];
  };
  const args: [ConcreteArray, ConcreteArray, ConcreteArray, ConcreteArray, ConcreteArray] = [
    ramp([36, 20], 0.02),
    ramp([20], 0.01, 4),
    ramp([20, 12], 0.02, 1),
    ramp([12, 36], 0.1, 2),
    ramp([12, 12], 0.1, 3),
  ];
  const lo = await jit(step).lower(...args);
  const lines = firstLines(lo);
  const mm = lines.filter((l) => l.includes(" @ "));
  // Forward x @ w1 and h @ w2; backward dy @ w2ᵀ, hᵀ @ dy (dw2) and xᵀ @ dh (dw1).
  assert.equal(mm.length, 5, lines.join("\n"));
  assert.ok(!lines.some((l) => /^\/\/ transpose\w*:/.test(l)), lines.join("\n"));
  for (const want of ["12×12 @ 12×20 (A·Bᵀ)", "20×12 @ 12×12 (Aᵀ·B)", "36×12 @ 12×20 (Aᵀ·B)"])
    assert.ok(
      mm.some((l) => l.includes(want) && l.includes("vec4 loads")),
      `${want} with vec4 loads in:\n${mm.join("\n")}`,
    );
  const gpu = await webgpuDeviceOrSkip(t);
  if (!gpu) return;
  const eager = step(...args);
  const expected = await Promise.all(eager.map((e) => e.toArray()));
  const got = await runPlanOnWebGpu(gpu, lo, args);
  assert.equal(got.length, 3);
  got.forEach((g, i) => assertClose(g as Nested, expected[i] as Nested, "float32", 2e-4, 2e-4, `gradient ${i}`));
});
