// A scan carry that only adds a reduce_sum each step (passes/sinkLoopReductions.ts) carries the
// unreduced sum instead, reduced and added to its start once after the loop; carries read in
// any other way are left alone. Values against loops by hand on the CPU (which runs the
// rewritten program) and WebGPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lax, np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

type T = Tracer;
const RULE = "scan carry adding a reduce_sum each step → adds elementwise, reduced once after";
const [STEPS, ROWS, COLS] = [12, 3, 5];
const data = Float32Array.from({ length: STEPS * ROWS * COLS }, (_, i) => Math.cos(i * 0.7));
const xs = () => np.reshape(np.array(data), [STEPS, ROWS, COLS]);

/** Σ_t Σ_rows x_t², per column, starting from 5: the carry only accumulates. */
const columnEnergy = (v: T) =>
  lax.scan((acc: T, x: T): [T, null] => [np.add(acc, np.sum(np.square(x), 0)), null], np.full([COLS], 5), v)[0];

async function rulesAndShapes(f: (v: T) => unknown) {
  const lo = await jit(f as (v: T) => T).lower(xs());
  const scan = lo.program.eqns.find((e) => e.prim === "scan")!;
  return {
    count: (lo.passes.find((p) => p.name === "simplify")!.effect?.rules ?? {})[RULE] ?? 0,
    carry: scan.outputs[0]!.aval.shape,
  };
}

test("acc ← acc + Σ_rows x² carries the [3, 5] squares from zeros and adds their row sums to the start after the loop", async (t) => {
  assert.deepEqual(await rulesAndShapes(columnEnergy), { count: 1, carry: [ROWS, COLS] });
  const want = Array.from({ length: COLS }, (_, c) => {
    let s = 5;
    for (let i = 0; i < STEPS * ROWS; i++) s += data[i * COLS + c]! ** 2;
    return s;
  });
  assertClose(Array.from(await jit(columnEnergy)(xs()).data()), want, "float32", 1e-5, 1e-5, "cpu");
  if (!(await webgpuOrSkip(t))) return;
  const gpu = onBackend("webgpu", () => jit(columnEnergy)(xs()));
  assertClose(Array.from(await gpu.data()), want, "float32", 1e-5, 1e-5, "webgpu");
});

test("a carry also read by the body, or a sum also returned as a y, keeps its reduction in the loop", async () => {
  const damped = (v: T) =>
    lax.scan((acc: T, x: T): [T, null] => [np.add(np.multiply(acc, 0.5), np.sum(x, 0)), null], np.zeros([COLS]), v)[0];
  const readAgain = (v: T) =>
    lax.scan((acc: T, x: T): [T, T] => [np.add(acc, np.sum(x, 0)), np.multiply(acc, 2)], np.zeros([COLS]), v);
  const sumReturned = (v: T) =>
    lax.scan(
      (acc: T, x: T): [T, T] => {
        const s = np.sum(x, 0);
        return [np.add(acc, s), s];
      },
      np.zeros([COLS]),
      v,
    );
  for (const [f, what] of [
    [damped, "acc·0.5 + Σ"],
    [readAgain, "acc also a y's input"],
    [sumReturned, "Σ also a y"],
  ] as const)
    assert.deepEqual(await rulesAndShapes(f), { count: 0, carry: [COLS] }, what);
});
