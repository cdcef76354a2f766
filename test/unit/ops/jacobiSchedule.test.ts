// The round-robin ("circle") tournament that eigh's and svd's Jacobi rounds follow
// (runtime/src/lax/jacobiRotations.ts), evaluated on the CPU reference: in every round each row
// has exactly one partner (the pairs are disjoint and cover all n rows), over n − 1 rounds every
// pair of rows meets exactly once, and the round number wraps to 0 after n − 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { indexGrid, nextRound, partnerOf } from "../../../runtime/src/lax/jacobiRotations.js";
import { onBackend } from "./harness.js";

async function partners(n: number, round: number): Promise<number[]> {
  const p = onBackend("cpu", () => partnerOf(indexGrid([n]), np.array(round, { dtype: "int32" }), n));
  return Array.from(await p.data());
}

for (const n of [2, 4, 6, 8, 16]) {
  test(`n = ${n}: each of the ${n - 1} rounds pairs all ${n} rows disjointly, and every pair meets exactly once`, async () => {
    const met = new Set<string>();
    for (let r = 0; r < n - 1; r++) {
      const p = await partners(n, r);
      p.forEach((j, i) => {
        assert.notEqual(j, i, `round ${r}: row ${i} meets itself`);
        assert.equal(p[j], i, `round ${r}: row ${i} meets ${j}, whose partner is ${p[j]}`);
        if (i < j) met.add(`${i},${j}`);
      });
    }
    assert.equal(met.size, (n * (n - 1)) / 2);
  });
}

test("round 1 of 6 rows pairs (0, 2), (1, 5), (3, 4) by hand: 2r − i mod 5, and row 5 meets row r", async () => {
  assert.deepEqual(await partners(6, 1), [2, 5, 0, 4, 3, 1]);
});

test("the round after r counts up and wraps to 0 after n − 2", async () => {
  const next = async (r: number, n: number) =>
    (await onBackend("cpu", () => nextRound(np.array(r, { dtype: "int32" }), n)).data())[0];
  assert.equal(await next(0, 6), 1);
  assert.equal(await next(3, 6), 4);
  assert.equal(await next(4, 6), 0);
  assert.equal(await next(0, 2), 0);
});
