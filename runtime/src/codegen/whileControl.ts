// The two small kernels that let a while_loop run on the device without the host deciding each
// step (backend/webgpuWhile.ts). Per iteration, after the condition's kernels wrote the
// predicate: the control kernel writes the flag, counts the iteration and writes the workgroup
// counts of every indirect dispatch of the iteration (its own grid when the predicate holds, 0
// when not); the commit kernels, dispatched indirectly with those counts, copy the body's
// results into the carry, so an iteration past the loop's end changes nothing.

/** Iterations encoded in a while loop's first chunk, and the most in one chunk (each chunk
 *  doubles): the host reads the flag once per chunk. */
export const FIRST_CHUNK = 16;
export const MAX_CHUNK = 256;

/** Words of the control buffer before the first dispatch's counts: flag, iterations run,
 *  iterations evaluated, padding. */
export const CONTROL_HEADER_WORDS = 4;
/** Bytes per indirect dispatch's counts in the control buffer (x, y, z, padding). */
export const CONTROL_ENTRY_BYTES = 16;

/** Byte offset of the counts of indirect dispatch `n`. */
export const controlEntryOffset = (n: number): number => CONTROL_HEADER_WORDS * 4 + n * CONTROL_ENTRY_BYTES;

export const controlBytes = (entries: number): number => controlEntryOffset(entries);

export const COPY_WORKGROUP = 64;
const MAX_GROUPS = 65535;

/** The grid of the commit kernel copying `words` 4-byte words. */
export function copyGrid(words: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(words / COPY_WORKGROUP));
  const x = Math.min(groups, MAX_GROUPS);
  return [x, Math.ceil(groups / x), 1];
}

/** Binding 0: the predicate (a bool scalar as a 32-bit word); binding 1: the control buffer. */
export function controlWgsl(grids: readonly (readonly [number, number, number])[]): string {
  const h = CONTROL_HEADER_WORDS;
  const writes = grids
    .map((g, n) => g.map((d, j) => `  ctl[${h + (n * CONTROL_ENTRY_BYTES) / 4 + j}u] = ${d}u * go;`).join("\n"))
    .join("\n");
  return `// while_loop control: flag, iteration count and the indirect dispatches' workgroup counts
@group(0) @binding(0) var<storage, read> pred: array<u32>;
@group(0) @binding(1) var<storage, read_write> ctl: array<u32>;

@compute @workgroup_size(1)
fn main() {
  let go = select(0u, 1u, pred[0] != 0u);
  ctl[0] = go;
  ctl[1] = ctl[1] + go;
  ctl[2] = ctl[2] + 1u;
${writes}
}
`;
}

/** Copies `words` words from binding 0 to binding 1 on the grid `copyGrid(words)`. */
export function copyWgsl(words: number): string {
  const [x] = copyGrid(words);
  return `// while_loop commit: the body's result becomes the carry (dispatched only while the loop runs)
@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(${COPY_WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * ${x}u + wg.x) * ${COPY_WORKGROUP}u + li;
  if (i < ${words}u) {
    dst[i] = src[i];
  }
}
`;
}
