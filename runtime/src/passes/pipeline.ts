// The compiler: one ordered list of passes. The pipeline times each pass and records a snapshot
// `{ name, ms, changed, text, graph }` after it; passes know nothing about snapshots.

import type { PassSnapshot } from "@jitscope/contract";
import type { Program, ScanParams, WhileParams } from "../ir/types.js";
import type { ExecutablePlan, LoopPlan } from "../codegen/contract.js";
import { simplifyPass } from "./simplify.js";
import { csePass } from "./cse.js";
import { dcePass } from "./dce.js";
import { fusePass } from "./fuse.js";
import { lowerPass, wgslPass } from "./lower.js";
import { memoryPass } from "./memory.js";
import { snapshotGraph, snapshotText } from "./snapshot.js";
import type { CompileState, Pass } from "./pass.js";

/** `trace` itself happens in jit (trace/jitTrace.ts); its snapshot is the traced program. */
export const PASSES: readonly Pass[] = [simplifyPass, csePass, dcePass, fusePass, lowerPass, wgslPass, memoryPass];
export const PASS_NAMES: readonly string[] = ["trace", ...PASSES.map((p) => p.name)];

export interface PipelineResult {
  readonly state: CompileState;
  readonly snapshots: PassSnapshot[];
}

export interface PipelineOptions {
  /** How long tracing took (the `trace` snapshot's ms). */
  traceMs?: number;
  /** Called after each pass with its start (performance.now()) and duration, for host spans. */
  onPass?: (name: string, startMs: number, ms: number) => void;
  /** Kernel id prefix, unique per compilation. */
  idPrefix?: string;
  /** Skip building snapshot text and graphs (nobody will read them). */
  snapshots?: boolean;
}

export function runPipeline(program: Program, constInputs: number, opts: PipelineOptions = {}): PipelineResult {
  const wantSnapshots = opts.snapshots ?? true;
  let state: CompileState = { program, constInputs, idPrefix: opts.idPrefix ?? "" };
  const snapshots: PassSnapshot[] = [];
  const snap = (name: string, ms: number, changed: boolean, previous: Program | undefined, hadSchedule = false): void => {
    if (!wantSnapshots) return;
    snapshots.push({ name, ms, changed, text: snapshotText(name, state), graph: snapshotGraph(state, previous, hadSchedule) });
  };
  snap("trace", opts.traceMs ?? 0, true, undefined);
  for (const pass of PASSES) {
    const before = state.program;
    const hadSchedule = state.schedule !== undefined;
    const t0 = performance.now();
    const { state: next, changed } = pass.run(state);
    state = next;
    // Loop bodies are compiled by this same pipeline once the enclosing kernels exist (their
    // time counts as the enclosing program's lowering).
    if (pass === lowerPass && state.schedule?.groups.some((g) => g.kind === "loop")) state = { ...state, loops: compileLoops(state) };
    const ms = performance.now() - t0;
    opts.onPass?.(pass.name, t0, ms);
    snap(pass.name, ms, changed, before, hadSchedule);
  }
  return { state, snapshots };
}

/** Compiles every loop group's body (and while condition) into its own plan, once. */
function compileLoops(state: CompileState): LoopPlan[] {
  const loops: LoopPlan[] = [];
  let kernelsBefore = 0;
  const compilationId = (state.idPrefix ?? "").replace(/\/$/, "");
  for (const g of state.schedule!.groups) {
    if (g.kind !== "loop") {
      kernelsBefore++;
      continue;
    }
    const eqn = g.eqns[0]!;
    const sub = (p: Program, tag: string): ExecutablePlan => {
      const { state: s } = runPipeline(p, 0, { snapshots: false });
      return prefixPlan({ compilationId, program: s.program, kernels: s.kernels ?? [], memory: s.memory!, outputs: s.program.outputs, ...(s.loops ? { loops: s.loops } : {}) }, `${g.id}${tag}.`);
    };
    if (eqn.prim === "scan") {
      const p = eqn.params as ScanParams;
      loops.push({ groupId: g.id, eqn, at: kernelsBefore, tripCount: p.length, body: sub(p.body, "") });
    } else {
      const p = eqn.params as WhileParams;
      loops.push({ groupId: g.id, eqn, at: kernelsBefore, tripCount: null, body: sub(p.body, ""), cond: sub(p.cond, "c") });
    }
  }
  return loops;
}

/** A body plan's kernel ids made unique in the enclosing compilation ("k3." + "k0"), nested loops too. */
function prefixPlan(plan: ExecutablePlan, prefix: string): ExecutablePlan {
  const loops = plan.loops?.map((l) => ({
    ...l,
    groupId: prefix + l.groupId,
    body: prefixPlan(l.body, prefix),
    ...(l.cond ? { cond: prefixPlan(l.cond, prefix) } : {}),
  }));
  return { ...plan, kernels: plan.kernels.map((k) => ({ ...k, id: prefix + k.id })), ...(loops ? { loops } : {}) };
}
