// reshapeCoords: a reshape's input coordinates from its output's, axis group by axis group,
// evaluated as the WGSL integer expressions it writes (i32: / truncates) for every element of
// small shapes and compared with the row-major flat index both ways; and how short the
// expressions get for the splits and merges pooling makes.

import { test } from "node:test";
import assert from "node:assert/strict";
import { linearize, reshapeCoords, unravel } from "../../../runtime/src/codegen/indexing.js";

/** Evaluates an index expression of integers, names, + - * / % and parentheses (i32 semantics). */
function evaluate(expr: string, env: ReadonlyMap<string, number>): number {
  const tokens = expr.match(/[A-Za-z_][A-Za-z0-9_]*|\d+|[-+*/%()]/g) ?? [];
  let p = 0;
  const atom = (): number => {
    const t = tokens[p++]!;
    if (t === "(") {
      const v = sum();
      p++; // ")"
      return v;
    }
    if (/^\d+$/.test(t)) return Number(t);
    const v = env.get(t);
    if (v === undefined) throw new Error(`unbound ${t} in ${expr}`);
    return v;
  };
  const product = (): number => {
    let v = atom();
    while (tokens[p] === "*" || tokens[p] === "/" || tokens[p] === "%") {
      const op = tokens[p++]!,
        r = atom();
      v = op === "*" ? v * r : op === "/" ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[p] === "+" || tokens[p] === "-") v = tokens[p++] === "+" ? v + product() : v - product();
    return v;
  };
  return sum();
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function checkAll(outShape: number[], inShape: number[]) {
  const names = outShape.map((_, k) => `c${k}`);
  const bound = new Map<string, string>();
  const coords = reshapeCoords(names, outShape, inShape, (e) => {
    const n = `b${bound.size}`;
    bound.set(n, e);
    return n;
  });
  assert.ok(coords, `[${outShape}] -> [${inShape}] is grouped`);
  assert.equal(coords.length, inShape.length);
  for (let f = 0; f < size(outShape); f++) {
    const env = new Map<string, number>();
    unravel(String(f), outShape).forEach((e, k) => env.set(names[k]!, evaluate(e, env)));
    for (const [n, e] of bound) env.set(n, evaluate(e, env));
    const inCoords: number[] = coords.map((e) => evaluate(e, env));
    inCoords.forEach((c, k) => assert.ok(c >= 0 && c < inShape[k]!, `[${outShape}] -> [${inShape}] at ${f}`));
    assert.equal(evaluate(linearize(inCoords.map(String), inShape), env), f, `[${outShape}] -> [${inShape}] at ${f}`);
  }
}

test("reshapeCoords maps every element of a reshape to the input element with the same row-major index", () => {
  const cases: [number[], number[]][] = [
    [
      [4, 6, 6, 3],
      [4, 3, 2, 3, 2, 3],
    ], // pooling's split
    [
      [4, 3, 2, 3, 2, 3],
      [4, 6, 6, 3],
    ], // and its merge
    [
      [2, 8, 1, 8, 1, 3],
      [2, 8, 8, 3],
    ],
    [
      [2, 8, 8, 3],
      [2, 8, 1, 8, 1, 3],
    ],
    [
      [6, 4],
      [4, 6],
    ], // no shared factorization: one group
    [
      [2, 3, 4],
      [4, 6],
    ],
    [
      [1, 12, 1],
      [3, 1, 4],
    ],
    [[12], [2, 3, 2]],
    [[2, 3, 2], [12]],
    [[1], [1, 1]],
    [
      [5, 1],
      [1, 5],
    ],
    [[3, 1, 1], [3]],
  ];
  for (const [o, i] of cases) checkAll(o, i);
});

test("reshapeCoords splits an axis of 16 into 8 x 2 with one divide and one modulo by 2", () => {
  const coords = reshapeCoords(["n", "h", "w", "c"], [32, 16, 16, 16], [32, 8, 2, 8, 2, 16], (e) => e);
  assert.deepEqual(coords, ["n", "(h / 2)", "(h % 2)", "(w / 2)", "(w % 2)", "c"]);
  assert.equal(
    reshapeCoords(["a"], [0], [0, 3], (e) => e),
    null,
  );
});
