// The Graph view's open loop body, DOM-free (model/loopBody.ts): the body standing for the
// function at every pass, the trail's names, where a body kernel is drawn, and the graph model
// of a body (its boundaries' reasons, bytes each iteration).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Compilation, FusionReport, GraphNode, LoopInfo, PassGraph } from "@jitscope/contract";
import { kernelInLoops, openLoop } from "../../../webview/src/model/loopBody.js";
import { buildGraphModel } from "../../../webview/src/model/graphModel.js";
import { searchLoopBodies } from "../../../webview/src/model/graphQueries.js";
import { loopOf } from "../../../webview/src/model/loopBadge.js";
import { edgeTooltip } from "../../../webview/src/views/graphPaint.js";
import { kernel } from "./fixtures.js";

const at = (line: number) => ({ file: "/w/rnn.ts", line, column: 5 });
const node = (id: string, label: string, extra: Partial<GraphNode> = {}): GraphNode => ({
  id,
  kind: "op",
  label,
  shape: [4, 8],
  dtype: "float32",
  location: at(10),
  nameStack: [],
  ...extra,
});
const edge = (source: string, target: string) => ({ source, target, bytes: 128, shape: [4, 8], dtype: "float32" });

// The nested fori_loop's body: one kernel.
const inner: PassGraph = {
  nodes: [node("in0", "carry 0", { kind: "input" }), node("op0", "sin"), node("out0", "carry 0", { kind: "output" })],
  edges: [edge("in0", "op0"), edge("op0", "out0")],
  groups: [{ id: "c0/k1.k1.k0", name: "sin", nodes: ["op0"] }],
};
const innerLoop: LoopInfo = { kind: "scan", tripCount: 3, body: inner, bodyKernels: ["c0/k1.k1.k0"] };
const bodyFusion: FusionReport = {
  decisions: [
    { kernel: "c0/k1.k0", ops: ["op0", "op1"], kind: "matmul", reason: "matmul with epilogue" },
    { kernel: "c0/k1.k1", ops: ["op2"], kind: "loop", reason: "scan" },
  ],
  boundaries: [
    {
      from: "op1",
      to: "op2",
      fromKernel: "c0/k1.k0",
      toKernel: "c0/k1.k1",
      rule: "loop-operand",
      reason: "scan operand: the loop reads it from memory on every iteration",
      bytes: 256,
    },
  ],
};
// The scan's body as compiled: matmul + tanh in one kernel, then the fori_loop.
const compiled: PassGraph = {
  nodes: [
    node("in0", "carry 0", { kind: "input" }),
    node("op0", "matmul", { location: at(11) }),
    node("op1", "tanh", { location: at(11) }),
    node("op2", "scan", { location: at(12), loop: innerLoop }),
    node("out0", "carry 0", { kind: "output" }),
  ],
  edges: [edge("in0", "op0"), edge("op0", "op1"), edge("op1", "op2"), edge("op2", "out0")],
  groups: [
    { id: "c0/k1.k0", name: "matmul_tanh", nodes: ["op0", "op1"] },
    { id: "c0/k1.k1", name: "scan_loop", nodes: ["op2"] },
  ],
};
const traced: PassGraph = { ...compiled, groups: [], nodes: compiled.nodes.map((n) => ({ ...n, loop: undefined })) };
const top = (body: PassGraph, fusion?: FusionReport): PassGraph => ({
  nodes: [
    node("in0", "xs", { kind: "input" }),
    node("op4", "scan", {
      location: at(9),
      loop: {
        kind: "scan",
        tripCount: 32,
        body,
        bodyKernels: fusion ? ["c0/k1.k0", "c0/k1.k1.k0"] : [],
        ...(fusion ? { bodyFusion: fusion } : {}),
      },
    }),
    node("out0", "h", { kind: "output" }),
  ],
  edges: [edge("in0", "op4"), edge("op4", "out0")],
  groups: [],
});
const pass = (name: string, graph: PassGraph) => ({ name, ms: 1, changed: true, text: name, graph });
const c: Compilation = {
  id: "c0",
  functionName: "step",
  location: at(2),
  signature: "(f32[32,4,8]) -> f32[4,8]",
  reason: "first call",
  passes: [
    pass("dce", top(traced)),
    pass("fuse", top(compiled, bodyFusion)),
    pass("memory", { ...top(compiled, bodyFusion), nodes: [] }),
  ],
  fusion: { decisions: [], boundaries: [] },
  kernels: [],
  compileMs: { total: 1, perPass: {} },
  peakBytes: 0,
};

test("an open body stands for the function at every pass, with its fusion report; a missing or empty path opens nothing", () => {
  const v = openLoop(c, 1, ["op4"])!;
  assert.equal(v.compilation.passes[1]!.graph, compiled);
  assert.equal(v.compilation.passes[0]!.graph, traced);
  // At a pass where the loop is not there, its graph is empty.
  assert.deepEqual(v.compilation.passes[2]!.graph, { nodes: [], edges: [], groups: [] });
  assert.equal(v.compilation.fusion, bodyFusion);
  assert.deepEqual(v.trail, [{ node: "op4", label: "scan × 32 (rnn.ts:9)", part: "body" }]);
  const nested = openLoop(c, 1, ["op4", "op2"])!;
  assert.equal(nested.compilation.passes[1]!.graph, inner);
  assert.deepEqual(
    nested.trail.map((t) => t.label),
    ["scan × 32 (rnn.ts:9)", "scan × 3 (rnn.ts:12)"],
  );
  assert.equal(openLoop(c, 1, []), null);
  assert.equal(openLoop(c, 1, ["op0"]), null);
  assert.equal(openLoop(c, 2, ["op4"]), null);
  // Before fuse the traced body's loops have no body of their own to open.
  assert.equal(openLoop(c, 0, ["op4", "op2"]), null);
});

test("a body kernel is found in the body, or the body nested in it, that draws it; before fuse in none", () => {
  assert.deepEqual(kernelInLoops(c, 1, "c0/k1.k0"), { path: ["op4"], nodes: ["op0", "op1"] });
  assert.deepEqual(kernelInLoops(c, 1, "c0/k1.k1.k0"), { path: ["op4", "op2"], nodes: ["op0"] });
  assert.equal(kernelInLoops(c, 0, "c0/k1.k0"), null);
  assert.equal(kernelInLoops(c, 1, "c0/k9"), null);
});

test("a nested loop's kernels are its body's list, never the report's kernels of an outer loop with the same node id", () => {
  // Samples in µs: 20 + 20 for the nested body's kernel, 50 for a kernel of a top-level loop op2.
  const k = {
    ...kernel("c0/k1.k1.k0", "sin", "c0", ["sin"], ["op4"], [12], [20, 20], 256, 0),
    loop: { node: "op4", kind: "scan" as const, runsPerCall: 96 },
  };
  const outer = {
    ...kernel("c0/k0", "other", "c0", ["exp"], ["op2"], [30], [50], 256, 0),
    loop: { node: "op2", kind: "scan" as const, runsPerCall: 1 },
  };
  const kernels = new Map([k, outer].map((x) => [x.id, x]));
  const nestedNode = compiled.nodes.find((n) => n.id === "op2")!;
  assert.deepEqual(loopOf(nestedNode, "c0", kernels, true)!.kernelTotals, [{ name: "sin", totalNs: 40_000 }]);
  const unlisted = { ...nestedNode, loop: { ...innerLoop, bodyKernels: [] } };
  assert.deepEqual(loopOf(unlisted, "c0", kernels, true)!.kernelTotals, []);
  assert.deepEqual(loopOf(unlisted, "c0", kernels, false)!.kernelTotals, [{ name: "other", totalNs: 50_000 }]);
});

test("a body's boundary edge carries its reason and reads its bytes each iteration", () => {
  const v = openLoop(c, 1, ["op4"])!;
  const model = buildGraphModel(
    v.compilation,
    1,
    new Map(),
    { hideConstants: false, collapsed: new Set(), loopBody: true },
    { timestampTickNs: 1 },
  );
  const e = model.edges.find((x) => x.source === "op1" && x.target === "op2")!;
  assert.equal(e.boundary, bodyFusion.boundaries[0]);
  const tip = edgeTooltip(e);
  assert.ok(tip.startsWith("why not fused: scan operand: the loop reads it from memory on every iteration\n"), tip);
  assert.ok(tip.includes("256 B written and read back each iteration"), tip);
  assert.ok(tip.endsWith("float32[4,8] · 128 B each iteration"), tip);
});

test("a while loop's condition opens with a :cond step, its kernels are found there, and a scan has none to open", () => {
  const condGraph: PassGraph = {
    nodes: [node("in0", "carry 0", { kind: "input" }), node("op0", "lt"), node("out0", "continue", { kind: "output" })],
    edges: [edge("in0", "op0"), edge("op0", "out0")],
    groups: [{ id: "c0/k1c.k0", name: "lt", nodes: ["op0"] }],
  };
  const condFusion: FusionReport = {
    decisions: [{ kernel: "c0/k1c.k0", ops: ["op0"], kind: "elementwise", reason: "elementwise chain" }],
    boundaries: [],
  };
  const w: Compilation = {
    ...c,
    passes: c.passes.map((p) => ({
      ...p,
      graph: {
        ...p.graph,
        nodes: p.graph.nodes.map((n) =>
          n.loop
            ? { ...n, loop: { ...n.loop, kind: "while" as const, tripCount: null, cond: condGraph, condFusion } }
            : n,
        ),
      },
    })),
  };
  const v = openLoop(w, 1, ["op4:cond"])!;
  assert.equal(v.cond, true);
  assert.equal(v.compilation.passes[1]!.graph, condGraph);
  assert.equal(v.compilation.fusion, condFusion);
  assert.deepEqual(v.trail, [{ node: "op4:cond", label: "while_loop (rnn.ts:9)", part: "condition" }]);
  assert.equal(openLoop(w, 1, ["op4"])!.cond, false);
  assert.deepEqual(kernelInLoops(w, 1, "c0/k1c.k0"), { path: ["op4:cond"], nodes: ["op0"] });
  assert.equal(openLoop(c, 1, ["op4:cond"]), null);
});

test("search counts the matching ops inside each loop's body, nested loops' too, by the loop node drawn", () => {
  const fuse = c.passes[1]!.graph;
  assert.deepEqual([...searchLoopBodies(fuse, "SIN")], [["op4", 1]]);
  assert.deepEqual([...searchLoopBodies(fuse, "a")], [["op4", 3]]); // matmul, tanh, the nested scan
  assert.deepEqual([...searchLoopBodies(fuse, "exp")], []);
  assert.deepEqual([...searchLoopBodies(fuse, " ")], []);
  // The traced body (before fuse) has no nested body to look in.
  assert.deepEqual([...searchLoopBodies(c.passes[0]!.graph, "sin")], []);
});
