// Epilogue splits that saved nothing. fuseSweep.ts and fuseSplits.ts store a value computed from
// an anchor's result (a matmul's `0.5 * h`) when several kernels would recompute it, so that the
// anchor keeps its result in registers as its epilogue. That holds only if no other kernel reads
// the result itself. Where one does (a training step's backward kernel reads a GELU matmul's `h`
// for `3h²`), the anchor writes its result anyway, and every value stored on its behalf is one
// more write plus its readers' reads: recomputed from the stored result, it costs a few ops in
// each reader and no bytes. The GPT block's training step stored h, 0.5·h, h + 0.0447·h³ and
// GELU(h) from its first MLP matmul (2 MiB), where h and GELU(h) suffice.

import type { Why } from "./fuseFacts.js";
import type { Kernel, Round } from "./fuseKernelModel.js";

/** Value ids stored for an anchor's epilogue (Why.epilogueOf) whose anchor result another
 *  kernel reads from memory anyway. */
export function pointlessEpilogueSplits(
  round: Round,
  kernels: readonly Kernel[],
  materialized: ReadonlyMap<number, Why>,
): number[] {
  const { eqns, outputIds } = round.facts;
  const stored = [...materialized].filter(([id, why]) => why.epilogueOf !== undefined && !outputIds.has(id));
  if (stored.length === 0) return [];
  // Value id → the kernels that read it from memory.
  const readers = new Map<number, Kernel[]>();
  for (const k of kernels)
    for (const id of round.io(k.eqns).inputSet) {
      const list = readers.get(id);
      if (list) list.push(k);
      else readers.set(id, [k]);
    }
  const readBack = (anchor: number): boolean => {
    const result = eqns[anchor]!.outputs[0]!.id;
    return round.isStored(result) && (readers.get(result) ?? []).some((k) => k.anchor !== anchor);
  };
  return stored.filter(([, why]) => readBack(why.epilogueOf!)).map(([id]) => id);
}
