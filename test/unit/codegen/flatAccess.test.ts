// flatBroadcast: how a broadcast's input is indexed from its output's flat index, checked
// against every element of small shapes by brute force (row-major coordinates).

import { test } from "node:test";
import assert from "node:assert/strict";
import { flatBroadcast } from "../../../runtime/src/codegen/flatAccess.js";

/** The input's flat index of every output element, from coordinates. */
function bruteForce(inShape: number[], outShape: number[], dims: number[]): number[] {
  const n = outShape.reduce((a, d) => a * d, 1);
  const res: number[] = [];
  for (let e = 0; e < n; e++) {
    const coords: number[] = [];
    let rest = e;
    for (let a = outShape.length - 1; a >= 0; a--) {
      coords[a] = rest % outShape[a]!;
      rest = Math.floor(rest / outShape[a]!);
    }
    let idx = 0;
    inShape.forEach((d, k) => (idx = idx * d + (d === 1 ? 0 : coords[dims[k]!]!)));
    res.push(idx);
  }
  return res;
}

test("flatBroadcast maps every output element to the input element the coordinates give", () => {
  const cases: [number[], number[], number[], string | null][] = [
    [[3], [2, 3], [1], "mod"],
    [[1, 3], [2, 3], [0, 1], "mod"],
    [[3, 4], [2, 3, 4], [1, 2], "mod"],
    [[2], [2, 3], [0], "div"],
    [[2, 1], [2, 3], [0, 1], "div"],
    [[2, 3], [2, 3, 4], [0, 1], "div"],
    [[2, 3], [2, 1, 3], [0, 2], "same"],
    [[6], [1, 6, 1], [1], "same"],
    [[1], [4, 5], [1], "zero"],
    [[], [4, 5], [], "zero"],
    [[2, 4], [2, 3, 4], [0, 2], null], // a middle axis broadcast
    [[3], [2, 3, 4], [1], null],
  ];
  for (const [inShape, outShape, dims, kind] of cases) {
    const m = flatBroadcast(inShape, outShape, dims);
    const what = `[${inShape}] → [${outShape}] dims [${dims}]`;
    assert.equal(m?.kind ?? null, kind, what);
    if (!m) continue;
    const want = bruteForce(inShape, outShape, dims);
    const got = want.map((_, e) =>
      m.kind === "same" ? e : m.kind === "mod" ? e % m.p : m.kind === "div" ? Math.floor(e / m.q) : 0,
    );
    assert.deepEqual(got, want, what);
  }
});
