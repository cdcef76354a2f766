// Which shared values fuse writes to memory rather than recomputes, decided in one pass from the
// end of the program to its start (near-linear), instead of rebuilding every kernel after each
// decision (one round per split: quadratic to cubic in program size).
//
// The decision for a value depends on how many kernels compute it, and that depends only on
// the decisions for values after it (a kernel reaches a value through ops later in the
// program); so sweeping from the end, every value is decided once with everything it depends on
// already decided, which is the order the rounds took (outermost shared value first). Steps:
//   1. Anchor results read by an op several kernels would recompute: that op's result is stored
//      so the anchor keeps its result in registers (counted with nothing shared stored yet, as
//      the first round did).
//   2. Reduction inputs computed through data movement (transpose, slice, …) are stored.
//   3. From the end: a value computed by several kernels whose cone costs more to recompute than
//      RECOMPUTE_MAX_OPS is stored; from then on it is one kernel's root.
// Counts are of kernels before merges (a key per stored value's cone and per anchor prologue);
// where a merge or an epilogue could make two of them one, the kernels are built to count
// (a few times per program). fuse.ts then builds the kernels and checks that no rule asks for
// another split (the rounds remain as that check and fallback). Against the one-split-per-round
// algorithm the decisions were identical on the golden programs and on all but a few of the
// ~1,600 programs the unit tests compile (there a merge the bounds above missed changed a
// count, and a value is stored that the rounds recomputed, or the reverse).

import { formatBytes } from "@jitscope/contract";
import { sameShape } from "../ir/types.js";
import type { Cones } from "./fuseCones.js";
import type { Kernel, Round } from "./fuseKernelModel.js";
import { epilogueSplits as builtEpilogueSplits, type Split } from "./fuseSplits.js";
import { varBytes, type ProgramFacts, type Why } from "./fuseFacts.js";
import { KernelReach } from "./fuseReach.js";

export function sweepSplits(
  facts: ProgramFacts,
  cones: Cones,
  /** Stores value `id`, keeping `why` itself: step 3 completes its reasons' op counts after. */
  mark: (id: number, why: Why) => void,
  recomputeMaxOps: number,
  bufferLimit: number,
  /** The kernels for what is stored so far (built, merged). */
  built: () => { round: Round; kernels: readonly Kernel[] },
  /** How many of those kernels compute eqn `i`. */
  kernelsComputing: (i: number) => number,
): void {
  const { eqns, consumers, cat } = facts;
  const isStored = (id: number): boolean => cones.materialized.has(id);
  /** The kernel keys that read value `out` of eqn `i`: an anchor whose prologue computes it. */
  const anchorReads = (c: number, out: number): boolean => {
    const e = eqns[c]!;
    if (cat[c] === "reduce") return e.inputs[0]?.kind === "var" && e.inputs[0].id === out;
    return cat[c] === "matmul" && e.inputs.some((a) => a.kind === "var" && a.id === out);
  };

  // 1. Anchor epilogues, with nothing shared stored yet: how many kernels compute each op, from
  // one pass from the end (fuseReach.ts); nothing is stored until every anchor is looked at.
  const reaching = new KernelReach(facts, cones, anchorReads);
  // An anchor that takes in a reader's kernel as its epilogue needs no split; a reader binding
  // few enough buffers might be taken in, and then the kernels are built to know.
  let epilogueSplits: Split[] = [];
  let mayTakeIn = false;
  const leavesOf = new Map<number, Set<number> | null>(); // stored value → its cone's leaves
  eqns.forEach((e, k) => {
    const o = epilogueCandidate(facts, k);
    if (o === null) return;
    for (const u of consumers.get(o)!) {
      const v = eqns[u]!.outputs[0]!;
      if (isStored(v.id)) continue;
      const n = reaching.count(u);
      if (n < 2) continue;
      epilogueSplits.push({ id: v.id, why: epilogueWhy(n, e.prim, k) });
      if (!mayTakeIn) mayTakeIn = reaching.some(reaching.reached(consumers.get(o)!), (r) => r >= 0 && mayFit(k, o, r));
      break;
    }
  });
  if (mayTakeIn) {
    const { round, kernels } = built();
    epilogueSplits = builtEpilogueSplits(round, kernels);
  }
  for (const s of epilogueSplits) mark(s.id, s.why);

  // 2. A reduction's prologue indexes by the reduction's input, so data movement there goes in
  // its own kernel: in program order (storing one input only shortens later cones).
  // Whether an op's cone (as stored before this step: a superset) holds a move, by one pass in
  // program order, so only the reductions that may need it walk their cone.
  const mayMove: boolean[] = eqns.map(() => false);
  eqns.forEach((e, i) => {
    if (!cones.fusable(i)) return;
    mayMove[i] =
      cat[i] === "move" ||
      e.inputs.some(
        (a) => a.kind === "var" && !isStored(a.id) && cones.computed(a.id) && mayMove[facts.producer.get(a.id)!],
      );
  });
  eqns.forEach((e, k) => {
    const x = e.inputs[0];
    if (cat[k] !== "reduce" || x?.kind !== "var" || isStored(x.id) || !cones.computed(x.id)) return;
    if (!mayMove[facts.producer.get(x.id)!]) return;
    let move = -1;
    cones.touches(x.id, (i) => cat[i] === "move" && (move = i) >= 0);
    if (move >= 0)
      mark(x.id, {
        rule: "shape",
        reason: `reduction input is computed through ${eqns[move]!.prim}: written to memory first`,
      });
  });

  // 3. From the end: `reach[i]` is the set of kernels that compute eqn i (a stored value's id
  // for its root kernel, -1 - index for an anchor's prologue).
  const reach: (Set<number> | undefined)[] = new Array(eqns.length);
  // A reason's op count is the cone as it was when the value was decided: only values stored
  // before this step end it (the cone lies upstream, decided later). Counted for all of them at
  // the end (Cones.coneSizes), into the reasons marked here.
  const storedBefore = new Set(cones.materialized.keys());
  const counted: { id: number; why: Why; count: number }[] = [];
  for (let i = eqns.length - 1; i >= 0; i--) {
    if (!cones.fusable(i)) continue;
    const e = eqns[i]!;
    const out = e.outputs[0]!;
    if (isStored(out.id)) {
      reach[i] = new Set([out.id]);
      continue;
    }
    const r = new Set<number>();
    for (const c of consumers.get(out.id) ?? []) {
      if (cones.fusable(c)) for (const k of reach[c] ?? []) r.add(k);
      else if (anchorReads(c, out.id)) r.add(-1 - c);
    }
    reach[i] = r;
    const n = r.size;
    if (n < 2) continue;
    let why: Why | null = null;
    for (const a of e.inputs) {
      const p = a.kind === "var" ? facts.producer.get(a.id) : undefined;
      if (p === undefined || epilogueCandidate(facts, p) !== (a as { id: number }).id) continue;
      why = epilogueWhy(n, eqns[p]!.prim, p);
      break;
    }
    if (!why) {
      // Merges can only lower the count: a value not worth storing stays so. When a merge or an
      // epilogue could put two of these kernels into one, the kernels are built to count them.
      let count = n;
      if (cones.exceeds(out.id, Math.floor(recomputeMaxOps / (n - 1))) && mayShareKernel(i, r))
        count = kernelsComputing(i);
      if (count >= 2 && cones.exceeds(out.id, Math.floor(recomputeMaxOps / (count - 1)))) {
        why = { rule: "multi-consumer", reason: "" };
        counted.push({ id: out.id, why, count });
      }
    }
    if (why) {
      mark(out.id, why);
      reach[i] = new Set([out.id]);
    }
  }
  const ops = cones.coneSizes(
    counted.map((c) => c.id),
    (id) => storedBefore.has(id),
  );
  counted.forEach(({ id, why, count }, n) => {
    why.reason = `needed by ${count} kernels; recomputing ${ops[n]} ops costs more than storing ${formatBytes(varBytes(facts.vars.get(id)!))}`;
  });

  /** Whether two of the kernels `keys` computing eqn `i` might end up as one: an anchor whose
   *  every reader only one of them computes (it may take that one in as its epilogue), or two
   *  elementwise kernels of one shape whose union could bind few enough buffers (both compute
   *  the cone of `i`, so the union reads its leaves). */
  function mayShareKernel(i: number, keys: ReadonlySet<number>): boolean {
    for (const k of keys) {
      if (k >= 0) continue;
      const o = epilogueCandidate(facts, -1 - k);
      if (o === null) continue;
      const readers = consumers.get(o)!.map((u) => reach[u]);
      const only = readers[0]?.size === 1 ? [...readers[0]][0]! : undefined;
      if (only !== undefined && keys.has(only) && readers.every((s) => s?.size === 1 && s.has(only))) return true;
    }
    const shapes = new Set<string>();
    let sameShape = false;
    for (const k of keys) {
      if (k < 0) continue;
      const shape = String(facts.vars.get(k)!.aval.shape);
      if (shapes.has(shape)) sameShape = true;
      shapes.add(shape);
    }
    // (A lower bound only where no kernel merged earlier writes one of those leaves: a program
    // the bound misjudges gets a count from before merges, and may store a value the kernel-by-
    // kernel rounds would have recomputed; building the kernels at every such op instead was
    // quadratic again.)
    return sameShape && !cones.leavesExceed(eqns[i]!.outputs[0]!.id, bufferLimit - 2);
  }

  /** Whether anchor `k` (result `o`) and the kernel of stored value `r` might bind few enough
   *  buffers as one kernel: at least the anchor's stored operands and r's cone's leaves (but o)
   *  read, o and r written. */
  function mayFit(k: number, o: number, r: number): boolean {
    let cached = leavesOf.get(r);
    if (cached === undefined) leavesOf.set(r, (cached = cones.leavesUpTo(r, bufferLimit)));
    if (!cached) return false;
    const leaves = new Set(cached);
    for (const a of eqns[k]!.inputs)
      if (a.kind === "var" && (isStored(a.id) || !cones.computed(a.id))) leaves.add(a.id);
    leaves.delete(o);
    return leaves.size + 2 <= bufferLimit;
  }
}

/** The result of anchor eqn `k` when an epilogue could keep it in registers: a reduction or
 *  matmul result, not a program output, read only by elementwise ops at its own shape. */
function epilogueCandidate(facts: ProgramFacts, k: number): number | null {
  const { eqns, cat, consumers, outputIds } = facts;
  if (cat[k] !== "reduce" && cat[k] !== "matmul") return null;
  const o = eqns[k]!.outputs[0]!;
  if (outputIds.has(o.id)) return null;
  const uses = consumers.get(o.id) ?? [];
  if (!uses.every((u) => cat[u] === "ew" && sameShape(eqns[u]!.outputs[0]!.aval.shape, o.aval.shape))) return null;
  return uses.length ? o.id : null;
}

function epilogueWhy(n: number, prim: string, anchor: number): Why {
  return {
    rule: "multi-consumer",
    reason: `needed by ${n} kernels; storing it lets the ${prim} keep it as its epilogue`,
    epilogueOf: anchor,
  };
}
