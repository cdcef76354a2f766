// A kernel while fuse is still deciding (fuseSchedule.ts orders and explains the final ones), and
// what it reads and writes given which values are stored.

import type { KernelKind } from "../codegen/kernelPlan.js";
import type { Cones } from "./fuseCones.js";
import type { ProgramFacts } from "./fuseFacts.js";

export interface Kernel {
  eqns: Set<number>; // indices into program.eqns
  kind: KernelKind;
  /** Index of the anchor equation (reduction/matmul), or -1 for elementwise/layout kernels. */
  anchor: number;
  roots: number[]; // var ids this kernel exists to produce
  prologue: number;
  epilogue: number;
}

/** What a kernel reads (in first-use order, and as a set) and writes. */
export interface KernelIO {
  inputs: number[];
  inputSet: ReadonlySet<number>;
  outputs: number[];
}

export const isAnchorKernel = (k: Kernel): boolean =>
  k.kind === "matmul" || k.kind === "conv" || k.kind === "reduction";

/** One round of kernel building: the program, the cones, and which anchor results an epilogue
 *  keeps in registers this round (materialized, but not stored). */
export class Round {
  readonly absorbed = new Set<number>();
  constructor(
    readonly facts: ProgramFacts,
    readonly cones: Cones,
  ) {}

  isStored(id: number): boolean {
    return (this.cones.materialized.has(id) && !this.absorbed.has(id)) || this.facts.outputIds.has(id);
  }

  /** The kernel's reads (values its ops use that it does not compute) and stored writes. */
  io(eqnSet: ReadonlySet<number>): KernelIO {
    const { eqns, producer } = this.facts;
    const inputs: number[] = [];
    const inputSet = new Set<number>();
    const outputs: number[] = [];
    for (const i of Int32Array.from(eqnSet).sort()) {
      for (const a of eqns[i]!.inputs) {
        if (a.kind !== "var" || inputSet.has(a.id)) continue;
        const p = producer.get(a.id);
        if (p === undefined || !eqnSet.has(p)) {
          inputs.push(a.id);
          inputSet.add(a.id);
        }
      }
      for (const o of eqns[i]!.outputs) if (this.isStored(o.id)) outputs.push(o.id);
    }
    return { inputs, inputSet, outputs };
  }

  /**
   * Whether ops of `set` reshape, broadcast or move the anchor result `oid` (or a value computed
   * from it) before using it. An epilogue computes each result element from the registers of that
   * element alone, so it cannot read the result at other coordinates (a 1-D matmul's [M,1]
   * product reshaped to [M] and broadcast back, say): the result is stored instead, and the
   * schedule's boundary names the reshape or broadcast.
   */
  refuseViewedResult(oid: number, set: ReadonlySet<number>): boolean {
    const { eqns, cat } = this.facts;
    const derived = new Set([oid]);
    for (const i of Int32Array.from(set).sort()) {
      if (!eqns[i]!.inputs.some((x) => x.kind === "var" && derived.has(x.id))) continue;
      if (cat[i] === "view" || cat[i] === "move") return true;
      for (const o of eqns[i]!.outputs) derived.add(o.id);
    }
    return false;
  }
}
