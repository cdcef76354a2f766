// The calibration cache: one JSON file of measured peaks per adapter (keyed by its description,
// plus the host CPU for a software adapter: backend/machineKey.ts), so the
// microbenchmarks (calibrate.ts) run once per adapter, not once per run. The directory is
// JITSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/jitscope, else ~/.cache/jitscope. A file that cannot
// be read or parsed is measured again and rewritten (with a note), never a crash.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { DevicePeaks } from "@jitscope/contract";

/** What the microbenchmarks measure (the cache adds when; the report adds where from). */
export type MeasuredPeaks = Omit<DevicePeaks, "source" | "measuredAt">;

export const CACHE_FILE = "calibration.json";
/** 2: peaks measured with the wait that leaves a software adapter its cores (backend/deviceWait.ts);
 *  version 1's were taken beside Dawn's busy polling, half of lavapipe's on 2 cores. */
const CACHE_VERSION = 2;

interface CacheFile {
  version: typeof CACHE_VERSION;
  /** Keyed by the adapter's cache key (backend/machineKey.ts). */
  adapters: Record<string, MeasuredPeaks & { measuredAt: string }>;
}

export function calibrationCacheDir(env: Record<string, string | undefined>): string {
  if (env.JITSCOPE_CACHE_DIR) return env.JITSCOPE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "jitscope");
  return join(homedir(), ".cache", "jitscope");
}

const positive = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;

function validEntry(v: unknown): v is MeasuredPeaks & { measuredAt: string } {
  if (typeof v !== "object" || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    positive(e.gbPerS) &&
    positive(e.gflopPerS) &&
    positive(e.dispatchUs) &&
    positive(e.timestampTickNs) &&
    typeof e.measuredAt === "string"
  );
}

/** What the cache file holds: its entries, or why it could not be used (absent is not an error). */
function readCache(path: string): { cache: CacheFile; problem: string | null } {
  const empty: CacheFile = { version: CACHE_VERSION, adapters: {} };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { cache: empty, problem: null };
    return { cache: empty, problem: e instanceof Error ? e.message : String(e) };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const p = parsed as Partial<CacheFile> | null;
    if (typeof p === "object" && p !== null && typeof p.version === "number" && p.version < CACHE_VERSION)
      return {
        cache: empty,
        problem: `its peaks were measured by an older JIT Scope (calibration version ${p.version})`,
      };
    if (
      typeof p !== "object" ||
      p === null ||
      p.version !== CACHE_VERSION ||
      typeof p.adapters !== "object" ||
      !p.adapters
    )
      return { cache: empty, problem: `not a version ${CACHE_VERSION} calibration file` };
    const adapters: CacheFile["adapters"] = {};
    let bad = 0;
    for (const [key, entry] of Object.entries(p.adapters)) {
      if (validEntry(entry)) adapters[key] = entry;
      else bad++;
    }
    return {
      cache: { version: CACHE_VERSION, adapters },
      problem: bad > 0 ? `${bad} malformed entr${bad === 1 ? "y" : "ies"}` : null,
    };
  } catch (e) {
    return { cache: empty, problem: e instanceof Error ? e.message : String(e) };
  }
}

export interface CalibrationResult {
  peaks: DevicePeaks;
  /** User-facing notes for the device info (a rewritten cache, a cache that could not be written). */
  notes: string[];
}

/**
 * The adapter's peaks: from the cache when it holds them, else measured by `measure` and written
 * back. `now` stamps a fresh measurement.
 */
export async function cachedPeaks(
  adapter: string,
  dir: string,
  measure: () => Promise<MeasuredPeaks>,
  now: () => Date = () => new Date(),
  /** Measure again even when the cache holds the adapter (JITSCOPE_RECALIBRATE=1). */
  fresh = false,
): Promise<CalibrationResult> {
  const path = join(dir, CACHE_FILE);
  const { cache, problem } = readCache(path);
  const notes: string[] = [];
  const hit = problem === null && !fresh ? cache.adapters[adapter] : undefined;
  if (hit) return { peaks: { ...pick(hit), source: "cache", measuredAt: hit.measuredAt }, notes };
  if (problem !== null)
    notes.push(`the calibration cache ${path} could not be used (${problem}): peaks measured again`);
  const measured = await measure();
  const measuredAt = now().toISOString();
  cache.adapters[adapter] = { ...pick(measured), measuredAt };
  try {
    mkdirSync(dir, { recursive: true });
    // Written whole, then renamed: a concurrent reader sees the old file or the new one.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(cache, null, 2));
    renameSync(tmp, path);
  } catch (e) {
    notes.push(
      `the calibration cache ${path} could not be written (${e instanceof Error ? e.message : String(e)}): the next run measures again`,
    );
  }
  return { peaks: { ...pick(measured), source: "measured", measuredAt }, notes };
}

function pick(p: MeasuredPeaks): MeasuredPeaks {
  return { gbPerS: p.gbPerS, gflopPerS: p.gflopPerS, dispatchUs: p.dispatchUs, timestampTickNs: p.timestampTickNs };
}
