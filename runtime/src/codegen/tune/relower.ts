// After a search lands, a compiled program's matmul kernels are lowered again so its next call
// runs the winner. Only the kernels whose module changed are replaced; bindings, dispatch order
// and the memory plan do not depend on the configuration.

import type { FusionGroup, KernelSpec } from "../kernelPlan.js";
import { lowerGroup } from "../lowerGroup.js";

/** The kernels with tuned matmuls re-lowered; null when none changed. */
export function relowerTuned(
  kernels: readonly KernelSpec[],
  groups: readonly FusionGroup[],
): { kernels: KernelSpec[]; changed: KernelSpec[] } | null {
  const changed: KernelSpec[] = [];
  const next = kernels.map((k) => {
    if (k.tuneKey === undefined) return k;
    const g = groups.find((x) => x.id === k.id);
    if (!g) return k;
    const fresh = lowerGroup(g, k.name);
    if (fresh.wgsl === k.wgsl && fresh.autotune === k.autotune) return k;
    changed.push(fresh);
    return fresh;
  });
  return changed.length > 0 ? { kernels: next, changed } : null;
}
