// Marks the graph's kernel clusters with what the diff against the baseline says of them: new
// since the baseline (added), or the product of a change, split or merge. Removed kernels are not
// in this run's graph; the Diff view draws them.

import type { KernelChange, ReportDiff } from "@jitscope/contract";

/** Kernel id (of this run) → how it came about, for kernels that are not simply "same". */
export function changedKernels(diff: ReportDiff | null): Map<string, KernelChange> {
  const out = new Map<string, KernelChange>();
  for (const k of diff?.kernels ?? []) if (k.change !== "same") for (const r of k.new) out.set(r.id, k.change);
  return out;
}

/** Sets `diff-<change>` and data-diff on each drawn cluster of a changed kernel. */
export function markDiffClusters(root: ParentNode, diff: ReportDiff | null): number {
  const changed = changedKernels(diff);
  let marked = 0;
  for (const el of root.querySelectorAll<SVGGElement>(".jit-cluster[data-kernel]")) {
    for (const cls of [...el.classList]) if (cls.startsWith("diff-")) el.classList.remove(cls);
    delete el.dataset.diff;
    const change = changed.get(el.dataset.kernel ?? "");
    if (!change) continue;
    el.classList.add(`diff-${change}`);
    el.dataset.diff = change;
    marked++;
  }
  return marked;
}
