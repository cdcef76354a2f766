// Two choices of nd kernels as switches, so that bench/dev/layout_pieces.ts can time a kernel
// with and without each: a pad's or concatenate's costly pieces behind branches (valueWriter.ts,
// choose) and vec4s along the last axis (lastAxisVec4.ts). Each setter returns the previous value.

export let PIECE_BRANCHES = true;
/** Dev measurement only: costly pieces behind branches (true) or every piece selected (false). */
export function setPieceBranches(on: boolean): boolean {
  const was = PIECE_BRANCHES;
  PIECE_BRANCHES = on;
  return was;
}

export let LAST_AXIS_VEC4 = true;
/** Dev measurement only: nd kernels on vec4s where their ops allow (true) or one element a thread. */
export function setLastAxisVec4(on: boolean): boolean {
  const was = LAST_AXIS_VEC4;
  LAST_AXIS_VEC4 = on;
  return was;
}
