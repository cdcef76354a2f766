// A profiled eager op captures only as many stack frames as its primitive has needed to reach
// the user's frame (ir/eagerCallSite.ts). The lines stay right when a deeper np function calls
// the same primitive (the short capture misses, is retaken whole, and the primitive captures the
// most from then on), and every pass of a loop is counted at its line.
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { userFrameOfCapture } from "../../../runtime/src/ir/location.js";
import { eagerSiteFrames, resetEagerSiteDepths, SHALLOW_FRAMES } from "../../../runtime/src/ir/eagerCallSite.js";

function lineHere(): number {
  const holder = {};
  Error.captureStackTrace(holder, lineHere);
  return userFrameOfCapture(holder)!.line;
}

test("on the CPU backend: np.multiply's capture shrinks below the most; np.std calling mul deeper keeps its own line; 3 passes count 3 at each line", async () => {
  const prev = config({ backend: "cpu" });
  resetEagerSiteDepths();
  let lineA = 0;
  let lineB = 0;
  const framesAfterFirstMultiply: number[] = [];
  try {
    const x = np.array([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let i = 0; i < 3; i++) {
      const [y, a] = [np.multiply(x, 2), lineHere()];
      if (i === 0) framesAfterFirstMultiply.push(eagerSiteFrames("mul"));
      const [s, b] = [np.std(y), lineHere()];
      [lineA, lineB] = [a, b];
      // std of 2·(1..8): 2·sqrt(5.25).
      assert.ok(Math.abs(((await s.data()) as Float32Array)[0]! - 2 * Math.sqrt(5.25)) < 1e-5);
    }
  } finally {
    config(prev);
  }
  assert.equal(lineB, lineA + 2);
  assert.ok(framesAfterFirstMultiply[0]! < SHALLOW_FRAMES, `mul captured ${framesAfterFirstMultiply[0]} frames`);
  assert.equal(eagerSiteFrames("mul"), SHALLOW_FRAMES, "std's deeper mul raised the capture to the most");

  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  const mine = report.kernels.filter((k) => k.locations[0]?.file.endsWith("eagerSiteDepth.test.ts"));
  const lines = new Set(mine.map((k) => k.locations[0]!.line));
  assert.deepEqual([...lines].sort(), [lineA, lineB].sort(), "every op at one of the two lines");
  const atA = mine.filter((k) => k.locations[0]!.line === lineA);
  assert.deepEqual(
    atA.map((k) => [k.name, k.dispatches]),
    [["eager_mul", 3]],
  );
  const atB = mine.filter((k) => k.locations[0]!.line === lineB);
  assert.ok(
    atB.some((k) => k.name === "eager_mul"),
    atB.map((k) => k.name).join(", "),
  );
  assert.ok(atB.some((k) => k.name === "eager_sqrt"));
  // Each op of std's is one kernel per (op, shapes, line): each ran once per pass.
  for (const k of atB) assert.equal(k.dispatches % 3, 0, `${k.name}: ${k.dispatches}`);
});
