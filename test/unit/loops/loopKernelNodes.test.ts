// A loop body's kernels point at the graph node that holds them: their opIds and loop.node name
// the top-level loop's node in the compilation's graph (a body's own ops are numbered in the body
// and not drawn, so their ids would name unrelated ops of the outer program), loops nested in a
// body included; a nested while's measured count is not put on the scan around it; a diff reads
// a body kernel's provenance from its own lines. The values equal the CPU reference's.
import { live } from "../profile/builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, lax, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { Provenance } from "../../../runtime/src/profile/diffProvenance.js";
import { here, onBackend, webgpuOrSkip } from "../ops/harness.js";
import { config } from "../../../runtime/src/config.js";
// These tests are about loops that run their body's kernels each step: a scan (or fori_loop)
// with an elementwise or small body would run as one recurrence kernel (recurrence.test.ts).
config({ disabledPasses: ["recurrence"] });

const bodyLine = here() + 3;
const step = (w: Tracer, h0: Tracer, xs: Tracer) =>
  lax.scan(
    (h: Tracer, x: Tracer): [Tracer, Tracer] => {
      const h2 = np.tanh(np.add(np.matmul(h, w), x));
      const halved = lax.fori_loop(0, 3, (_i, v: Tracer) => np.multiply(np.sin(v), 0.5), h2);
      return [halved, np.sum(halved)];
    },
    h0,
    xs,
  );
const args = () => [
  np.array(Float32Array.from({ length: 16 }, (_, i) => Math.sin(i) / 4)).reshape(4, 4),
  np.ones([2, 4]),
  np.array(Float32Array.from({ length: 40 }, (_, i) => Math.cos(i))).reshape(5, 2, 4),
];

test("a scan body's kernels, and those of a fori_loop nested in it, name the scan's graph node in opIds and loop.node; equal to the CPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f = jit(step);
  const got = (await onBackend("webgpu", () => f(...(args() as [Tracer, Tracer, Tracer]))[1].data())) as Float32Array;
  const want = (await onBackend("cpu", () => step(...(args() as [Tracer, Tracer, Tracer]))[1].data())) as Float32Array;
  assert.ok(
    got.every((v, i) => Math.abs(v - want[i]!) <= 1e-5 * (1 + Math.abs(want[i]!))),
    `${got} vs ${want}`,
  );
  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  const c = report.compilations.find((x) => x.functionName === "step")!;
  const fuse = c.passes.find((p) => p.name === "fuse")!.graph;
  const scanNode = fuse.nodes.find((n) => n.loop?.kind === "scan")!;
  const body = report.kernels.filter((k) => k.compilation === c.id && k.loop);
  assert.ok(body.length >= 4, body.map((k) => k.id).join(" "));
  for (const k of body) {
    assert.equal(k.loop!.node, scanNode.id, k.id);
    assert.deepEqual(k.opIds, [scanNode.id], k.id);
  }
  // The kernels of the loop nested in the body: ids two levels deep, run 5 × 3 times a call.
  const nested = body.filter((k) => /\.k\d+\.k/.test(k.id));
  assert.ok(nested.length > 0 && nested.every((k) => k.loop!.runsPerCall === 15));
  // Outside loops, a kernel still names its own ops, none of them the loop.
  const outside = report.kernels.filter((k) => k.compilation === c.id && !k.loop);
  for (const k of outside) assert.ok(k.opIds.every((id) => fuse.nodes.some((n) => n.id === id && !n.loop)));
  // A diff's provenance of a body kernel: its ops at its own lines, inside the scan's body.
  const prov = new Provenance(report);
  for (const k of body) {
    const atoms = prov.atoms(k);
    assert.ok(
      atoms.length > 0 && atoms.every((a) => a.line >= bodyLine && a.line <= bodyLine + 3 && k.ops.includes(a.op)),
      `${k.id}: ${JSON.stringify(atoms)} (body from line ${bodyLine})`,
    );
  }
});

test("a top-level while_loop's kernels, a fori_loop's nested in it included, name its node and carry its last call's measured count", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const count = (x: Tracer) =>
    lax.while_loop(
      ([i]: [Tracer, Tracer]) => np.less(i, 7),
      ([i, v]: [Tracer, Tracer]): [Tracer, Tracer] => [
        np.add(i, 1),
        lax.fori_loop(0, 2, (_j, u: Tracer) => np.multiply(np.exp(np.log(u)), 1.5), np.multiply(v, 2)),
      ],
      [np.array(0, { dtype: "int32" }), x] as [Tracer, Tracer],
    )[1];
  const got = await onBackend("webgpu", () => jit(count)(np.ones([3]))).data();
  const want = await onBackend("cpu", () => count(np.ones([3]))).data();
  assert.ok(
    Array.from(got).every((v, i) => Math.abs(v - want[i]!) <= 1e-4 * want[i]!),
    `${got} vs ${want}`,
  );
  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  const c = report.compilations.find((x) => x.functionName === "count")!;
  const node = c.passes.find((p) => p.name === "fuse")!.graph.nodes.find((n) => n.loop?.kind === "while")!;
  const body = report.kernels.filter((k) => k.compilation === c.id && k.loop);
  assert.ok(
    body.some((k) => /\.k\d+\.k/.test(k.id)),
    body.map((k) => k.id).join(" "),
  );
  for (const k of body) {
    assert.deepEqual([k.loop!.node, ...k.opIds], [node.id, node.id], k.id);
    if (!/\.k\d+\.k/.test(k.id)) assert.equal(k.loop!.lastCall?.iterations, 7, k.id);
  }
});
