// The autotuner's results on disk: one JSON file per adapter, entries keyed by the kernel's
// shape class (matmulTuneKey). Default path ~/.cache/jitscope/autotune-<adapter hash>.json (the
// folder JITSCOPE_CACHE_DIR or XDG_CACHE_HOME move, as for calibration), or the file
// JITSCOPE_AUTOTUNE_CACHE names. A file that is missing is an empty cache; one that cannot
// be read as a cache (corrupt, another version, another adapter) is reported in words and
// treated as empty, so the search runs again and rewrites it: never a crash.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { homedir } from "node:os";
import { ReportSchemaError, validateKernelAutotune, type KernelAutotune } from "@jitscope/contract";

/** 2: candidates timed by the GPU's timestamps where the adapter has them (search.ts); version 1
 *  timed them by the wall clock, so its times and winners are searched again. */
export const CACHE_VERSION = 2;

/** A cached search: the record minus `source` (set when it is used). */
export type CachedTune = Omit<KernelAutotune, "source">;

export interface TuneCacheFile {
  readonly version: typeof CACHE_VERSION;
  readonly adapter: string;
  readonly entries: Record<string, CachedTune>;
}

export interface LoadedCache {
  readonly path: string;
  readonly entries: Map<string, CachedTune>;
  /** Why the file's content was not used, in words; null when it was (or there was none). */
  readonly problem: string | null;
}

/** FNV-1a of the adapter's cache key (backend/machineKey.ts), as 8 hex digits: the file's name. */
export function adapterHash(description: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < description.length; i++) h = Math.imul(h ^ description.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

export function cachePathFor(adapter: string, env: Record<string, string | undefined> = process.env): string {
  const override = env.JITSCOPE_AUTOTUNE_CACHE;
  if (override) return override;
  // The calibration cache's folder, by the same rule as profile/calibrationCache.ts (not imported:
  // codegen must not depend on profile).
  const dir =
    env.JITSCOPE_CACHE_DIR ||
    (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, "jitscope") : join(homedir(), ".cache", "jitscope"));
  return join(dir, `autotune-${adapterHash(adapter)}.json`);
}

export function loadCache(path: string, adapter: string): LoadedCache {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ENOENT") return { path, entries: new Map(), problem: null };
    return { path, entries: new Map(), problem: `cannot read the autotune cache ${path} (${String(e)})` };
  }
  const bad = (why: string): LoadedCache => ({
    path,
    entries: new Map(),
    problem: `the autotune cache ${path} is not usable (${why}); ignoring it, searching again and rewriting it`,
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return bad(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof data !== "object" || data === null) return bad("not an object");
  const d = data as Partial<TuneCacheFile>;
  if ((d.version as unknown) === 1)
    return bad("its candidates were timed by the wall clock (autotune cache version 1, an older JIT Scope)");
  if (d.version !== CACHE_VERSION) return bad(`version ${JSON.stringify(d.version)}, expected ${CACHE_VERSION}`);
  if (d.adapter !== adapter)
    return bad(`written for adapter ${JSON.stringify(d.adapter)}, this is ${JSON.stringify(adapter)}`);
  if (typeof d.entries !== "object" || d.entries === null) return bad("no entries");
  const entries = new Map<string, CachedTune>();
  for (const [key, entry] of Object.entries(d.entries)) {
    try {
      validateKernelAutotune({ ...(entry as object), source: "cache" }, `entries[${JSON.stringify(key)}]`);
    } catch (e) {
      if (!(e instanceof ReportSchemaError)) throw e;
      return bad(e.message);
    }
    entries.set(key, entry as CachedTune);
  }
  return { path, entries, problem: null };
}

/** Writes atomically (a temporary file renamed over the old one): a crash mid-write leaves the
 *  previous cache, never half a file. */
export function saveCache(path: string, adapter: string, entries: ReadonlyMap<string, CachedTune>): void {
  const file: TuneCacheFile = { version: CACHE_VERSION, adapter, entries: Object.fromEntries(entries) };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 1) + "\n");
  renameSync(tmp, path);
}
