// A table of small jitted programs, each with the kernels its plan must have (their first
// lines, in order): each case lowers, checks its kernels, runs its plan on WebGPU and compares
// the result with eager evaluation on the CPU reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import { assertClose, type Nested } from "../ops/harness.js";
import { ramp, runPlanOnWebGpu, webgpuDeviceOrSkip } from "./webgpuPlan.js";

export type KernelCase = {
  name: string;
  f: (...xs: Tracer[]) => Tracer;
  shapes: number[][];
  /** Each kernel's first line must match, in order. */
  kernels: RegExp[];
};

export const firstLines = (lo: { kernels: readonly { wgsl: string }[] }) =>
  lo.kernels.map((k) => k.wgsl.split("\n")[0]!);

/** One test per case, titled by `title`. */
export function testKernelCases(cases: readonly KernelCase[], title: (c: KernelCase) => string): void {
  for (const c of cases) {
    test(title(c), async (t) => {
      const args = c.shapes.map((s, i) => ramp(s, 0.1, i));
      const lo = await jit(c.f).lower(...args);
      const lines = firstLines(lo);
      assert.equal(lines.length, c.kernels.length, lines.join("\n"));
      c.kernels.forEach((re, i) => assert.match(lines[i]!, re));
      const gpu = await webgpuDeviceOrSkip(t);
      if (!gpu) return;
      const expected = await c.f(...args).toArray();
      const [got] = await runPlanOnWebGpu(gpu, lo, args as ConcreteArray[]);
      assertClose(got as Nested, expected as Nested, "float32", 1e-4, 1e-4);
    });
  }
}
