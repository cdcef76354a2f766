// The hook through which lowering asks for a tuned configuration of a kernel, and what a kind of
// kernel must say to be tuned (a TuneSpace: its shape class, its candidates, how to name and
// lower one). The autotuner (codegen/tune/) installs itself here when a WebGPU device attaches
// it, so code generation does not depend on the tuner (which depends on code generation to
// build its candidates).

import type { KernelAutotune } from "@jitscope/contract";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { getConfig } from "../config.js";

/** One kind of kernel's knobs (tuneSpaces.ts): matmul, conv, elementwise, reduction, row. */
export interface TuneSpace<C> {
  readonly kind: "matmul" | "conv" | "elementwise" | "reduction" | "row";
  /** The group's shape class, as the tuner keys it: what a search's result depends on and
   *  nothing it does not (names, ids); null when no knob of this kernel is worth a search. */
  key(group: FusionGroup): string | null;
  defaultConfig(group: FusionGroup): C;
  /** The search space, default first, then in the order worth trying (a search with a spent
   *  budget stops starting candidates). */
  candidates(group: FusionGroup): C[];
  /** What the report calls a configuration ("vec4 ×4 wg64"); the cache stores this. */
  describe(c: C): string;
  /** describe's inverse, for this group; null when the text names no candidate of it. */
  parse(text: string, group: FusionGroup): C | null;
  /** The kernel under a configuration; `undefined` lowers the default, exactly as untuned. */
  lower(group: FusionGroup, name: string | undefined, c: C | undefined): KernelSpec;
}

export interface TunedChoice<C> {
  readonly config: C;
  readonly record: KernelAutotune;
  readonly key: string;
}

export type KernelTuner = <C>(space: TuneSpace<C>, group: FusionGroup, key: string) => TunedChoice<C> | null;

let tuner: KernelTuner | null = null;

export function setKernelTuner(t: KernelTuner | null): void {
  tuner = t;
}

/** The group lowered under the autotuner's choice for its shape class on this adapter when it
 *  has one, else the default; a tunable kernel carries its key (`tuneKey`) so a search that
 *  lands later can re-lower it (tune/relower.ts). */
export function lowerTunable<C>(space: TuneSpace<C>, group: FusionGroup, name?: string): KernelSpec {
  // Autotuning off (the library's and the tests' default) or no device to tune on: no key to
  // build, and the kernel is exactly what the untuned compiler emits.
  if (!tuner || getConfig().autotune === "off") return space.lower(group, name, undefined);
  const key = space.key(group);
  if (key === null) return space.lower(group, name, undefined);
  const tuned = tuner(space, group, key);
  const spec = space.lower(group, name, tuned?.config);
  return { ...spec, tuneKey: key, ...(tuned ? { autotune: tuned.record } : {}) };
}
