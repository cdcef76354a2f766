// A loop bound the shader compiler cannot see through, for the loops of small kernels.
//
// Mesa (lavapipe) unrolls a loop whose trip count it knows, or can bound, whole when the count
// and body are small, and LLVM then compiles the long straight line superlinearly. A 16×32 @
// 32×32 matmul (2×4 outputs per invocation) took 0.9 s to compile with a 4-step K loop, 3.2 s
// with 8 steps, 4.4 s with 9, and 0.15–0.2 s from 10 steps up, where it stays a loop; a layer
// norm's gradient over [16, 32] 3.3 s, against 0.5 s with its row loops' bounds hidden: a small
// model's first run spent most of its minute there (lavapipe, 2-core VM, Mesa's cache off).
// Hiding the bound costs run time where the kernel is large: [4096,32] @ [32,256] ran 0.89–0.96×
// as fast with it hidden (and compiled as fast either way, its larger block never unrolled); a
// row kernel's register arrays need the unrolled loop (softmax over [4096, 1024] ran 0.56× as
// fast, log-softmax over [1024, 64] 0.67×). So the bound is hidden only where the kernel's work
// is too small for that to matter against seconds of compile: up to 16,384 elements.
// `bench/dev/loop_bounds.ts` measures all of these with `setTripCountsHidden`.

/** Most elements (a matmul's outputs, a row kernel's full shape) a kernel hiding its bounds has. */
export const HIDDEN_BOUND_MAX_ELEMENTS = 16384;

type Hiding = "small kernels" | "every loop" | "none";
let HIDING: Hiding = "small kernels";
const hides = (elements: number) =>
  HIDING === "every loop" || (HIDING === "small kernels" && elements <= HIDDEN_BOUND_MAX_ELEMENTS);
/** Dev measurement only: which loops hide their bounds. Returns the previous setting. */
export function setTripCountsHidden(h: Hiding): Hiding {
  const was = HIDING;
  HIDING = h;
  return was;
}

/**
 * `count` as a WGSL u32 expression no compiler can fold or bound: `arrayLength` of a bound
 * array whose elements are at least 2 bytes is below 2^31 (a binding is under 4 GiB), so its top
 * bit is 0 at run time but unknown at compile time.
 */
function opaque(count: number, array: string): string {
  return `${count}u | (arrayLength(&${array}) & 0x80000000u)`;
}

/** A matmul's K-loop trip count (u32), hidden in a kernel of at most the limit's outputs. */
export function matmulTripCount(count: number, array: string, outputs: number): string {
  return hides(outputs) ? opaque(count, array) : `${count}u`;
}

/** A row kernel's loop over a lane's share of the row (i32), hidden in a kernel of at most the
 *  limit's elements (its full shape). */
export function rowTripCount(count: number, array: string, elements: number): string {
  return hides(elements) ? `i32(${opaque(count, array)})` : `${count}`;
}
