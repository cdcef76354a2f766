// The autotuner in the bench: the matmul defaults were chosen on one machine, and a machine whose
// caches differ can favour another register block (on 2026-12-01 this VM ran the hand 8×8 block
// 1.16× faster than the hand 4×8 that had won the day before). `jitscope tune` is the product's
// answer, so the bench also times the jit's matmul after a fresh search (its own cache file, the
// default first, the usual budget), as a user who ran `jitscope tune` would get it.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KernelAutotune } from "@jitscope/contract";
import { config } from "../runtime/src/index.js";
import { onTuned, resetTuner, runPendingSearches } from "../runtime/src/codegen/tune/tuner.js";
import { ours } from "./peers/ours.js";
import type { Work } from "./workloadData.js";

export interface TunedMatmul {
  /** The jit's s×s matmul, running the search's winner. */
  readonly work: Work;
  /** The search's record (null if no search landed). */
  readonly record: KernelAutotune | null;
  /** Back to untuned defaults, the temporary cache removed. */
  restore(): void;
}

export async function autotunedMatmul(a: Float32Array, b: Float32Array, s: number): Promise<TunedMatmul> {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-bench-tune-"));
  const prevCache = process.env.JITSCOPE_AUTOTUNE_CACHE;
  process.env.JITSCOPE_AUTOTUNE_CACHE = join(dir, "autotune.json");
  resetTuner();
  let record: KernelAutotune | null = null;
  const stop = onTuned((_key, r) => {
    record = r;
  });
  const prev = config({ autotune: "search" });
  const work = ours.matmul(a, b, s);
  // The first call compiles the default and queues the search; the call after it lands re-lowers
  // the kernel to the winner.
  work.step();
  await work.wait();
  await runPendingSearches();
  work.step();
  await work.wait();
  return {
    work,
    get record() {
      return record;
    },
    restore() {
      config(prev);
      stop();
      if (prevCache === undefined) delete process.env.JITSCOPE_AUTOTUNE_CACHE;
      else process.env.JITSCOPE_AUTOTUNE_CACHE = prevCache;
      resetTuner();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
