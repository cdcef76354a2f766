// The bench's line on the machine's own speed through a run (bench/measure.ts formatSteadiness):
// the reference kernel's time before each section, in order, and the slowest over the fastest.

import { test } from "node:test";
import assert from "node:assert/strict";
import { formatSteadiness } from "../../../bench/measure.js";

test("formatSteadiness lists each section's reference time in order and the slowest / fastest ratio (2.10 / 0.88 = 2.39×)", () => {
  const line = formatSteadiness("the copy", [
    { section: "chain", ms: 0.88 },
    { section: "matmul 1024²", ms: 2.1 },
    { section: "tiny add", ms: 0.0455 },
  ]);
  assert.equal(
    line,
    "machine steadiness: the copy before each section: chain 0.88 ms · matmul 1024² 2.10 ms · tiny add 45.5 µs (slowest / fastest 46.15×)",
  );
  assert.match(
    formatSteadiness("the copy", [
      { section: "a", ms: 0.88 },
      { section: "b", ms: 2.1 },
    ]),
    /\(slowest \/ fastest 2\.39×\)$/,
  );
});

test("formatSteadiness with no probe says the reference was not timed", () => {
  assert.equal(formatSteadiness("the copy", []), "machine steadiness: the copy was not timed");
});
