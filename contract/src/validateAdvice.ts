// Checks for the advice layer's fields (advice.ts), used by validate.ts. Split out so the
// validator stays one screen per part of the report.

import {
  HINT_KINDS,
  type AblatedFunction,
  type DevicePeaks,
  type Hint,
  type LiveBytesSample,
  type MemoryBuffer,
  type MemoryPlan,
  type PassAblation,
} from "./advice.js";
import type { SourceLocation } from "./location.js";
import { arrayOf, nonNeg, nullable, num, object, oneOf, optional, posInt, str, strings, type Check } from "./check.js";

const location = nullable(object<SourceLocation>({ file: str, line: posInt, column: nonNeg }));

export const devicePeaks: Check<DevicePeaks> = object<DevicePeaks>({
  gbPerS: nonNeg,
  gflopPerS: nonNeg,
  dispatchUs: nonNeg,
  timestampTickNs: nonNeg,
  source: oneOf("measured", "cache"),
  measuredAt: str,
});

export const kernelBound = oneOf("memory", "compute", "latency");

export const hint: Check<Hint> = object<Hint>({
  kind: oneOf(...HINT_KINDS),
  message: str,
  location,
  estimatedSavingMs: nonNeg,
  kernels: optional(strings),
  compilation: optional(str),
  details: optional(strings),
});

export const memoryPlan: Check<MemoryPlan> = object<MemoryPlan>({
  steps: nonNeg,
  peakBytes: nonNeg,
  peakStep: nonNeg,
  buffers: arrayOf(
    object<MemoryBuffer>({
      id: str,
      bytes: nonNeg,
      start: nonNeg,
      end: nonNeg,
      kind: oneOf("input", "output", "intermediate", "constant"),
      label: str,
      location,
    }),
  ),
});

export const liveBytes: Check<LiveBytesSample[]> = arrayOf(object<LiveBytesSample>({ t: num, bytes: nonNeg }));

export const passAblation: Check<PassAblation> = object<PassAblation>({
  pass: str,
  functions: arrayOf(
    object<AblatedFunction>({
      name: str,
      location,
      dispatchesWith: nonNeg,
      dispatchesWithout: nonNeg,
      msWith: nonNeg,
      msWithout: nonNeg,
    }),
  ),
});
