import { test } from "node:test";
import assert from "node:assert/strict";
import {
  changedNodeIds,
  defaultPassIndex,
  passSummary,
  removedNodeIds,
  stepPass,
} from "../../../webview/src/model/passStepper.js";
import { mlpReport } from "./fixtures.js";

const step = mlpReport().compilations[0]!;
const names = step.passes.map((p) => p.name);

test("the passes run trace through memory and the panel opens on fuse", () => {
  assert.deepEqual(names, ["trace", "simplify", "cse", "dce", "fuse", "lower", "wgsl", "memory"]);
  assert.equal(defaultPassIndex(step), 4);
});

test("stepping moves one pass and stops at both ends", () => {
  assert.equal(stepPass(4, 1, 8), 5);
  assert.equal(stepPass(4, -1, 8), 3);
  assert.equal(stepPass(7, 1, 8), 7);
  assert.equal(stepPass(0, -1, 8), 0);
  assert.equal(stepPass(3, 1, 0), 0);
});

test("simplify changed the division it rewrote; cse rewired op9; dce removed the dead loss", () => {
  assert.deepEqual([...changedNodeIds(step.passes, 1)], ["op6"]);
  assert.deepEqual([...changedNodeIds(step.passes, 2)], ["op9"]);
  assert.deepEqual(removedNodeIds(step.passes, 2), ["op15"]);
  assert.deepEqual([...changedNodeIds(step.passes, 3)], []);
  assert.deepEqual(removedNodeIds(step.passes, 3).sort(), ["c0", "op16", "op4", "op5", "op6"]);
  assert.deepEqual([...changedNodeIds(step.passes, 4)], ["op1", "op3", "op11"]);
  assert.deepEqual([...changedNodeIds(step.passes, 5)], []);
  assert.deepEqual([...changedNodeIds(step.passes, 0)], []);
});

test("a pass summary says what it changed", () => {
  assert.equal(passSummary(step.passes, 2), "cse · 0.04 ms · 1 changed, 1 removed");
  assert.equal(passSummary(step.passes, 5), "lower · 0.12 ms · no change");
  assert.equal(passSummary(step.passes, 0), "trace · 0.42 ms · 24 nodes");
});
