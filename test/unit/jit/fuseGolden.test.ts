// fuse's decisions do not change when its algorithm does: a 1,140-op generated program, the
// GPT-style training step and the same step with AdamW after global-norm clipping fuse into
// exactly the kernels (ops, kinds, reasons) and boundaries of the snapshot taken with the
// one-split-per-round algorithm (the AdamW step's with the rebuild-before-every-count sweep of
// 2026-12-07, before counts were read from an older build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fuseDecisions, GOLDEN_PATH } from "./fuseGolden.js";

test("fuse decides the same kernels and boundaries as the snapshot on gen-30b, the GPT step and its AdamW version", async () => {
  const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8")) as Record<string, unknown>;
  const now = JSON.parse(JSON.stringify(await fuseDecisions())) as Record<string, unknown>;
  assert.deepEqual(Object.keys(now), ["gen-30b", "gpt-step", "gpt-adamw-step"]);
  for (const name of Object.keys(golden)) assert.deepEqual(now[name], golden[name], name);
});
