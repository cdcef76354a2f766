// Search's next/previous targets, DOM-free: every matching op of the pass, drawn or hidden in a
// closed scope, in graph order; and the scope ids that must open for an op to be drawn.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildGraphModel } from "../../../webview/src/model/graphModel.js";
import { scopesAround, searchPass } from "../../../webview/src/model/graphQueries.js";
import { mlpReport } from "./fixtures.js";

const report = mlpReport();
const step = report.compilations[0]!;
const kernels = new Map(report.kernels.map((k) => [k.id, k]));
const FUSE = step.passes.findIndex((p) => p.name === "fuse");

test("searchPass lists every op whose label matches, in graph order, including those hidden in a closed scope", () => {
  const fuse = step.passes[FUSE]!.graph;
  const id = "scope:step/grad(loss)/transpose";
  const hidden = fuse.nodes.filter((n) => n.kind === "op" && n.nameStack.includes("transpose"));
  assert.ok(hidden.length > 0);
  const label = hidden[0]!.label;
  const closed = buildGraphModel(
    step,
    FUSE,
    kernels,
    { hideConstants: false, collapsed: new Set(), scopeToggles: { [id]: false } },
    {},
  );
  assert.equal(closed.drawnFor[hidden[0]!.id], id, "the op is drawn as its closed scope");
  const want = fuse.nodes.filter((n) => n.label.toLowerCase().includes(label.toLowerCase())).map((n) => n.id);
  assert.deepEqual(searchPass(step, FUSE, closed, label.toUpperCase()), want);
  assert.ok(want.includes(hidden[0]!.id));
  assert.deepEqual(searchPass(step, FUSE, closed, "  "), []);
  assert.deepEqual(searchPass(step, FUSE, closed, "no-such-op-name"), []);
});

test("scopesAround names every enclosing scope id, outermost first, as the scope tree spells them", () => {
  assert.deepEqual(scopesAround(["step", "grad(loss)", "transpose"]), [
    "scope:step",
    "scope:step/grad(loss)",
    "scope:step/grad(loss)/transpose",
  ]);
  assert.deepEqual(scopesAround([]), []);
});
