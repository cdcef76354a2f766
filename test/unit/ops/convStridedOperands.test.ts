// The conv kernel reads its operands through strided views (codegen/convOperands.ts): an NHWC
// image and HWIO weights under the transposes that give the conv its NCHW/OIHW order, a slice
// of an image, the swapped batch and feature axes of the weight gradient's operands. Before, each
// was a layout kernel copying the operand first. Every result is compared with the CPU reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import * as nn from "../../../runtime/src/nn.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { Lowered } from "../../../runtime/src/trace/jitTypes.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { jitOnWebGpuMatchesCpu, webgpuBackendOrSkip } from "./harness.js";
import { rand } from "../transforms/fd.js";

const NHWC = ["NHWC", "HWIO", "NHWC"] as const;
const arr = (data: number[], shape: readonly number[]) => np.reshape(np.array(new Float32Array(data)), [...shape]);
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The kernels that write a conv kernel's inputs, by name ("argument" for the program's own). */
function convFeeds(lo: Lowered): string[][] {
  const { groups } = lo.schedule;
  const writer = new Map(groups.flatMap((g) => g.outputs.map((o) => [o.id, g] as const)));
  return groups
    .filter((g) => g.kind === "conv")
    .map((g) => g.inputs.map((v) => (writer.has(v.id) ? `${writer.get(v.id)!.kind}` : "argument")));
}

function compare(name: string, f: (...xs: Tracer[]) => Tracer, shapes: number[][], tol = 1e-4): Promise<Lowered> {
  const data = shapes.map((s, i) => rand(size(s), 31 + i, -1, 1));
  return jitOnWebGpuMatchesCpu(name, f, () => data.map((d, i) => arr(d, shapes[i]!) as Tracer), tol);
}

test("an NHWC conv with HWIO weights, bias and relu reads the image and the weights in place: no layout kernel, equal to the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const f = (x: Tracer, w: Tracer, b: Tracer) =>
    nn.relu(np.add(lax.conv_general_dilated(x, w, [1, 1], "SAME", { dimension_numbers: NHWC }), b)) as Tracer;
  const lo = await compare("NHWC conv", f, [[4, 10, 9, 3], [3, 3, 3, 6], [6]]);
  assert.deepEqual(convFeeds(lo), [["argument", "argument"]]);
  assert.ok(!lo.kernels.some((k) => k.name === "transpose"), `kernels: ${lo.kernels.map((k) => k.name).join(", ")}`);
  const conv = lo.kernels.find((k) => k.name.startsWith("conv"))!;
  assert.match(conv.plan, /conv \[4,3,10,9\] \* \[6,3,3,3\]/);
});

test("a conv of a slice of an NHWC image (rows 1:9, every other column) and a grouped NHWC conv read their operands in place and equal the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const sliced = (x: Tracer, w: Tracer) =>
    lax.conv_general_dilated(np.slice(x, [0, 1, 0, 0], [2, 9, 12, 4], [1, 1, 2, 1]), w, [2, 1], "VALID", {
      dimension_numbers: NHWC,
    }) as Tracer;
  const lo = await compare("sliced", sliced, [
    [2, 10, 12, 4],
    [3, 2, 4, 5],
  ]);
  assert.deepEqual(convFeeds(lo), [["argument", "argument"]]);
  const grouped = (x: Tracer, w: Tracer) =>
    lax.conv_general_dilated(x, w, [1, 1], "SAME", { dimension_numbers: NHWC, feature_group_count: 2 }) as Tracer;
  const lg = await compare("grouped", grouped, [
    [3, 7, 7, 6],
    [3, 3, 3, 8],
  ]);
  assert.deepEqual(convFeeds(lg), [["argument", "argument"]]);
});

test("jit(grad) of an NHWC conv net reads both convs' operands (the weight gradient's with batch and features swapped) in place: no conv reads a layout kernel's output; equal to the CPU", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const loss = (w: Tracer, x: Tracer) => {
    const h = nn.relu(lax.conv_general_dilated(x, w, [1, 1], "SAME", { dimension_numbers: NHWC }));
    return np.mean(np.square(nn.max_pool(h, [2, 2], [2, 2]))) as Tracer;
  };
  const dw = (w: Tracer, x: Tracer) => grad(loss)(w, x) as Tracer;
  const lo = await compare(
    "weight gradient",
    dw,
    [
      [3, 3, 2, 5],
      [4, 8, 8, 2],
    ],
    2e-4,
  );
  const feeds = convFeeds(lo);
  assert.equal(feeds.length, 2, "the forward conv and the weight-gradient conv");
  assert.ok(
    feeds.every((ins) => !ins.includes("layout")),
    `no conv reads a layout kernel's output: ${JSON.stringify(feeds)}`,
  );
});
