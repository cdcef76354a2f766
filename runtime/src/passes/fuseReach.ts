// Which kernels compute each fusable op while the stored values stay as they are: the kernels
// reached forward from the op through ops whose results stay in registers (a stored value's
// root kernel, or an anchor whose prologue reads the value). Computed once, from the end of the
// program, as one bitset per op (the OR of its readers'), for fuseSweep.ts's epilogue step.
// A forward walk per question crossed the rest of the program wherever little is stored yet (the
// residual stream of a stack of blocks): quadratic, a third of fuse at 5,000 ops.
// Memory: ops × kernels / 8 bytes (0.5 MB for the 5,000-op benchmark program).

import type { Cones } from "./fuseCones.js";
import type { ProgramFacts } from "./fuseFacts.js";

export class KernelReach {
  /** Bit → kernel key: a stored value's id (its root kernel), or -1 - index for an anchor. */
  readonly keys: number[] = [];
  private readonly words: number;
  /** Row of eqn i: bits[at[i] .. at[i] + words) (fusable eqns only). */
  private readonly bits: Uint32Array;
  private readonly at: Int32Array;

  /** `anchorReads(c, out)`: whether non-fusable eqn `c` is a kernel that computes value `out`
   *  in its prologue. */
  constructor(facts: ProgramFacts, cones: Cones, anchorReads: (c: number, out: number) => boolean) {
    const { eqns, consumers } = facts;
    const stored = (i: number): boolean => cones.materialized.has(eqns[i]!.outputs[0]!.id);
    // The kernel of eqn `d` that an op whose result `d` reads is computed by, if any.
    const keyOf = (d: number, out: number): number | null =>
      !cones.fusable(d) ? (anchorReads(d, out) ? -1 - d : null) : stored(d) ? eqns[d]!.outputs[0]!.id : null;
    // A bit per kernel some op is computed by (the OR below carries the others along).
    const bitOf = new Int32Array(eqns.length).fill(-1);
    let rows = 0;
    for (let i = 0; i < eqns.length; i++) {
      if (!cones.fusable(i)) continue;
      rows++;
      const out = eqns[i]!.outputs[0]!.id;
      for (const d of consumers.get(out) ?? []) {
        const key = bitOf[d]! < 0 ? keyOf(d, out) : null;
        if (key !== null) bitOf[d] = this.keys.push(key) - 1;
      }
    }
    this.words = (this.keys.length + 31) >>> 5;
    this.bits = new Uint32Array(rows * this.words);
    this.at = new Int32Array(eqns.length).fill(-1);
    let next = 0;
    for (let i = eqns.length - 1; i >= 0; i--) {
      if (!cones.fusable(i)) continue;
      const at = (this.at[i] = next);
      next += this.words;
      const out = eqns[i]!.outputs[0]!.id;
      for (const d of consumers.get(out) ?? []) {
        if (cones.fusable(d) && !stored(d)) this.orRow(at, d);
        else if (keyOf(d, out) !== null) {
          const bit = bitOf[d]!;
          this.bits[at + (bit >>> 5)] = this.bits[at + (bit >>> 5)]! | (1 << (bit & 31));
        }
      }
    }
  }

  /** The kernels that compute the fusable eqns `from` (as bits; see `keys`). */
  reached(from: readonly number[]): Uint32Array {
    const row = new Uint32Array(this.words);
    for (const i of from) {
      const at = this.at[i]!;
      for (let w = 0; w < this.words; w++) row[w] = row[w]! | this.bits[at + w]!;
    }
    return row;
  }

  /** How many kernels compute fusable eqn `i`. */
  count(i: number): number {
    let n = 0;
    const at = this.at[i]!;
    for (let w = 0; w < this.words; w++) n += popcount(this.bits[at + w]!);
    return n;
  }

  /** Whether `hit` holds for one of the kernel keys in `row` (stops at the first). */
  some(row: Uint32Array, hit: (key: number) => boolean): boolean {
    for (let w = 0; w < row.length; w++)
      for (let bits = row[w]!; bits !== 0; bits &= bits - 1)
        if (hit(this.keys[(w << 5) + (31 - Math.clz32(bits & -bits))]!)) return true;
    return false;
  }

  /** ORs the row of eqn `d` into the row at `at`. */
  private orRow(at: number, d: number): void {
    const from = this.at[d]!;
    for (let w = 0; w < this.words; w++) this.bits[at + w] = this.bits[at + w]! | this.bits[from + w]!;
  }
}

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};
