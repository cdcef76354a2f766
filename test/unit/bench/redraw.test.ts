// The bench's fresh pipelines per run (bench/measure.ts Contender.redraw): timeAll redraws a
// contender right before each of its timed blocks (never before its warm-up), and a contender
// without redraw is timed as before.

import { test } from "node:test";
import assert from "node:assert/strict";
import { timeAll, type Contender } from "../../../bench/measure.js";

function logged(name: string, log: string[], withRedraw: boolean): Contender {
  return {
    name,
    iters: 2,
    step: () => void log.push(`${name}.step`),
    wait: async () => void log.push(`${name}.wait`),
    ...(withRedraw ? { redraw: async () => void log.push(`${name}.redraw`) } : {}),
  };
}

test("timeAll: each timed block of a contender with redraw comes right after one redraw; warm-ups get none", async () => {
  const log: string[] = [];
  const runs = 3;
  const t = await timeAll([logged("a", log, true), logged("b", log, false)], runs);
  assert.equal(t.get("a")!.length, runs);
  assert.equal(t.get("b")!.length, runs);
  // Warm-up: one step and wait each, no redraw.
  assert.deepEqual(log.slice(0, 4), ["a.step", "a.wait", "b.step", "b.wait"]);
  const timed = log.slice(4);
  assert.equal(timed.filter((e) => e === "a.redraw").length, runs, "one redraw of a per run");
  assert.equal(timed.filter((e) => e === "b.redraw").length, 0);
  // a's block: redraw, then its 2 steps and a wait, nothing in between.
  timed.forEach((e, i) => {
    if (e === "a.redraw")
      assert.deepEqual(timed.slice(i + 1, i + 4), ["a.step", "a.step", "a.wait"], `after redraw ${i}`);
  });
  assert.equal(timed.filter((e) => e === "a.step").length, runs * 2);
  assert.equal(timed.filter((e) => e === "b.step").length, runs * 2);
});
