// simplify's transpose sinking (passes/sinkTranspose.ts): a transpose of elementwise ops whose
// operand chain reads a transposed array becomes the ops on transposed operands, the layout
// changes cancel and no transpose kernel is left; a reduction of the value reads the transposed
// one. Where it must not apply (another reader of the value, nothing to cancel, a random leaf)
// the program keeps its transpose. Every result equals the eager CPU one, and on WebGPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import * as random from "../../../runtime/src/random.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

// The inputs' values come from the host, so each backend starts from the same floats (a GPU's
// sin of arguments up to 130 rad differs from the CPU's by ~1e-6, which the 1e-6 check would
// charge to the pass).
const wave = (shape: number[], k: number) =>
  np.reshape(
    np.array(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * k))),
    shape,
  );

/** The CNN backward's shape: relu's mask of an NCHW array read as NHWC, times a cotangent, then
 *  moved to CNHW and summed per channel. */
const cnnLike = (x: Tracer, ct: Tracer) => {
  const pre = np.add(np.transpose(x, [0, 2, 3, 1]), wave([5], 0.3));
  const dh = np.multiply(ct, np.greater(pre, 0));
  return [np.transpose(dh, [3, 0, 1, 2]), np.sum(dh, [0, 1, 2])];
};
const cnnArgs = () => [wave([2, 5, 4, 3], 0.7), wave([2, 4, 3, 5], 1.1)] as const;

test("a transpose of relu's mask times a cotangent, read through a transpose, leaves no transpose kernel", async () => {
  const lo = await jit(cnnLike).lower(...cnnArgs());
  const simplify = lo.passes.find((p) => p.name === "simplify")!;
  assert.ok(
    Object.keys(simplify.effect?.rules ?? {}).some((r) => r.startsWith("transpose of elementwise ops")),
    JSON.stringify(simplify.effect?.rules),
  );
  assert.ok(
    !lo.kernels.some((k) => k.ops.every((o) => o === "transpose")),
    lo.kernels.map((k) => k.ops.join(",")).join(" | "),
  );
  // The sum per channel reads the CNHW value: over its last three axes.
  assert.ok(lo.text("dce").includes("reduce_sum[axes=[1,2,3]]"), lo.text("dce"));
});

test("transpose sinking keeps every result equal to the eager CPU one, under jit on the CPU and WebGPU", async (t) => {
  const run = (backend: "cpu" | "webgpu", jitted: boolean) =>
    onBackend(backend, () => (jitted ? (jit(cnnLike)(...cnnArgs()) as Tracer[]) : cnnLike(...cnnArgs())));
  const want = await Promise.all(run("cpu", false).map(async (a) => Array.from(await a.data())));
  const check = async (got: Tracer[], where: string) => {
    for (let k = 0; k < got.length; k++)
      assertClose(Array.from(await got[k]!.data()), want[k]!, "float32", 1e-6, 1e-6, `${where} output ${k}`);
  };
  await check(run("cpu", true), "cpu jit");
  if (!(await webgpuOrSkip(t))) return;
  await check(run("webgpu", true), "webgpu jit");
});

test("transpose sinking leaves the transpose where the value has another reader, nothing cancels, or a random leaf", async () => {
  const rules = async (f: (...a: Tracer[]) => unknown, ...args: Tracer[]) =>
    Object.keys((await jit(f).lower(...args)).passes.find((p) => p.name === "simplify")!.effect?.rules ?? {});
  const sunk = (rs: string[]) => rs.some((r) => r.startsWith("transpose of elementwise ops"));
  // dh is also an output in NHWC.
  const shared = (x: Tracer, ct: Tracer) => {
    const dh = np.multiply(ct, np.greater(np.transpose(x, [0, 2, 3, 1]), 0));
    return [np.transpose(dh, [3, 0, 1, 2]), dh];
  };
  assert.equal(sunk(await rules(shared, ...cnnArgs())), false);
  // No transposed operand: moving the transpose would only move the strided reads.
  const plain = (x: Tracer) => np.transpose(np.exp(x), [1, 0]);
  assert.equal(sunk(await rules(plain, wave([4, 6], 0.5))), false);
  // A random leaf's values follow its flat index.
  const noisy = (x: Tracer) => np.transpose(np.add(np.transpose(x), random.uniform(random.key(0), [6, 4])), [1, 0]);
  assert.equal(sunk(await rules(noisy, wave([4, 6], 0.5))), false);
});
