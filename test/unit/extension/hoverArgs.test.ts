// The `jit(` hover lists a compilation's arguments by their paths in the user's code, grouped by
// top-level argument, from the argument paths the trace puts on the graph's input nodes.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { GraphNode, Report } from "@jitscope/contract";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { argumentStructure } from "../../../extension/src/model/argStructure.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

const input = (i: number, label: string, shape: number[], dtype = "float32"): GraphNode => ({
  id: `in${i}`,
  kind: "input",
  label,
  shape,
  dtype,
  location: null,
  nameStack: [],
});

/** sampleReport's step, traced as `step(p, opt, x)` with its inputs labelled by argument path. */
function reportWithInputs(nodes: GraphNode[]): Report {
  const r = sampleReport();
  const comp = r.compilations[0]!;
  comp.signature = "(float32[8,32], float32[32], float32[8,32], float32[8,32], float32[256,8], int32[]) -> float32[]";
  comp.passes[0]!.graph.nodes = [
    ...nodes,
    { id: "e0", kind: "op", label: "matmul", shape: [256, 32], dtype: "float32", location: null, nameStack: [] },
  ];
  return r;
}

const LABELLED = [
  input(0, "p.w1", [8, 32]),
  input(1, "p.b1", [32]),
  input(2, "opt.m[0]", [8, 32]),
  input(3, "opt.m[1]", [8, 32]),
  input(4, "x", [256, 8]),
  input(5, 'opt["step count"]', [], "int32"),
];

test("argument paths regroup into one structure per top-level argument, in argument order", () => {
  const r = reportWithInputs([...LABELLED].reverse()); // node order in the graph does not matter; inN does
  assert.deepEqual(argumentStructure(r.compilations[0]!), [
    "p: {w1: float32[8,32], b1: float32[32]}",
    'opt: {m: [float32[8,32], float32[8,32]], "step count": int32[]}',
    "x: float32[256,8]",
  ]);
});

test("the jit( hover lists the arguments by path and the result instead of the flat signature", () => {
  const md = lineHoverMarkdown(indexReport(reportWithInputs(LABELLED)), SCRIPT, 2)!;
  const ir = `[IR](command:jitscope.openPassIrAt?${encodeURIComponent('["c0","fuse"]')})`;
  assert.ok(
    md.endsWith(
      [
        `- first call · compiled in 12.0 ms · ${ir}`,
        "  - `p: {w1: float32[8,32], b1: float32[32]}`",
        '  - `opt: {m: [float32[8,32], float32[8,32]], "step count": int32[]}`',
        "  - `x: float32[256,8]`",
        "  - returns `float32[]`",
      ].join("\n"),
    ),
    md,
  );
  assert.ok(!md.includes("(float32[8,32], float32[32]"), "the flat aval list is replaced");
});

test("a big container shows its first 8 entries and how many more", () => {
  const nodes = Array.from({ length: 10 }, (_, i) => input(i, `xs[${i}]`, [i]));
  assert.deepEqual(argumentStructure(reportWithInputs(nodes).compilations[0]!), [
    "xs: [float32[0], float32[1], float32[2], float32[3], float32[4], float32[5], float32[6], float32[7], … 2 more]",
  ]);
});

test("without labelled inputs, or with labels that are no argument paths, the hover keeps the flat signature", () => {
  assert.equal(argumentStructure(sampleReport().compilations[0]!), null, "no input nodes");
  assert.equal(
    argumentStructure(reportWithInputs([input(0, "p.w1", [2]), input(1, "p.w1", [2])]).compilations[0]!),
    null,
    "a path twice",
  );
  assert.equal(
    argumentStructure(reportWithInputs([input(0, "p", [2]), input(1, "p.w1", [2])]).compilations[0]!),
    null,
    "a leaf and a container",
  );
  assert.equal(argumentStructure(reportWithInputs([input(0, "p..w1", [2])]).compilations[0]!), null, "not a path");
  const md = lineHoverMarkdown(indexReport(reportWithInputs([input(0, "1bad", [2])])), SCRIPT, 2)!;
  assert.ok(
    md.includes(
      "- `(float32[8,32], float32[32], float32[8,32], float32[8,32], float32[256,8], int32[]) -> float32[]` — first call",
    ),
    md,
  );
});
