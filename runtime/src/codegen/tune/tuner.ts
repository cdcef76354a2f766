// The autotuner's state for this process: the adapter it tunes for, the on-disk cache, the
// searches still to run and their results. Lowering asks it synchronously (`tunedConfig`, for
// any kernel kind with a TuneSpace: matmul, conv, elementwise); a
// search, which must time kernels on the device, runs asynchronously: queued at first compile
// (mode "search"), started by the jit after compiling, awaited by the CLI before the report.
// Kept on globalThis: the CLI (dist/cli.mjs) and the user's script (dist/runtime.mjs) are two
// bundles in one process and must see one tuner.

import type { KernelAutotune } from "@jitscope/contract";
import { getConfig } from "../../config.js";
import type { FusionGroup } from "../kernelPlan.js";
import { setKernelTuner, type TunedChoice, type TuneSpace } from "../kernelTuning.js";
import { cachePathFor, loadCache, saveCache, type CachedTune } from "./tuneCache.js";

/** Runs one search on the device (search.ts; injected by the WebGPU backend, which owns it). */
export type SearchFn = <C>(space: TuneSpace<C>, group: FusionGroup, budgetMs: number) => Promise<CachedTune>;

interface SearchJob {
  readonly space: TuneSpace<unknown>;
  readonly group: FusionGroup;
}

interface TunerState {
  adapter: string | null;
  search: SearchFn | null;
  cachePath: string | null;
  cache: Map<string, CachedTune> | null;
  /** Keys searched in this process (their records say source "search"). */
  searched: Set<string>;
  pending: Map<string, SearchJob>;
  running: Promise<void> | null;
  /** Bumped when a search lands: compiled programs re-lower their tuned kernels at their next call. */
  epoch: number;
  listeners: ((key: string, record: KernelAutotune) => void)[];
  warn: (message: string) => void;
  /** Searches wait for an explicit `runPendingSearches({ now: true })` (the CLI, after the
   *  script), instead of starting in the background at first compile. */
  deferred?: boolean;
}

const KEY = Symbol.for("jitscope.tuner");
const holder = globalThis as { [KEY]?: TunerState };
const state: TunerState = (holder[KEY] ??= {
  adapter: null,
  search: null,
  cachePath: null,
  cache: null,
  searched: new Set(),
  pending: new Map(),
  running: null,
  epoch: 0,
  listeners: [],
  warn: (m) => process.stderr.write(`jitscope: ${m}\n`),
});

/** The WebGPU backend announces its adapter and how to time kernels on it. */
export function attachTuner(adapter: string, search: SearchFn): void {
  if (state.adapter !== adapter) {
    state.cache = null;
    state.cachePath = null;
  }
  state.adapter = adapter;
  state.search = search;
  setKernelTuner(tunedConfig);
}

/** As a new process would start: the loaded cache, queued searches and this process's results
 *  forgotten (the file stays; the attached adapter too). For tests. */
export function resetTuner(warn?: (message: string) => void): void {
  Object.assign(state, {
    cachePath: null,
    cache: null,
    searched: new Set(),
    pending: new Map(),
    running: null,
    listeners: [],
  });
  if (warn) state.warn = warn;
}

function cache(): Map<string, CachedTune> {
  if (state.cache) return state.cache;
  const path = cachePathFor(state.adapter!);
  const loaded = loadCache(path, state.adapter!);
  if (loaded.problem) state.warn(loaded.problem);
  state.cachePath = path;
  state.cache = loaded.entries;
  return state.cache;
}

/** The tuned configuration for this kernel's shape class (`key`), or null (use the default).
 *  In mode "search", a class without a usable result is queued for a search. */
export function tunedConfig<C>(space: TuneSpace<C>, group: FusionGroup, key: string): TunedChoice<C> | null {
  const mode = getConfig().autotune;
  if (mode === "off" || state.adapter === null) return null;
  const hit = cache().get(key);
  const config = hit ? space.parse(hit.winner, group) : null;
  if (hit && config !== null) {
    const source = state.searched.has(key) ? "search" : "cache";
    return { config, key, record: { ...hit, source, shapeClass: key } };
  }
  if (mode === "search" && !state.pending.has(key))
    state.pending.set(key, { space: space as TuneSpace<unknown>, group });
  return null;
}

export function tuneEpoch(): number {
  return state.epoch;
}

export function pendingSearches(): number {
  return state.pending.size;
}

/** Called with each record a search produces (the jit forwards it to the report). */
export function onTuned(listener: (key: string, record: KernelAutotune) => void): () => void {
  state.listeners.push(listener);
  return () => {
    state.listeners = state.listeners.filter((l) => l !== listener);
  };
}

/** Under the CLI, searches run once the script has finished: timed beside the script's own work
 *  (its kernels on the device, its host code on the one JS thread between a block's submit and
 *  its completion), every candidate reads slower by whatever ran meanwhile, by chance. */
export function deferSearches(on: boolean): void {
  state.deferred = on;
}

/** Runs every queued search, one at a time, saving the cache after each; resolves when none
 *  is left. Safe to call repeatedly: a second call joins the running one. While searches are
 *  deferred (deferSearches), only a call with `now` runs them. */
export function runPendingSearches(opts: { now?: boolean } = {}): Promise<void> {
  if (state.running) return state.running;
  if (state.deferred && !opts.now) return Promise.resolve();
  if (state.pending.size === 0 || !state.search) return Promise.resolve();
  const run = async () => {
    while (state.pending.size > 0) {
      const [key, job] = state.pending.entries().next().value!;
      let result: CachedTune;
      try {
        result = await state.search!(job.space, job.group, getConfig().autotuneBudgetMs);
      } catch (e) {
        state.pending.delete(key);
        state.warn(
          `autotune search for ${key} failed, keeping the default: ${e instanceof Error ? e.message : String(e)}`,
        );
        continue;
      }
      state.pending.delete(key);
      cache().set(key, result);
      state.searched.add(key);
      state.epoch++;
      try {
        saveCache(state.cachePath!, state.adapter!, cache());
      } catch (e) {
        state.warn(`cannot write the autotune cache ${state.cachePath}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const record: KernelAutotune = { ...result, source: "search", shapeClass: key };
      for (const l of state.listeners) l(key, record);
    }
  };
  state.running = run().finally(() => {
    state.running = null;
  });
  return state.running;
}
