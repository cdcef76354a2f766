// The CNN, transformer and heat examples profiled on WebGPU through the CLI: they train (or
// diffuse) as they should, and their profiles show the kernels the issue asks for (a conv with
// its epilogue, pooling, one gather for the embedding lookup doing a copy's work, a
// stencil step fused into one kernel).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, runCli } from "./runCli.js";
import type { Report } from "@jitscope/contract";

const example = (name: string) => join(REPO, "examples", name);
const lineOf = (file: string, text: string): number =>
  readFileSync(file, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(text)) + 1;
const losses = (r: Report) =>
  r.console
    .filter((l) => l.stream === "stdout" && l.text.startsWith("step "))
    .map((l) => Number(l.text.split("loss ")[1]));
const env = { JITSCOPE_REQUIRE_WEBGPU: "1", XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp" };

test("cnn: the loss falls; the convolutions are conv kernels at the conv line and max pooling is fused slices", () => {
  const file = example("cnn.ts");
  const r = runCli(file, [], { env, timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.report.device.backend, "webgpu");
  const l = losses(r.report);
  assert.ok(l.length === 4 && l[3]! < l[0]! / 2, `loss falls: ${l}`);
  const convLine = lineOf(file, "lax.conv_general_dilated(x, p.w");
  const conv = r.report.kernels.filter(
    (k) => k.mode === "jit" && k.ops.includes("conv") && k.locations.some((x) => x.line === convLine),
  );
  // The NHWC image and HWIO weights are read in place: the transposes are in the conv kernel.
  assert.ok(
    conv.some((k) => k.ops.join(",") === "transpose,transpose,conv"),
    `a conv kernel reads both operands through transposes: ${conv.map((k) => k.ops.join(","))}`,
  );
  // Forward conv and the two transposes of its gradient (the bias and relu stay outside here:
  // the conv's result is also read by relu's derivative; test/unit/ops/conv.test.ts fuses them).
  assert.ok(conv.length >= 2, `conv kernels: ${conv.map((k) => k.ops.join(","))}`);
  const poolLine = lineOf(file, "nn.max_pool(h");
  assert.ok(
    r.report.kernels.some(
      (k) =>
        k.mode === "jit" &&
        k.ops.includes("slice") &&
        k.ops.includes("max") &&
        k.locations.some((x) => x.line === poolLine),
    ),
  );
});

test("transformer: the loss falls; the embedding lookup is one gather kernel with no one-hot work (no reduction, compare or matmul), and alone writes what a copy of its rows writes with at most a bounds check per element; its gradient is a scatter", () => {
  const file = example("transformer.ts");
  const r = runCli(file, [], { env, timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  const l = losses(r.report);
  assert.ok(l.length === 3 && l[2]! < l[0]!, `loss falls: ${l}`);
  const embLine = lineOf(file, "the embedding lookup");
  const step = r.report.compilations.find((c) => c.kernels.length > 10)!;
  const stepKernels = r.report.kernels.filter((k) => step.kernels.includes(k.id));
  const lookups = stepKernels.filter((k) => k.ops.includes("gather") && k.locations.some((x) => x.line === embLine));
  assert.equal(lookups.length, 1, "one gather kernel for the lookup");
  // The lookup shares its kernel with the position add, but nothing there runs over the
  // vocabulary: no reduction, one-hot compare or product, and under a tenth of the flops a
  // one-hot product would take (B·T·V·D = 65,536).
  const lookup = lookups[0]!;
  assert.ok(
    !lookup.ops.some((o) => o.startsWith("reduce") || ["eq", "iota", "matmul"].includes(o)),
    `no one-hot: ${lookup.ops}`,
  );
  assert.ok(lookup.flops < 2 * 16 * 64 * 32 * 0.1, `lookup kernel flops ${lookup.flops}`);
  assert.ok(
    stepKernels.some((k) => k.ops.includes("scatter")),
    "the embedding gradient is a scatter-add",
  );
  // The lookup alone vs a copy of the same rows (both [B, T, D] out): the same bytes written and
  // no per-vocabulary work (a one-hot lowering would count B·T·V·D flops). Its speed against the
  // copy is measured in `npm run bench`, not asserted here.
  const only = (line: string) =>
    r.report.kernels.filter((k) => k.mode === "jit" && k.locations.some((x) => x.line === lineOf(file, line)));
  const [gather] = only("const lookup = jit");
  const [copy] = only("const copyRows = jit");
  assert.ok(gather && copy && gather.ops.includes("gather") && copy.ops.includes("neg"));
  assert.equal(gather.bytesWritten, copy.bytesWritten);
  // Per output element: JAX's fill-mode bounds check (an add, two compares, an and, a select),
  // nothing per vocabulary entry (a one-hot product would be 2·V = 64).
  const elements = copy.bytesWritten / 4;
  assert.ok(gather.flops <= 6 * elements, `gather flops ${gather.flops} ≤ 6 per output element (${elements})`);
});

test("heat: each step is one kernel (the stencil and the interior put back by .at().set) and the plate warms from its hot edge inwards", () => {
  const file = example("heat.ts");
  const r = runCli(file, [], { env, timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  const [c] = r.report.compilations;
  assert.equal(c!.kernels.length, 1, "one kernel per step");
  const temps = r.report.console
    .filter((l) => l.text.startsWith("step "))
    .map((l) => l.text.split(": ")[2]!.split(", ").map(Number));
  assert.equal(temps.length, 4);
  for (const [a, b, d] of temps)
    assert.ok(100 > a! && a! > b! && b! > d! && d! > 0, `falls with distance: ${[a, b, d]}`);
  for (let i = 1; i < temps.length; i++) assert.ok(temps[i]![2]! > temps[i - 1]![2]!, "warms over time");
});
