// The last step of fuse: consecutive kernels that all work on the same rows (reductions over the
// last axis, elementwise ops at the row or full shape) become one "row" kernel, when the device
// has subgroups to combine a row's lanes without barriers (CPU adapters included since issue 16:
// figures in codegen/lowerRowLocal.ts; JITSCOPE_ROW_KERNELS=0 turns it off). Softmax was three
// kernels (max, sum of exp, divide), each reading the whole array; as one kernel the array is
// read from memory once (the later passes over a row read it from registers or the cache) and
// written once. Without subgroups the separate kernels stay: a thread per row doing every pass
// was slower on lavapipe than them (its stores are strided across lanes), and a workgroup per
// row needs barriers.

import type { FusionGroup, ScheduledProgram } from "../codegen/kernelPlan.js";
import { rowGeometry } from "../codegen/rowLocal.js";
import { formatShape } from "@jitscope/contract";
import type { Var } from "../ir/types.js";

/** A merged kernel's reason up to its first clause ("elementwise chain of 3 ops", without
 *  "; recomputes … instead of reading it from memory", which the row kernel decides anew). */
const headOf = (g: FusionGroup): string => g.reason.split("; ")[0]!;

/** Consecutive kernels a run may take that read nothing it wrote (each still on its rows). */
const UNCONNECTED = 2;

/** The most kernels one run may merge. Consecutive elementwise and reduction kernels run to a
 *  hundred in a training step's optimizer update (each reads the clipping scale, so they are
 *  connected), and trying every prefix of such runs took 1.3 s of 1.4 s compiling
 *  test/fixtures/programs/vit_patches.ts's step (4,012 tries). The row kernels of every example
 *  and fixture program merge at most 8 (examples/rnn_scan.ts, vit_patches.ts). */
const MAX_RUN = 16;

/** `lanes`: the subgroup lanes a row gets (codegen/subgroupSupport.ts rowKernelLanes());
 *  `bufferLimit`: the most buffers a merged kernel may bind, as for every other kernel. */
export function mergeRowLocal(s: ScheduledProgram, lanes: number, bufferLimit: number): ScheduledProgram {
  const { groups, program } = s;
  const position = new Map(program.eqns.map((e, i) => [e.id, i]));
  const outputIds = new Set(program.outputs.flatMap((a) => (a.kind === "var" ? [a.id] : [])));
  const readers = new Map<number, number>(); // var id → groups reading it
  for (const g of groups) for (const v of new Set(g.inputs)) readers.set(v.id, (readers.get(v.id) ?? 0) + 1);

  const merged: FusionGroup[] = [];
  const renamed = new Map<string, string>(); // old group id → the id of the group it is now in
  let i = 0;
  while (i < groups.length) {
    // The longest run from i whose kernels each read something an earlier one wrote, or (at
    // most UNCONNECTED in a row) work on the same rows that reads nothing of the run: a
    // log-softmax's row max, then its gradient's sum, then the sum of exps that uses the max.
    let best: { end: number; group: FusionGroup } | null = null;
    if (groups[i]!.kind === "reduction" || groups[i]!.kind === "elementwise") {
      const written = new Set(groups[i]!.outputs.map((v) => v.id));
      let unconnected = 0;
      for (let j = i + 1; j < groups.length && j - i < MAX_RUN; j++) {
        const g = groups[j]!;
        if (g.kind !== "reduction" && g.kind !== "elementwise") break;
        if (g.inputs.some((v) => written.has(v.id))) unconnected = 0;
        else if (++unconnected > UNCONNECTED) break;
        for (const v of g.outputs) written.add(v.id);
        const candidate = runGroup(groups.slice(i, j + 1));
        if (candidate) best = { end: j, group: candidate };
      }
    }
    if (!best) {
      merged.push(groups[i]!);
      i++;
      continue;
    }
    for (let k = i; k <= best.end; k++) renamed.set(groups[k]!.id, best.group.id);
    merged.push(best.group);
    i = best.end + 1;
  }
  if (merged.length === groups.length) return s;

  /** The run as one group, or null when it is not row-local. */
  function runGroup(run: readonly FusionGroup[]): FusionGroup | null {
    const eqnById = new Map(run.flatMap((g) => g.eqns.map((e) => [e.id, e] as const)));
    const eqns = [...eqnById.values()].sort((a, b) => position.get(a.id)! - position.get(b.id)!);
    const written = new Map<number, Var>();
    for (const g of run) for (const v of g.outputs) written.set(v.id, v);
    const inputs = new Map<number, Var>();
    for (const g of run) for (const v of g.inputs) if (!written.has(v.id)) inputs.set(v.id, v);
    // Still written: what kernels outside the run or the caller read.
    const readInside = new Map<number, number>();
    for (const g of run) for (const v of new Set(g.inputs)) readInside.set(v.id, (readInside.get(v.id) ?? 0) + 1);
    const outputs = [...written.values()].filter(
      (v) => outputIds.has(v.id) || (readers.get(v.id) ?? 0) > (readInside.get(v.id) ?? 0),
    );
    if (outputs.length === 0 || inputs.size + outputs.length > bufferLimit) return null;
    const geo = rowGeometry(eqns, [...inputs.values()], outputs);
    if (typeof geo === "string") return null;
    const prims = geo.reductions.map((r) => r.prim);
    const ew = eqns.length - geo.reductions.length;
    const reason =
      `row-local: ${prims.length} reduction${prims.length > 1 ? "s" : ""} (${[...new Set(prims)].join(", ")}) over ` +
      `the last axis of ${formatShape(geo.full)} and ${ew} op${ew === 1 ? "" : "s"} on the same rows in one kernel ` +
      `(a subgroup of ${lanes} lanes per row combines each reduction without barriers); merges ` +
      `${run.length} kernels (${run.map(headOf).join("; ")}), so the array is read from memory once ` +
      `(later passes over a row read it from registers or the cache) and nothing between them is written`;
    return { id: run[0]!.id, kind: "row", eqns, inputs: [...inputs.values()], outputs, reason };
  }

  // Ids in dispatch order again (k0, k1, …); boundaries inside a merged kernel are gone.
  const finalId = new Map<string, string>();
  const groupsOut = merged.map((g, n) => {
    finalId.set(g.id, `k${n}`);
    return { ...g, id: `k${n}` };
  });
  const idOf = (old: string) => finalId.get(renamed.get(old) ?? old) ?? old;
  // Kernels that each recomputed a consumer (a mask's broadcast read by the max, the sum and the
  // output pass) had one boundary each from its producer; merged, they are one boundary.
  const seen = new Set<string>();
  const boundaries = s.boundaries
    .map((b) => ({ ...b, fromKernel: idOf(b.fromKernel), toKernel: idOf(b.toKernel) }))
    .filter((b) => {
      const key = `${b.from} ${b.to} ${b.fromKernel} ${b.toKernel}`;
      if (b.fromKernel === b.toKernel || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { program, groups: groupsOut, boundaries };
}
