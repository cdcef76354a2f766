// The autotuner in the bench: the defaults were chosen on one machine, and a machine whose caches
// differ can favour another register block (on 2026-12-01 this VM ran the hand 8×8 block 1.16×
// faster than the hand 4×8 that had won the day before), or another row kernel (the online
// softmax: codegen/rowOnline.ts). `jitscope tune` is the product's answer, so the bench also
// times the jit's 1024² matmul and row softmax after a fresh search (its own cache file, the
// default first, the usual budget), as a user who ran `jitscope tune` would get them.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KernelAutotune } from "@jitscope/contract";
import { config } from "../runtime/src/index.js";
import { onTuned, resetTuner, runPendingSearches } from "../runtime/src/codegen/tune/tuner.js";
import { ours } from "./peers/ours.js";
import type { Work } from "./workloadData.js";

export interface Tuned {
  /** The workload, running the search's winner. */
  readonly work: Work;
  /** The search's record (null if no search landed). */
  readonly record: KernelAutotune | null;
  /** Back to untuned defaults, the temporary cache removed. */
  restore(): void;
}

/** The jit's s×s matmul after a fresh search. */
export const autotunedMatmul = (a: Float32Array, b: Float32Array, s: number): Promise<Tuned> =>
  autotuned(() => ours.matmul(a, b, s));

/** The workload `make` builds (a fresh jit of ours, compiled under the search) after a fresh
 *  search of its kernels; `record` is the last search's (one tunable kernel: its own). */
export async function autotuned(make: () => Work): Promise<Tuned> {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-bench-tune-"));
  const prevCache = process.env.JITSCOPE_AUTOTUNE_CACHE;
  process.env.JITSCOPE_AUTOTUNE_CACHE = join(dir, "autotune.json");
  resetTuner();
  let record: KernelAutotune | null = null;
  const stop = onTuned((_key, r) => {
    record = r;
  });
  const prev = config({ autotune: "search" });
  const work = make();
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
