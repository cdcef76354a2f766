// The hook through which lowering asks for a tuned matmul configuration. The autotuner
// (codegen/tune/) installs itself here when a WebGPU device attaches it, so code generation
// does not depend on the tuner (which depends on code generation to build its candidates).

import type { KernelAutotune } from "@jitscope/contract";
import type { FusionGroup } from "./kernelPlan.js";
import type { MatmulConfig, MatmulShape } from "./matmulConfig.js";

export interface TunedChoice {
  readonly config: MatmulConfig;
  readonly record: KernelAutotune;
  readonly key: string;
}

export type MatmulTuner = (group: FusionGroup, shape: MatmulShape) => TunedChoice | null;

let tuner: MatmulTuner | null = null;

export function setMatmulTuner(t: MatmulTuner | null): void {
  tuner = t;
}

/** The tuned configuration for this matmul, or null: lower with the default. */
export function tunedMatmulFor(group: FusionGroup, shape: MatmulShape): TunedChoice | null {
  return tuner ? tuner(group, shape) : null;
}
