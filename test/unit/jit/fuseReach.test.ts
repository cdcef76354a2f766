// The counts fuse's sweep takes from one pass over the program instead of a walk per question
// (passes/fuseReach.ts, Cones.coneSizes) equal what the walks found, on a 30-block generated
// program (~1,140 ops, where little is stored before the sweep and walks cross many blocks).
import { test } from "node:test";
import assert from "node:assert/strict";
import { config, jit } from "../../../runtime/src/index.js";
import { generated } from "../../../bench/scalingPrograms.js";
import type { Program } from "../../../runtime/src/ir/types.js";
import { Cones } from "../../../runtime/src/passes/fuseCones.js";
import { programFacts, type ProgramFacts, type Why } from "../../../runtime/src/passes/fuseFacts.js";
import { markRequired } from "../../../runtime/src/passes/fuseMarks.js";
import { KernelReach } from "../../../runtime/src/passes/fuseReach.js";

config({ backend: "cpu" });

async function program(): Promise<Program> {
  const { f, args } = generated(30);
  return (await jit(f, { name: "gen-30b" }).lower(args[0]!)).program;
}

/** What fuse stores regardless of grouping (matmul operands, outputs, anchor results, …). */
function required(p: Program): { facts: ProgramFacts; materialized: Map<number, Why>; cones: Cones } {
  const facts = programFacts(p);
  const materialized = new Map<number, Why>();
  const cones = new Cones(facts, materialized);
  markRequired(facts, cones, (id, why) => void (materialized.has(id) || materialized.set(id, why)));
  return { facts, materialized, cones };
}

test("KernelReach counts, for every fusable op of gen-30b, the kernels a forward walk reaches (all 1,000+ ops)", async () => {
  const { facts, cones } = required(await program());
  const { eqns, consumers, cat } = facts;
  const anchorReads = (c: number, out: number): boolean => {
    const e = eqns[c]!;
    if (cat[c] === "reduce") return e.inputs[0]?.kind === "var" && e.inputs[0].id === out;
    return cat[c] === "matmul" && e.inputs.some((a) => a.kind === "var" && a.id === out);
  };
  // The walk fuseSweep.ts did per question before: forward through ops whose results stay in
  // registers, collecting stored values' ids and anchors (-1 - index).
  const walk = (from: readonly number[]): Set<number> => {
    const roots = new Set<number>();
    const seen = new Set(from);
    const stack = [...from];
    while (stack.length) {
      const out = eqns[stack.pop()!]!.outputs[0]!.id;
      for (const d of consumers.get(out) ?? []) {
        const dout = eqns[d]!.outputs[0]?.id;
        if (!cones.fusable(d)) {
          if (anchorReads(d, out)) roots.add(-1 - d);
        } else if (cones.materialized.has(dout!)) roots.add(dout!);
        else if (!seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
      }
    }
    return roots;
  };
  const reach = new KernelReach(facts, cones, anchorReads);
  const fusable = eqns.map((_, i) => i).filter((i) => cones.fusable(i));
  assert.ok(fusable.length > 1000, `${fusable.length} fusable ops`);
  let most = 0;
  for (const i of fusable) {
    const want = walk([i]);
    assert.equal(reach.count(i), want.size, `eqn ${i}`);
    const got = new Set<number>();
    reach.some(reach.reached([i]), (k) => (got.add(k), false));
    assert.deepEqual([...got].sort(), [...want].sort(), `eqn ${i}`);
    most = Math.max(most, want.size);
  }
  // The residual stream is not stored yet: its first ops reach a kernel in every later block.
  assert.ok(most > 60, `at most ${most} kernels per op`);
  // A union over several ops, as the sweep asks for an anchor's readers.
  const some = fusable.slice(0, 40);
  const got = new Set<number>();
  reach.some(reach.reached(some), (k) => (got.add(k), false));
  assert.deepEqual([...got].sort(), [...walk(some)].sort());
});

test("Cones.coneSizes equals coneOf(id).size for every computed value of gen-30b, with the given values ending cones", async () => {
  const { facts, materialized, cones } = required(await program());
  const ids = facts.eqns.flatMap((e, i) => (cones.fusable(i) ? [e.outputs[0]!.id] : []));
  const stored = (id: number): boolean => materialized.has(id);
  assert.deepEqual(
    cones.coneSizes(ids, stored),
    ids.map((id) => cones.coneOf(id).size),
  );
  // Values stored since (every tenth) do not end the cones counted for the set given.
  const before = new Set(materialized.keys());
  ids.forEach((id, n) => n % 10 === 0 && materialized.set(id, { rule: "test", reason: "stored later" }));
  const now = cones.coneSizes(ids, stored);
  const then = cones.coneSizes(ids, (id) => before.has(id));
  materialized.clear();
  for (const id of before) materialized.set(id, { rule: "test", reason: "stored before" });
  assert.deepEqual(
    then,
    ids.map((id) => cones.coneOf(id).size),
  );
  assert.ok(
    now.some((n, i) => n < then[i]!),
    "storing more values shortens some cones",
  );
  assert.ok(Math.max(...then) > 500, `largest cone ${Math.max(...then)} ops`);
});
