// The compiler: one ordered list of passes. The pipeline times each pass and records a snapshot
// `{ name, ms, changed, text, graph, effect }` after it from what the pass returned (and its own
// `print`, if it has one); passes know nothing about snapshots, snapshots know no pass by name.

import type { PassEffect, PassSnapshot } from "@jitscope/contract";
import { getConfig } from "../config.js";
import type { Program, ScanParams, WhileParams } from "../ir/types.js";
import type { ExecutablePlan, LoopPlan } from "../codegen/kernelPlan.js";
import { simplifyPass } from "./simplify.js";
import { csePass } from "./cse.js";
import { dcePass } from "./dce.js";
import { fusePass } from "./fuse.js";
import { lowerPass } from "./lower.js";
import { memoryPass } from "./memory.js";
import { snapshotGraph, snapshotText } from "./snapshot.js";
import type { CompileState, Pass, PassResult } from "./pass.js";
import { typecheckProgram } from "./typecheck.js";
import { passDisabled } from "./ablation.js";

/** `trace` itself happens in jit (trace/jitTrace.ts); its snapshot is the traced program. */
export const PASSES: readonly Pass[] = [simplifyPass, csePass, dcePass, fusePass, lowerPass, memoryPass];
export const PASS_NAMES: readonly string[] = ["trace", ...PASSES.map((p) => p.name)];

export interface PipelineResult {
  readonly state: CompileState;
  readonly snapshots: PassSnapshot[];
  /** When its last step ended (performance.now()): where the caller's next step starts. */
  readonly endMs: number;
}

export interface PipelineOptions {
  /** How long tracing took (the `trace` snapshot's ms). */
  traceMs?: number;
  /** When the step before the pipeline (tracing) ended, performance.now(). Each step's time runs
   *  from the previous step's end, so the steps tile the compile: a stall between two of them
   *  (a preemption, a GC, the callbacks' own work) counts in the next, never in no step at all. */
  startMs?: number;
  /** Called after each pass with its start (performance.now()) and duration, for host spans. */
  onPass?: (name: string, startMs: number, ms: number) => void;
  /** Called after the snapshot of the IR after each pass (and after tracing) is built. */
  onSnapshot?: (name: string, startMs: number, ms: number) => void;
  /** Called after each IR type check (checkIr) with its start and duration, for host spans. */
  onCheck?: (name: string, startMs: number, ms: number) => void;
  /** Kernel id prefix, unique per compilation. */
  idPrefix?: string;
  /** Skip building snapshot text and graphs (nobody will read them). */
  snapshots?: boolean;
  /** Type-check the IR after every pass (default: JITSCOPE_CHECK_IR=1). */
  checkIr?: boolean;
}

const effectOf = (r: PassResult): PassEffect => ({
  counts: { ...r.counts },
  rules: { ...r.rules },
  notes: [...(r.notes ?? [])],
});

export function runPipeline(program: Program, constInputs: number, opts: PipelineOptions = {}): PipelineResult {
  const wantSnapshots = opts.snapshots ?? true;
  let state: CompileState = { program, constInputs, idPrefix: opts.idPrefix ?? "" };
  const checkIr = opts.checkIr ?? getConfig().checkIr;
  const snapshots: PassSnapshot[] = [];
  let cursor = opts.startMs ?? performance.now();
  /** Ends the step that began at `cursor`: its start and duration, and the next step's start. */
  const endStep = (): [number, number] => {
    const start = cursor;
    cursor = performance.now();
    return [start, cursor - start];
  };
  const check = (name: string): void => {
    if (!checkIr) return;
    typecheckProgram(state.program, name);
    if (state.schedule && state.schedule.program !== state.program) typecheckProgram(state.schedule.program, name);
    opts.onCheck?.(name, ...endStep());
  };
  check("trace");
  if (wantSnapshots) {
    const effect = { counts: { equations: program.eqns.length }, rules: {}, notes: [] };
    snapshots.push({
      name: "trace",
      ms: opts.traceMs ?? 0,
      changed: true,
      text: snapshotText(state),
      graph: snapshotGraph(state, undefined, false),
      effect,
    });
    opts.onSnapshot?.("trace", ...endStep());
  }
  /** The fuse pass's snapshot and what it was drawn from, to draw again once bodies compile. */
  let fused: { snapshot: PassSnapshot; state: CompileState; before: Program } | undefined;
  for (const pass of PASSES) {
    const before = state.program;
    const hadSchedule = state.schedule !== undefined;
    // fuse turned off still schedules (every op its own kernel: fuse.ts); the others are skipped.
    const skipped = pass !== fusePass && passDisabled(pass.name);
    const result: PassResult = skipped
      ? { state, changed: false, notes: [`turned off (--ablate ${pass.name})`] }
      : pass.run(state);
    state = result.state;
    // Loop bodies are compiled by this same pipeline once the enclosing kernels exist (their
    // time counts as the enclosing program's lowering). The fuse snapshot is drawn again with
    // them: a body's kernels are its own pipeline's decision, shown where fusion is.
    if (pass === lowerPass && state.schedule?.groups.some((g) => g.kind === "loop")) {
      state = { ...state, loops: compileLoops(state) };
      if (fused) fused.snapshot.graph = snapshotGraph({ ...fused.state, loops: state.loops }, fused.before, false);
    }
    const [t0, ms] = endStep();
    opts.onPass?.(pass.name, t0, ms);
    check(pass.name);
    if (!wantSnapshots) continue;
    const text = pass.print?.(state) ?? snapshotText(state);
    snapshots.push({
      name: pass.name,
      ms,
      changed: result.changed,
      text,
      graph: snapshotGraph(state, before, hadSchedule),
      effect: effectOf(result),
    });
    opts.onSnapshot?.(pass.name, ...endStep());
    if (pass === fusePass) fused = { snapshot: snapshots[snapshots.length - 1]!, state, before };
  }
  return { state, snapshots, endMs: cursor };
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
    const node = `op${eqn.id}`;
    const sub = (p: Program, tag: string): ExecutablePlan => {
      const { state: s } = runPipeline(p, 0, { snapshots: false });
      return prefixPlan(
        {
          compilationId,
          program: s.program,
          kernels: s.kernels ?? [],
          memory: s.memory!,
          outputs: s.program.outputs,
          ...(s.loops ? { loops: s.loops } : {}),
          ...(s.schedule ? { schedule: s.schedule } : {}),
        },
        `${g.id}${tag}.`,
        node,
        compilationId,
      );
    };
    if (eqn.prim === "scan") {
      const p = eqn.params as ScanParams;
      loops.push({ groupId: g.id, node, eqn, at: kernelsBefore, tripCount: p.length, body: sub(p.body, "") });
    } else {
      const p = eqn.params as WhileParams;
      loops.push({
        groupId: g.id,
        node,
        eqn,
        at: kernelsBefore,
        tripCount: null,
        body: sub(p.body, ""),
        cond: sub(p.cond, "c"),
      });
    }
  }
  return loops;
}

/** A body plan's kernel ids made unique in the enclosing compilation ("k3." + "k0"), nested loops
 *  too; its nested loops are held by the graph node `node` (the body is not drawn). A nested
 *  body was compiled without the compilation's id, so it gets it here: its kernels report under
 *  the id the jit call registered them by. */
function prefixPlan(plan: ExecutablePlan, prefix: string, node: string, compilationId: string): ExecutablePlan {
  const loops = plan.loops?.map((l) => ({
    ...l,
    groupId: prefix + l.groupId,
    node,
    body: prefixPlan(l.body, prefix, node, compilationId),
    ...(l.cond ? { cond: prefixPlan(l.cond, prefix, node, compilationId) } : {}),
  }));
  const kernels = plan.kernels.map((k) => ({ ...k, id: prefix + k.id }));
  return { ...plan, compilationId, kernels, ...(loops ? { loops } : {}) };
}
