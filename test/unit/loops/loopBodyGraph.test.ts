// A loop node carries its body as the body's own pipeline compiled it, from the fuse pass on: the
// body's ops in groups whose ids and names are the report's body kernels (a loop nested in the
// body carries its own body the same way), the body's fusion decisions and boundaries in the
// body's node ids, and its ends named by what they are to the loop. Before fuse, the body as traced.
import { live } from "../profile/builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  boundaryCostText,
  boundaryRows,
  validateReport,
  type GraphNode,
  type PassGraph,
  type Report,
} from "@jitscope/contract";
import { jit, lax, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { here, onBackend } from "../ops/harness.js";
import { config } from "../../../runtime/src/config.js";
// These tests are about loops that run their body's kernels each step: a scan (or fori_loop)
// with an elementwise or small body would run as one recurrence kernel (recurrence.test.ts).
config({ disabledPasses: ["recurrence"] });

const tanhLine = here() + 4;
const step = (w: Tracer, h0: Tracer, xs: Tracer) =>
  lax.scan(
    (h: Tracer, x: Tracer): [Tracer, Tracer] => {
      const h2 = np.tanh(np.add(np.matmul(h, w), x));
      const halved = lax.fori_loop(0, 3, (_i, v: Tracer) => np.multiply(np.sin(v), 0.5), h2);
      return [halved, np.sum(np.exp(halved))];
    },
    h0,
    xs,
  );

let report: Report | undefined;
async function profiled(): Promise<Report> {
  if (report) return report;
  const [h] = onBackend("cpu", () => {
    const w = np.array(Float32Array.from({ length: 16 }, (_, i) => Math.sin(i) / 4)).reshape(4, 4);
    const xs = np.array(Float32Array.from({ length: 40 }, (_, i) => Math.cos(i))).reshape(5, 2, 4);
    return jit(step)(w, np.ones([2, 4]), xs);
  });
  await h.data();
  report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  return report;
}

const ops = (g: PassGraph): GraphNode[] => g.nodes.filter((n) => n.kind === "op");
/** Groups holding kernels (a nested loop's group holds only its loop node and runs no kernel). */
const kernelGroups = (g: PassGraph) =>
  g.groups.filter((x) => !x.nodes.every((id) => g.nodes.find((n) => n.id === id)?.loop));

test("from the fuse pass on, a scan node's body groups are the report's body kernels by id and name, a nested fori_loop's too; before fuse the body has no groups", async () => {
  const r = await profiled();
  validateReport(JSON.parse(JSON.stringify(r)));
  const c = r.compilations.find((x) => x.functionName === "step")!;
  const kernels = new Map(r.kernels.filter((k) => k.compilation === c.id).map((k) => [k.id, k]));
  const inLoops = [...kernels.values()].filter((k) => k.loop).map((k) => k.id);
  for (const pass of c.passes) {
    const scan = pass.graph.nodes.find((n) => n.loop?.kind === "scan")!;
    const body = scan.loop!.body;
    if (pass.name === "trace" || pass.name === "simplify" || pass.name === "cse" || pass.name === "dce") {
      assert.deepEqual([body.groups.length, scan.loop!.bodyKernels, scan.loop!.bodyFusion], [0, [], undefined]);
      continue;
    }
    const nested = body.nodes.find((n) => n.loop)!;
    assert.equal(nested.loop!.tripCount, 3, pass.name);
    const drawn = [...kernelGroups(body), ...kernelGroups(nested.loop!.body)];
    assert.deepEqual(drawn.map((g) => g.id).sort(), [...inLoops].sort(), pass.name);
    assert.deepEqual([...scan.loop!.bodyKernels].sort(), [...inLoops].sort(), pass.name);
    assert.deepEqual(
      [...nested.loop!.bodyKernels].sort(),
      kernelGroups(nested.loop!.body)
        .map((g) => g.id)
        .sort(),
    );
    for (const g of drawn) assert.equal(g.name, kernels.get(g.id)!.name, `${pass.name} ${g.id}`);
    // Every op of the body is in exactly one group, the nested loop's node in its own.
    for (const graph of [body, nested.loop!.body]) {
      const members = graph.groups.flatMap((g) => g.nodes).sort();
      assert.deepEqual(
        members,
        ops(graph)
          .map((n) => n.id)
          .sort(),
        pass.name,
      );
      for (const n of ops(graph)) assert.equal(n.kernel, graph.groups.find((g) => g.nodes.includes(n.id))!.id);
    }
  }
});

test("a compiled body's fusion report names its groups' kernels and ops, and its boundaries join body nodes across two of its groups", async () => {
  const r = await profiled();
  const c = r.compilations.find((x) => x.functionName === "step")!;
  const scan = c.passes.find((p) => p.name === "fuse")!.graph.nodes.find((n) => n.loop?.kind === "scan")!;
  const { body, bodyFusion } = scan.loop!;
  assert.ok(bodyFusion);
  assert.deepEqual(
    bodyFusion.decisions.map((d) => [d.kernel, d.ops]),
    body.groups.map((g) => [g.id, g.nodes]),
  );
  assert.ok(bodyFusion.boundaries.length > 0);
  const groupOf = (id: string) => body.groups.find((g) => g.nodes.includes(id))?.id;
  for (const b of bodyFusion.boundaries) {
    assert.equal(groupOf(b.from), b.fromKernel, JSON.stringify(b));
    assert.equal(groupOf(b.to), b.toKernel, JSON.stringify(b));
    assert.notEqual(b.fromKernel, b.toKernel);
    assert.ok(
      body.edges.some((e) => e.source === b.from && e.target === b.to),
      JSON.stringify(b),
    );
    assert.ok(b.reason.length > 0 && b.costMs === undefined);
  }
  // The matmul + add + tanh kernel's result [2, 4] f32 (32 bytes) is written and read back by the
  // fori_loop from memory: 64 bytes each iteration of the scan.
  const label = (id: string) => body.nodes.find((n) => n.id === id)?.label;
  const intoFori = bodyFusion.boundaries.filter((b) => label(b.from) === "tanh" && label(b.to) === "scan");
  assert.deepEqual(
    intoFori.map((b) => [b.bytes, b.reason]),
    [[2 * (2 * 4 * 4), "scan operand: the loop reads it from memory on every iteration"]],
  );
});

test("a scan body's inputs read const 0, carry 0, x 0 and its outputs carry 0, y 0; a fori_loop's body const/carry by its own counts", async () => {
  const r = await profiled();
  const c = r.compilations.find((x) => x.functionName === "step")!;
  for (const name of ["dce", "fuse", "memory"]) {
    const scan = c.passes.find((p) => p.name === name)!.graph.nodes.find((n) => n.loop?.kind === "scan")!;
    const ends = (g: PassGraph, kind: "input" | "output") =>
      g.nodes
        .filter((n) => n.kind === kind)
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((n) => `${n.label} [${n.shape}]`);
    // The body reads w and a captured scalar (consts), h (carry) and x_t; writes h' (carry) and
    // the step's sum (y).
    assert.deepEqual(
      ends(scan.loop!.body, "input"),
      ["const 0 [4,4]", "const 1 []", "carry 0 [2,4]", "x 0 [2,4]"],
      name,
    );
    assert.deepEqual(ends(scan.loop!.body, "output"), ["carry 0 [2,4]", "y 0 []"], name);
  }
  const fori = c.passes
    .find((p) => p.name === "fuse")!
    .graph.nodes.find((n) => n.loop?.kind === "scan")!
    .loop!.body.nodes.find((n) => n.loop)!;
  const inputs = fori.loop!.body.nodes.filter((n) => n.kind === "input").map((n) => n.label);
  assert.ok(inputs.includes("carry 0") && inputs.every((l) => /^(const|carry|x) \d+$/.test(l)), inputs.join(","));
});

test("the editor's line index lists a body boundary at its producer's line, with the bytes of all its iterations in a call", async () => {
  const r = await profiled();
  const entry = Object.values(r.lines).find((e) => e.line === tanhLine && e.file.endsWith("loopBodyGraph.test.ts"));
  assert.ok(entry, `no line entry at ${tanhLine}`);
  assert.deepEqual(entry.unfused, [
    {
      op: "tanh",
      reason: "scan operand: the loop reads it from memory on every iteration (in a loop body: 5 iterations a call)",
      bytes: 5 * 2 * (2 * 4 * 4),
    },
  ]);
});

test("the not-fused table has each body boundary as a row named by its function and loop, with its bytes in all of a call's iterations", async () => {
  const r = await profiled();
  const c = r.compilations.find((x) => x.functionName === "step")!;
  const scan = c.passes.find((p) => p.name === "fuse")!.graph.nodes.find((n) => n.loop?.kind === "scan")!;
  const fori = scan.loop!.body.nodes.find((n) => n.loop)!;
  const rows = boundaryRows(r).filter((x) => x.functionName.startsWith("step"));
  // Every boundary is counted once: the function's, the scan body's and the fori_loop body's.
  const all = [c.fusion, scan.loop!.bodyFusion!, fori.loop!.bodyFusion!].flatMap((f) => f.boundaries);
  assert.equal(
    rows.reduce((n, x) => n + x.count, 0),
    all.length,
  );
  const at = `step › scan ×5 (loopBodyGraph.test.ts:${scan.location!.line})`;
  const tanhKernel = r.kernels.find((k) => k.id === scan.loop!.body.groups.find((g) => g.nodes.includes("op2"))!.id)!;
  const row = rows.find((x) => x.functionName === at && x.reason.startsWith("scan operand"))!;
  assert.deepEqual(
    [row.pair, row.cost, row.bytes],
    [
      `${tanhKernel.name} → scan ×3 (loopBodyGraph.test.ts:${fori.location!.line})`,
      `${boundaryCostText({ bytes: 5 * 64 })} in 5 iterations`,
      5 * 64,
    ],
  );
});

test("a while loop's node carries its compiled condition beside its body: groups as the report's condition kernels, inputs const/carry, output continue", async () => {
  const count = (x: Tracer, limit: Tracer) =>
    lax.while_loop(
      ([i, v]: [Tracer, Tracer]) => np.logical_and(np.less(i, 7), np.less(np.sum(v), limit)),
      ([i, v]: [Tracer, Tracer]): [Tracer, Tracer] => [np.add(i, 1), np.multiply(np.exp(np.log(v)), 1.5)],
      [np.array(0, { dtype: "int32" }), x] as [Tracer, Tracer],
    )[1];
  const got = await onBackend("cpu", () => jit(count)(np.ones([3]), np.array(1e6))).data();
  // Seven iterations of × 1.5 (through exp(log(v)): within float32 rounding).
  assert.ok(
    Array.from(got).every((v) => Math.abs(v - 1.5 ** 7) <= 1e-6 * 1.5 ** 7),
    `${got}`,
  );
  const r = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  validateReport(JSON.parse(JSON.stringify(r)));
  const c = r.compilations.find((x) => x.functionName === "count")!;
  const node = c.passes.find((p) => p.name === "fuse")!.graph.nodes.find((n) => n.loop?.kind === "while")!;
  const { body, cond, condFusion, bodyKernels } = node.loop!;
  assert.ok(cond && condFusion);
  const condKernels = r.kernels.filter((k) => k.compilation === c.id && /k\d+c\.k\d+$/.test(k.id));
  assert.ok(condKernels.length > 0);
  assert.deepEqual(cond.groups.map((g) => [g.id, g.name]).sort(), condKernels.map((k) => [k.id, k.name]).sort());
  assert.deepEqual(
    condFusion.decisions.map((d) => [d.kernel, d.ops]),
    cond.groups.map((g) => [g.id, g.nodes]),
  );
  // The body's groups are the body's kernels only; the loop's list holds both.
  assert.ok(body.groups.length > 0 && body.groups.every((g) => !/c\.k\d+$/.test(g.id)));
  assert.deepEqual([...bodyKernels].sort(), [...body.groups.map((g) => g.id), ...cond.groups.map((g) => g.id)].sort());
  const labels = (kind: string) => cond.nodes.filter((n) => n.kind === kind).map((n) => n.label);
  // The condition reads the limit (a const) and both carries, and says whether to go on.
  assert.deepEqual(labels("input"), ["const 0", "carry 0", "carry 1"]);
  assert.deepEqual(labels("output"), ["continue"]);
  // Before fuse, the condition as traced: its ops, no kernels yet.
  const traced = c.passes.find((p) => p.name === "dce")!.graph.nodes.find((n) => n.loop?.kind === "while")!.loop!;
  assert.deepEqual([traced.cond!.groups.length, traced.condFusion, ops(traced.cond!).length > 0], [0, undefined, true]);
});
