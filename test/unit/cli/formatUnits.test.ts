// formatNs / formatMs: a value that rounds up to 1000 of a unit reads in the next unit
// ("1.00 ms", not "1000 µs"), as a user reads a p10 just under a millisecond.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatMs, formatNs, formatRate } from "@jitscope/contract";

test("formatNs: values that round to 1000 of a unit read in the next unit", () => {
  assert.equal(formatNs(999.6), "1.00 µs");
  assert.equal(formatNs(999_970), "1.00 ms");
  assert.equal(formatMs(0.99997), "1.00 ms");
  assert.equal(formatNs(999_600_000), "1.00 s");
  assert.equal(formatNs(-999_970), "-1.00 ms");
});

test("formatNs: values below the rounding edge keep their unit and three digits", () => {
  assert.equal(formatNs(999.4), "999 ns");
  assert.equal(formatNs(999_400), "999 µs");
  assert.equal(formatNs(38_240), "38.2 µs");
  assert.equal(formatNs(1_254_000), "1.25 ms");
  assert.equal(formatNs(99_960), "100 µs");
  assert.equal(formatNs(9_996), "10.0 µs");
  assert.equal(formatNs(0), "0 ns");
});

test("formatRate: a rate above zero that two decimals would write as 0.00 reads <0.01; zero reads 0.00", () => {
  assert.equal(formatRate(0.0004, "GB/s"), "<0.01 GB/s");
  assert.equal(formatRate(0.0049, "GFLOP/s"), "<0.01 GFLOP/s");
  assert.equal(formatRate(0.005, "GB/s"), "0.01 GB/s");
  assert.equal(formatRate(0, "GB/s"), "0.00 GB/s");
  assert.equal(formatRate(12.34, "GB/s"), "12.3 GB/s");
  assert.equal(formatRate(Number.NaN, "GB/s"), "–");
});
