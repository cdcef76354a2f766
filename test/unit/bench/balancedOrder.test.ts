// The bench's run order (bench/measure.ts balancedOrder): over a full cycle of runs, every
// contender comes right after every other one equally often, so one contender's leftovers (a
// peer's late frees, a collection's sweeping) do not always land on the same neighbour.

import { test } from "node:test";
import assert from "node:assert/strict";
import { balancedOrder } from "../../../bench/measure.js";

/** How often contender b comes right after contender a within a run, over `runs` runs. */
function follows(n: number, runs: number): number[][] {
  const count = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let r = 0; r < runs; r++) {
    const order = balancedOrder(n, r);
    assert.deepEqual(
      [...order].sort((x, y) => x - y),
      [...Array(n).keys()],
      `run ${r} of ${n} is a permutation: ${order.join(",")}`,
    );
    for (let i = 1; i < n; i++) count[order[i - 1]!]![order[i]!]!++;
  }
  return count;
}

test("balancedOrder: for 2, 4 and 6 contenders each ordered pair is adjacent exactly once over n runs", () => {
  for (const n of [2, 4, 6]) {
    const count = follows(n, n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) assert.equal(count[a]![b], a === b ? 0 : 1, `n=${n}: ${b} after ${a}`);
  }
});

test("balancedOrder: for 3 and 5 contenders each ordered pair is adjacent exactly twice over 2n runs", () => {
  for (const n of [3, 5]) {
    const count = follows(n, 2 * n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) assert.equal(count[a]![b], a === b ? 0 : 2, `n=${n}: ${b} after ${a}`);
  }
});

test("balancedOrder: the four contenders of a matmul section, in the bench's 5 runs, do not keep one neighbour", () => {
  // jax-js, jax-js (our wait), ours, hand: with the old rotation "ours" followed jax-js (our
  // wait) within every run.
  const before = new Set<number>();
  for (let r = 0; r < 5; r++) {
    const order = balancedOrder(4, r);
    const at = order.indexOf(2);
    if (at > 0) before.add(order[at - 1]!);
  }
  assert.deepEqual([...before].sort(), [0, 1, 3]);
});
