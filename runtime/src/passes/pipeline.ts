// The compiler: one ordered list of passes. The pipeline times each pass and records a snapshot
// `{ name, ms, changed, text, graph }` after it; passes know nothing about snapshots.

import type { PassSnapshot } from "@jitscope/contract";
import type { Program } from "../ir/types.js";
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
    const ms = performance.now() - t0;
    state = next;
    opts.onPass?.(pass.name, t0, ms);
    snap(pass.name, ms, changed, before, hadSchedule);
  }
  return { state, snapshots };
}
