// After a search lands, a compiled program's tuned kernels (matmul, conv, elementwise) are lowered again so its next call
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
    const same = (a: KernelSpec["autotune"], b: KernelSpec["autotune"]) =>
      a?.winner === b?.winner && a?.source === b?.source;
    if (fresh.wgsl === k.wgsl && same(fresh.autotune, k.autotune)) return k;
    changed.push(fresh);
    return fresh;
  });
  return changed.length > 0 ? { kernels: next, changed } : null;
}
