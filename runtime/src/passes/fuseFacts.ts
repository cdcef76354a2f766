// Shared vocabulary of the fuse pass: op categories, the program's use-def maps, and the small
// text helpers the fusion reasons are written with.

import { avalBytes, isElementwise, type Eqn, type Primitive, type Program, type Var } from "../ir/types.js";
import { recurrenceMode } from "../codegen/recurrence.js";

// view: broadcast/reshape (index remaps); move: transpose/slice/pad/concatenate (data movement
// the elementwise code generator indexes per output element); both fuse like elementwise ops.
// sort: an anchor of its own that reads whole rows from memory and writes by rank.
// linalg: a factorisation or triangular solve, an anchor of its own (one workgroup per matrix,
// one thread per small matrix) that reads its operands from memory.
// loop: a scan/while equation, run by the backend as its own step between kernels.
export type Category = "ew" | "view" | "move" | "reduce" | "matmul" | "sort" | "linalg" | "loop";

export function category(p: Primitive): Category {
  if (isElementwise(p)) return "ew";
  switch (p) {
    case "broadcast":
    case "reshape":
      return "view";
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min":
    case "argmax":
    case "argmin":
      return "reduce";
    case "sort":
      return "sort";
    case "cholesky":
    case "triangular_solve":
    case "lu":
      return "linalg";
    case "matmul":
    case "conv":
      return "matmul"; // anchors that read their operands from memory
    case "scan":
    case "while":
      return "loop";
    default:
      return "move";
  }
}

/** Whether scan `e` runs as one recurrence kernel (codegen/recurrence.ts) rather than a loop of
 *  its body's kernels: its body qualifies and the buffers it reads and the outputs something
 *  reads fit one kernel's bindings. */
function runsAsRecurrence(e: Eqn, bufferLimit: number, read: (v: Var) => boolean): boolean {
  const inputs = new Set(e.inputs.flatMap((a) => (a.kind === "var" ? [a.id] : []))).size;
  return inputs + e.outputs.filter(read).length <= bufferLimit && recurrenceMode(e) !== null;
}

/** Why a value is written to memory: a machine tag and the user-facing sentence. */
export interface Why {
  rule: string;
  reason: string;
  /** Stored so that this anchor eqn (matmul, reduction) could keep its result in registers as
   *  its epilogue; fuseEpilogueRelease.ts drops it where the anchor writes its result anyway. */
  epilogueOf?: number;
}

/** Use-def facts about a program, by equation index. */
export interface ProgramFacts {
  readonly program: Program;
  readonly eqns: readonly Eqn[];
  readonly producer: ReadonlyMap<number, number>; // var id → eqn index
  readonly consumers: ReadonlyMap<number, readonly number[]>; // var id → eqn indices
  readonly vars: ReadonlyMap<number, Var>;
  readonly cat: readonly Category[];
  readonly outputIds: ReadonlySet<number>;
  /** Scans (eqn indices) that run as one recurrence kernel each instead of a loop. */
  readonly recurrent: ReadonlySet<number>;
}

/** `recurrenceLimit`: the bindings a recurrence kernel may have; 0 runs every scan as a loop
 *  (--ablate recurrence, --ablate fuse). */
export function programFacts(program: Program, recurrenceLimit = 0): ProgramFacts {
  const eqns = program.eqns;
  const producer = new Map<number, number>();
  const vars = new Map<number, Var>();
  const consumers = new Map<number, number[]>();
  for (const v of program.inputs) vars.set(v.id, v);
  eqns.forEach((e, i) => {
    for (const o of e.outputs) {
      producer.set(o.id, i);
      vars.set(o.id, o);
    }
    for (const a of e.inputs)
      if (a.kind === "var") {
        const list = consumers.get(a.id) ?? [];
        if (!list.includes(i)) list.push(i);
        consumers.set(a.id, list);
      }
  });
  const outputIds = new Set(program.outputs.flatMap((a) => (a.kind === "var" ? [a.id] : [])));
  const recurrent = new Set<number>();
  const read = (v: Var) => consumers.has(v.id) || outputIds.has(v.id);
  if (recurrenceLimit > 0) eqns.forEach((e, i) => runsAsRecurrence(e, recurrenceLimit, read) && recurrent.add(i));
  return { program, eqns, producer, consumers, vars, cat: eqns.map((e) => category(e.prim)), outputIds, recurrent };
}

export const varBytes = (v: Var): number => avalBytes(v.aval);

/** Past participles for "value … is <moved> to [shape]". */
export const MOVED: Partial<Record<Primitive, string>> = {
  broadcast: "broadcast",
  reshape: "reshaped",
  transpose: "transposed",
  slice: "sliced",
  pad: "padded",
  concatenate: "concatenated",
  cumulative: "scanned (cumsum/cumprod)",
  rev: "reversed",
};
