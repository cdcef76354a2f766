// Every detector of runtime/src/advice/, run over a finished report: the hints it attaches
// (`report.hints`), largest estimated saving first. One detector per hint kind; the record is
// exhaustive, so a new kind in the contract must name its detector here.

import type { DevicePeaks, Hint, HintKind, Report } from "@jitscope/contract";
import { AdviceContext, NO_FACTS, type AdviceFacts, type Detector } from "./adviceContext.js";
import { denseLookup } from "./denseLookup.js";
import { donateArguments } from "./donateArguments.js";
import { dispatchBound } from "./dispatchBound.js";
import { duplicateCompute } from "./duplicateCompute.js";
import { hostSyncInLoop } from "./hostSyncInLoop.js";
import { materializedTranspose } from "./materializedTranspose.js";
import { recompile } from "./recompile.js";
import { reshapeBoundary } from "./reshapeBoundary.js";
import { unrolledLoop } from "./unrolledLoop.js";

export const DETECTORS: { readonly [K in HintKind]: Detector } = {
  "dense-lookup": denseLookup,
  "materialized-transpose": materializedTranspose,
  "reshape-boundary": reshapeBoundary,
  "duplicate-compute": duplicateCompute,
  recompile,
  "dispatch-bound": dispatchBound,
  "host-sync-in-loop": hostSyncInLoop,
  "donate-arguments": donateArguments,
  "unrolled-loop": unrolledLoop,
};

/**
 * The hints for a report. `peaks`: the device's roofs (default `report.device.peaks`; null: none);
 * without them, detectors price savings from measured kernel times only and say so.
 */
export function adviseReport(report: Report, facts: AdviceFacts = NO_FACTS, peaks?: DevicePeaks | null): Hint[] {
  const ctx = new AdviceContext(report, peaks === undefined ? report.device.peaks : (peaks ?? undefined), facts);
  const hints = Object.values(DETECTORS).flatMap((detect) => detect(ctx));
  return hints
    .filter((h) => Number.isFinite(h.estimatedSavingMs) && h.estimatedSavingMs > 0)
    .sort((a, b) => b.estimatedSavingMs - a.estimatedSavingMs);
}
