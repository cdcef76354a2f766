// An eager scatter over many indices on WebGPU runs as jit runs it (backend/eagerSortedScatter.ts):
// an argsort, then scatter_sorted, both reported at the user's line; its values equal the CPU
// reference's bit for bit, and a short scatter stays one scanning kernel.
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config, grad } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { here, onBackend, webgpuOrSkip } from "../ops/harness.js";

const [V, D, T] = [256, 64, 256];
const table = () => np.array(Float32Array.from({ length: V * D }, (_, i) => Math.sin(i * 0.37))).reshape(V, D);
const ids = (t: number) =>
  np.array(
    Int32Array.from({ length: t }, (_, i) => ((i * 7919) % (V + 9)) - 4),
    { dtype: "int32" },
  );
const lossLine = here() + 1; // the gradient's scatter is the take's transpose: reported here
const loss = (e: Tracer, i: Tracer) => np.sum(np.square(np.take(e, i, 0)));

test("on WebGPU an eager embedding gradient over 256 ids runs eager_argsort and eager_scatter_sorted at the take's line and equals the CPU's bit for bit; 8 ids stay one scatter", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const want = Array.from(await onBackend("cpu", () => grad(loss)(table(), ids(T)) as Tracer).data());
  const prev = config({ backend: "webgpu" });
  let got: number[];
  let small: number[];
  let line = 0;
  try {
    got = Array.from(await (grad(loss)(table(), ids(T)) as Tracer).data());
    const [x, few, ones] = [table(), ids(8), np.ones([8, D])];
    line = here() + 1;
    const added = x.at(few).add(ones);
    small = Array.from(await added.data());
  } finally {
    config(prev);
  }
  const bad = got.findIndex((v, i) => !Object.is(v, want[i]));
  assert.equal(bad, -1, `element ${bad}: ${got[bad]} against ${want[bad]}`);
  const smallWant = Array.from(
    await onBackend("cpu", () =>
      table()
        .at(ids(8))
        .add(np.ones([8, D])),
    ).data(),
  );
  assert.deepEqual(small, smallWant);
  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  // WebGPU's kernels at this file's lines (the CPU reference's eager ops are reported too: cpu_eager_*).
  const here_ = report.kernels.filter(
    (k) => !k.id.startsWith("cpu_eager_") && k.locations.some((l) => l.file.endsWith("eagerSortedScatter.test.ts")),
  );
  const at = (name: string) => here_.filter((k) => k.name === name).map((k) => [k.locations[0]!.line, k.dispatches]);
  assert.deepEqual(at("eager_argsort"), [[lossLine, 1]]);
  assert.deepEqual(at("eager_scatter_sorted"), [[lossLine, 1]]);
  assert.deepEqual(at("eager_scatter"), [[line, 1]]);
});
