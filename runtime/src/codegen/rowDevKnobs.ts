// The row kernel's measured choices as switches (codegen/lowerRowLocal.ts reads them), so that
// bench/dev scripts and tests can time or check a kernel without one: vec4 loads, several rows
// per workgroup, the register cache, the stash, the input cache, Welford's loop. Each setter
// returns the previous value, to restore.

/** Most vec4s (or scalars) a lane keeps in registers between the last reduction and the output loop. */
export let ROW_CACHE_MAX_VEC4 = 32;

export let ROW_VEC4 = true;
/** Dev measurement only: lanes read vec4s (true) or neighbouring scalars (false). */
export function setRowVec4(on: boolean): boolean {
  const was = ROW_VEC4;
  ROW_VEC4 = on;
  return was;
}

export let ROW_RPW_MAX = Infinity;
/** Dev measurement only: the most rows a workgroup takes (1: a workgroup per row). */
export function setRowsPerWorkgroupLimit(n: number): number {
  const was = ROW_RPW_MAX;
  ROW_RPW_MAX = n;
  return was;
}

export let ROW_STASH = true;
/** Dev measurement only: stash a costly value in the output between the last two loops. */
export function setRowStash(on: boolean): boolean {
  const was = ROW_STASH;
  ROW_STASH = on;
  return was;
}

/** Most vec4s (or scalars) of inputs a lane reads once into registers. On lavapipe, layer norm
 *  [4096,1024] with its 32 vec4s per lane held ran 6.5 ms against 5.6 reading the row three
 *  times (medians of 9 interleaved runs, bench/dev/rows_subgroup.ts): past this, LLVM spills. */
export const ROW_INPUT_CACHE_MAX_VEC4 = 16;

export let ROW_INPUT_CACHE = true;
/** Dev measurement only: read an input that several loops read once, into registers. */
export function setRowInputCache(on: boolean): boolean {
  const was = ROW_INPUT_CACHE;
  ROW_INPUT_CACHE = on;
  return was;
}

export let ROW_WELFORD = true;
/** Dev measurement only: a row's sum and its squared deviations from the mean in one loop. */
export function setRowWelford(on: boolean): boolean {
  const was = ROW_WELFORD;
  ROW_WELFORD = on;
  return was;
}

/** Dev measurement only (bench/dev/rows_subgroup.ts): the register cache's size limit (0: off). */
export function setRowCacheLimit(n: number): number {
  const was = ROW_CACHE_MAX_VEC4;
  ROW_CACHE_MAX_VEC4 = n;
  return was;
}

export let ROW_ONLINE = false;
/** Dev measurement only: the online max and sum (rowOnline.ts) wherever a kernel has them, as
 *  if the autotuner had chosen it (bench/dev/softmax_exp_bound.ts times both). */
export function setRowOnline(on: boolean): boolean {
  const was = ROW_ONLINE;
  ROW_ONLINE = on;
  return was;
}
