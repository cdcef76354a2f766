// Aligning the lines of two runs by the ops they carry: inserted lines shift the rest, an edited
// line still pairs with its old self.
import { test } from "node:test";
import assert from "node:assert/strict";
import { alignLines } from "../../../runtime/src/profile/diffLines.js";

const sigs = (entries: [number, string[]][]) => new Map(entries);

test("two inserted lines above shift every line by two", () => {
  const old = sigs([
    [5, ["mul"]],
    [6, ["add", "tanh"]],
    [7, ["mul"]],
    [11, ["jit:chain"]],
  ]);
  const now = sigs([
    [7, ["mul"]],
    [8, ["add", "tanh"]],
    [9, ["mul"]],
    [13, ["jit:chain"]],
  ]);
  assert.deepEqual(
    [...alignLines(old, now)],
    [
      [5, 7],
      [6, 8],
      [7, 9],
      [11, 13],
    ],
  );
});

test("a line whose ops changed pairs with its old self between unchanged neighbours", () => {
  const old = sigs([
    [5, ["mul"]],
    [6, ["add", "tanh"]],
    [7, ["mul"]],
  ]);
  const now = sigs([
    [5, ["mul"]],
    [6, ["add", "exp", "tanh"]],
    [7, ["mul"]],
  ]);
  assert.deepEqual(
    [...alignLines(old, now)],
    [
      [5, 5],
      [6, 6],
      [7, 7],
    ],
  );
});

test("a deleted line has no counterpart and the lines after it move up", () => {
  const old = sigs([
    [5, ["mul"]],
    [6, ["exp"]],
    [7, ["add"]],
    [8, ["sub"]],
  ]);
  const now = sigs([
    [5, ["mul"]],
    [6, ["add"]],
    [7, ["sub"]],
  ]);
  assert.deepEqual(
    [...alignLines(old, now)],
    [
      [5, 5],
      [7, 6],
      [8, 7],
    ],
  );
});

test("lines left over between anchors pair by shared ops when the counts differ", () => {
  const old = sigs([
    [1, ["jit:f"]],
    [2, ["exp", "mul"]],
    [3, ["log"]],
    [9, ["sum"]],
  ]);
  const now = sigs([
    [1, ["jit:f"]],
    [2, ["neg"]],
    [3, ["exp"]],
    [4, ["abs"]],
    [9, ["sum"]],
  ]);
  assert.deepEqual(
    [...alignLines(old, now)].sort((a, b) => a[0] - b[0]),
    [
      [1, 1],
      [2, 3],
      [9, 9],
    ],
  );
});
