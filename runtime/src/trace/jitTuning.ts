// The autotuner's side of a compiled jit function: a kernel that waits for a search of its shape
// class is told the record when it lands, and a cached program whose tuned kernels changed is
// lowered again before its next call.

import type { CompiledProgram } from "../backend/backend.js";
import type { CompileState } from "../passes/pass.js";
import { getConfig } from "../config.js";
import { recorder } from "../profile/recorder.js";
import { kernelId } from "@jitscope/contract";
import { onTuned, tuneEpoch } from "../codegen/tune/tuner.js";
import { relowerTuned } from "../codegen/tune/relower.js";

/** What retune changes in a jit cache entry. */
export interface TunableEntry {
  readonly lowered: { readonly compilationId: string };
  plan: CompileState;
  tuneEpoch: number;
  exe: CompiledProgram | null;
}

/** Kernel ids (report-wide) waiting for a search of their shape class, by tune key. */
const awaitingTune = new Map<string, string[]>();
let tuneListening = false;

export function awaitTune(key: string, kernel: string): void {
  const ids = awaitingTune.get(key) ?? [];
  ids.push(kernel);
  awaitingTune.set(key, ids);
  if (tuneListening) return;
  tuneListening = true;
  onTuned((k, record) => {
    for (const id of awaitingTune.get(k) ?? []) recorder.updateKernel?.(id, { autotune: record });
    awaitingTune.delete(k);
  });
}

/** Re-lowers a compiled program's tuned matmuls after a search landed; the next call runs them. */
export function retune(entry: TunableEntry): void {
  entry.tuneEpoch = tuneEpoch();
  if (getConfig().autotune === "off") return;
  const groups = entry.plan.schedule?.groups ?? [];
  const re = relowerTuned(entry.plan.kernels ?? [], groups);
  if (!re) return;
  entry.plan = { ...entry.plan, kernels: re.kernels };
  entry.exe = null;
  for (const k of re.changed) {
    recorder.updateKernel?.(kernelId(entry.lowered.compilationId, k.id), {
      wgsl: k.wgsl,
      wgslSources: [...(k.wgslSources ?? [])],
      workgroupSize: k.workgroupSize,
      dispatch: k.dispatch,
      ...(k.autotune ? { autotune: k.autotune } : {}),
    });
  }
}
