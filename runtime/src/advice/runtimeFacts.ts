// What the runtime records for duplicate-compute beyond the report: which arrays each compiled
// call read (readbacks: hostSync.ts). Defined here, not in profile/, so advice/ depends on
// nothing in profile/.

/** Which arrays a compiled call read: its argument leaves as ids stable for the array's life. */
export interface CallInputs {
  compilation: string;
  /** One id per argument leaf, in the program's input order. */
  inputs: number[];
  start: number;
}
