import { test } from "node:test";
import assert from "node:assert/strict";
import { threefry2x32, bitsToUniform } from "../../../runtime/src/ops/threefry.js";

test("threefry2x32 matches the Random123 known-answer vectors", () => {
  // Known-answer tests from Random123's kat_vectors (threefry2x32_20).
  assert.deepEqual(threefry2x32(0, 0, 0, 0), [0x6b200159, 0x99ba4efe]);
  assert.deepEqual(threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), [0x1cb996fc, 0xbb002be7]);
  assert.deepEqual(threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3), [0xc4923a9c, 0x483df7a0]);
});

test("uniform floats from bits stay in [0, 1)", () => {
  assert.equal(bitsToUniform(0), 0);
  assert.ok(bitsToUniform(0xffffffff) < 1);
  assert.equal(bitsToUniform(0x80000000), 0.5);
});
