// The autotune search's paired re-check (codegen/tune/recheck.ts): each pair compiles both sides
// anew, so a challenger that led on one lucky pipeline is judged by its fresh draws.

import { test } from "node:test";
import assert from "node:assert/strict";
import { beatsDefaultOnFreshPipelines, type RecheckSide } from "../../../runtime/src/codegen/tune/recheck.js";

/** A side whose k-th drawn pipeline times `ms[k]` per dispatch; logs draws and blocks. */
function side(name: string, ms: readonly number[], log: string[], reps = 4): RecheckSide {
  let drawn = 0;
  return {
    reps,
    draw: async () => {
      const k = drawn++;
      log.push(`${name} draw ${k}`);
      return async (n: number) => {
        log.push(`${name} block ${k} ×${n}`);
        return ms[k]!;
      };
    },
  };
}

test("beatsDefaultOnFreshPipelines: every pair draws a new pipeline for each side, default first, each timed once with its reps", async () => {
  const log: string[] = [];
  await beatsDefaultOnFreshPipelines(side("d", [80, 81, 82], log, 2), side("c", [70, 71, 72], log, 5), 3);
  assert.deepEqual(log, [
    "d draw 0",
    "d block 0 ×2",
    "c draw 0",
    "c block 0 ×5",
    "d draw 1",
    "d block 1 ×2",
    "c draw 1",
    "c block 1 ×5",
    "d draw 2",
    "d block 2 ×2",
    "c draw 2",
    "c block 2 ×5",
  ]);
});

test("beatsDefaultOnFreshPipelines: a challenger with one fast draw but slower fresh ones loses (median 90 vs 81); faster draws win; a tie keeps the default", async () => {
  const log: string[] = [];
  assert.equal(
    await beatsDefaultOnFreshPipelines(side("d", [80, 82, 81], log), side("c", [50, 90, 95], log), 3),
    false,
  );
  assert.equal(await beatsDefaultOnFreshPipelines(side("d", [80, 82, 81], log), side("c", [70, 72, 71], log), 3), true);
  assert.equal(
    await beatsDefaultOnFreshPipelines(side("d", [80, 81, 82], log), side("c", [82, 81, 80], log), 3),
    false,
  );
});
