// `checkpoint(f)` (alias `remat`), as JAX's jax.checkpoint: the same values, but under reverse
// mode the tape keeps only f's inputs (plus what the policy saves), and the backward pass runs
// f's forward again at those inputs and differentiates that (a vjp of f at the saved inputs).
// - grad/vjp: f runs on the primals on an inner tape (nothing of it is kept but the outputs and
//   the policy's saved values); one tape entry's backward re-runs f on an inner tape, with the
//   saved values replayed in place of their ops, and pulls the cotangents back through it.
// - vmap: f is vmapped and the batched function is checkpointed one level down.
// - otherwise (eager, jit, jvp, a loop body): f itself runs.
// A function that closes over a value being differentiated (a loop over layers closing over each
// layer's weights) is closure converted, as JAX's checkpoint does: traced once into a body
// program whose captured values become explicit arguments, then checkpointed as that program.
// Inside a program (jit), the recomputed ops would be the forward's ops on the same inputs, and
// CSE would merge them back, so the saving would be lost: the recomputation reads each saved
// input through an `optimization_barrier` (as JAX's remat does) whose token comes from the
// cotangent, so CSE sees new values and fusion cannot schedule the recomputation before the
// backward pass reaches it.

import { JitScopeError } from "../ir/errors.js";
import { isStaging, Tracer, bind1, withName, withStackLocations } from "./core.js";
import { flatten, unflatten, type Leaf } from "./pytree.js";
import { VJPTracer, backward, recordCustomRule, recordTape, type TapeHooks } from "./vjp.js";
import { VmapTracer } from "./vmap.js";
import { withBatchAt } from "./rules/batchRules.js";
import * as L from "./rules/lax.js";
import type { Val } from "./rules/lax.js";
import { vmap } from "./vmap.js";
import { evalProgram, materialize } from "./evalProgram.js";
import { traceBody } from "./loopTrace.js";
import { fnName } from "./transformUtil.js";
import { checkOptions } from "../apiOptions.js";
import { sameAval } from "../ir/types.js";
import type { CheckpointPolicy } from "./checkpointPolicies.js";
import type { Flat } from "./customTypes.js";

type Fn = (...args: never[]) => unknown;

export interface CheckpointOptions {
  /** Which intermediates to keep instead of recomputing (checkpoint_policies); default: none. */
  policy?: CheckpointPolicy | null;
  /** Arguments passed to f untouched (numbers, strings, functions): never traced. */
  static_argnums?: number | readonly number[];
  /** Keep the recomputation apart from the forward pass inside jit (default true). JAX's advice
   *  holds: false is safe inside a scan body, whose backward loop recomputes anyway. */
  prevent_cse?: boolean;
}

interface RematCore {
  readonly name: string;
  fn(xs: readonly Leaf[]): Flat;
  readonly policy: CheckpointPolicy | null;
  readonly preventCse: boolean;
  /** fn reads no value it closes over (closureConverted made it so). */
  readonly closureConverted?: boolean;
}

/** `checkpoint(f, options)`: f with its intermediates recomputed in the backward pass. */
export function checkpoint<F extends Fn>(f: F, options: CheckpointOptions = {}): F {
  checkOptions("checkpoint", options, ["policy", "static_argnums", "prevent_cse"], {});
  if (typeof f !== "function")
    throw new JitScopeError("value", `checkpoint: expected a function, got ${describe(f as unknown)}`);
  const name = fnName(f);
  const policy = options.policy ?? null;
  if (policy !== null && typeof policy !== "function")
    throw new JitScopeError(
      "value",
      `checkpoint(${name}): policy must be a function such as checkpoint_policies.dots_saveable, got ${describe(policy)}`,
    );
  const statics = options.static_argnums === undefined ? [] : [options.static_argnums].flat();
  for (const n of statics)
    if (!Number.isInteger(n))
      throw new JitScopeError("value", `checkpoint(${name}): static_argnums must be integers, got ${String(n)}`);
  const call = f as unknown as (...a: unknown[]) => unknown;
  const g = (...args: unknown[]): unknown => {
    const st = statics.map((n) => (n < 0 ? n + args.length : n));
    st.forEach((n, k) => {
      if (n < 0 || n >= args.length)
        throw new JitScopeError(
          "value",
          `checkpoint(${name}): static_argnums ${statics[k]} is out of range for ${args.length} arguments`,
        );
      if (holdsArray(args[n]))
        throw new JitScopeError(
          "value",
          `checkpoint(${name}): argument ${n} is in static_argnums but holds an array; static arguments must be ` +
            `numbers, strings or functions: pass arrays as ordinary arguments`,
        );
    });
    const dyn = args.map((_, i) => i).filter((i) => !st.includes(i));
    const flat = flatten(
      dyn.map((i) => args[i]),
      "argument",
    );
    const core: RematCore = {
      name,
      policy,
      preventCse: options.prevent_cse ?? true,
      fn: (xs) => {
        const full = [...args];
        const rebuilt = unflatten<unknown[]>(flat.treedef, xs);
        dyn.forEach((i, k) => (full[i] = rebuilt[k]));
        const out = flatten(call(...full), "output");
        return { leaves: out.leaves, tree: out.treedef };
      },
    };
    const out = callCheckpoint(core, flat.leaves);
    return unflatten(out.tree, out.leaves);
  };
  Object.defineProperty(g, "name", { value: name });
  return g as unknown as F;
}

function callCheckpoint(core: RematCore, xs: readonly Leaf[]): Flat {
  let top: Tracer | null = null;
  for (const x of xs) if (x instanceof Tracer && (!top || x.ownTrace.level > top.ownTrace.level)) top = x;
  if (top instanceof VJPTracer) return rematVjp(core, xs, top);
  if (top instanceof VmapTracer) {
    const trace = top.ownTrace;
    const mine = (x: Leaf): x is VmapTracer => x instanceof VmapTracer && x.ownTrace.main === trace.main;
    const values = xs.map((x) =>
      mine(x) ? (x.bdim === null ? x.value : (withBatchAt(x.value, x.bdim, 0, trace.size) as Tracer)) : x,
    );
    const axes = xs.map((x) => (mine(x) && x.bdim !== null ? 0 : null));
    let tree: Flat["tree"] | null = null;
    const batched: RematCore = {
      ...core,
      fn: (ls) => {
        const g = (...a: Leaf[]): unknown[] => {
          const o = core.fn(a);
          tree = o.tree;
          return [...o.leaves];
        };
        Object.defineProperty(g, "name", { value: core.name });
        return { leaves: vmap(g, axes, 0)(...ls) as Leaf[], tree: tree! };
      },
    };
    const out = withName(`vmap(${core.name})`, () => callCheckpoint(batched, values));
    return { leaves: out.leaves.map((o) => (o instanceof Tracer ? new VmapTracer(trace, o, 0) : o)), tree: out.tree };
  }
  const out = core.fn(xs);
  // A result of a grad trace above every argument's: the function closes over a value being
  // differentiated (its own arguments are not), so it must be rematerialized after all.
  const above = (o: Leaf) => o instanceof VJPTracer && (top === null || o.ownTrace.level > top.ownTrace.level);
  if (!core.closureConverted && out.leaves.some(above)) return callCheckpoint(...closureConverted(core, xs));
  return out;
}

function rematVjp(core: RematCore, xs: readonly Leaf[], top: VJPTracer): Flat {
  const trace = top.ownTrace;
  const mine = (x: Leaf): x is VJPTracer => x instanceof VJPTracer && x.ownTrace.main === trace.main;
  const primals = xs.map((x) => (mine(x) ? x.primal : x));
  const nodes = xs.map((x) => (mine(x) ? x.node : null));
  const wrap = (out: Flat, outNodes: readonly (number | null)[]): Flat => ({
    leaves: out.leaves.map((o, i) => (o instanceof Tracer ? new VJPTracer(trace, o, outNodes[i] ?? null) : o)),
    tree: out.tree,
  });
  if (nodes.every((n) => n === null)) return wrap(callCheckpoint(core, primals), []);

  const differentiate = (_: Tracer, i: number): boolean => nodes[i] !== null;
  let tree: Flat["tree"] | null = null;
  const run = (...ls: unknown[]): Leaf[] => {
    const o = core.fn(ls as Leaf[]);
    tree = o.tree;
    return [...o.leaves];
  };
  Object.defineProperty(run, "name", { value: core.name });

  // Forward: f on the primals, one level down. Its inner tape is dropped: only the outputs and
  // the values the policy saves stay referenced, so nothing else lives until the backward pass.
  const saved = new Map<number, Tracer[]>();
  const policy = core.policy;
  const record: TapeHooks | undefined = policy
    ? {
        record: (k, prim, params, ins, outs) => {
          if (
            policy(
              prim,
              ins.map((a) => a.aval),
              params,
            )
          )
            saved.set(k, outs);
        },
      }
    : undefined;
  const fwd = recordTape(run, primals, differentiate, `checkpoint(${core.name})`, record);
  const outs = fwd.outputs as Leaf[];
  // Results of this trace, from a function run one level down: it closes over a value being
  // differentiated. The recomputation must see that value as an argument, so convert the closure
  // and start again. (The ops just recorded on the outer tape stay unread: nothing reaches them.)
  if (!core.closureConverted && outs.some((o) => o instanceof Tracer && o.ownTrace.main === trace.main))
    return callCheckpoint(...closureConverted(core, xs));
  const out: Flat = { leaves: outs, tree: tree! };

  const outNodes = recordCustomRule(trace, nodes, outs, (cts) => {
    // Saved values go through the barrier too: else the ops recomputed from them would merge
    // with the forward's (tanh of a saved matmul is the forward's tanh).
    const through = core.preventCse && isStaging() ? barrier(cts) : (xs: readonly Leaf[]) => [...xs];
    const ins = through(primals);
    const replay: TapeHooks | undefined = saved.size
      ? {
          replay: (k, prim, outAvals) => {
            const s = saved.get(k);
            if (!s) return null;
            if (s.length !== outAvals.length || s.some((t, j) => !sameAval(t.aval, outAvals[j]!)))
              throw new JitScopeError(
                "trace",
                `checkpoint(${core.name}): the function applied different ops when it was run again for the ` +
                  `backward pass (op ${k}: ${prim}); it must trace the same way each time`,
              );
            return through(s) as Tracer[];
          },
        }
      : undefined;
    const lin = withStackLocations(() => recordTape(run, ins, differentiate, `remat(${core.name})`, replay));
    const seeds = cts.map((c, i) => {
      const o = lin.outputs[i];
      return c === null || !(o instanceof Tracer) ? null : c;
    });
    return backward(lin, seeds, `remat(${core.name})`);
  });
  return wrap(out, outNodes);
}

/**
 * `core` with every value its function closes over made an explicit argument, as JAX's
 * checkpoint converts closures: the function is traced once into a body program (loopTrace.ts),
 * whose captured values follow `xs` as arguments, and the new function evaluates that program.
 * A number among `xs` stays fixed in the program, and a number the function returned is returned
 * as that number.
 */
function closureConverted(core: RematCore, xs: readonly Leaf[]): [RematCore, Leaf[]] {
  const arrays = xs.flatMap((x, i) => (x instanceof Tracer ? [i] : []));
  let tree: Flat["tree"] | null = null;
  let numbers: (number | null)[] = [];
  const body = traceBody(
    `checkpoint(${core.name})`,
    arrays.map((i) => (xs[i] as Tracer).aval),
    (args) => {
      const ls = [...xs];
      arrays.forEach((i, k) => (ls[i] = args[k]!));
      const o = core.fn(ls);
      tree = o.tree;
      numbers = o.leaves.map((l) => (l instanceof Tracer ? null : l));
      return o.leaves;
    },
  );
  const captured = body.captured.length;
  const converted: RematCore = {
    ...core,
    closureConverted: true,
    fn: (ls) => {
      const args = [...ls.slice(xs.length, xs.length + captured), ...arrays.map((i) => ls[i]!)];
      const outs = evalProgram(body.program, args as Tracer[]);
      return {
        leaves: outs.map((o, i) => numbers[i] ?? materialize(o, body.program.outputs[i]!.aval)),
        tree: tree!,
      };
    },
  };
  return [converted, [...xs, ...body.captured]];
}

/** Reads float values through an optimization_barrier whose token is one element of the first
 *  cotangent: new values to CSE, and available only once the cotangent is. */
function barrier(cts: readonly (Val | null)[]): (xs: readonly Leaf[]) => Leaf[] {
  const ct = cts.find((c): c is Tracer => c instanceof Tracer && c.size > 0);
  const token: Val = ct
    ? L.reshape(L.slice(L.reshape(ct, [ct.size]), [0], [1]), [])
    : { kind: "lit", value: 0, aval: { shape: [], dtype: "float32" } };
  const tok = token.aval.dtype === "float32" ? token : L.cast(token, "float32");
  return (xs) =>
    xs.map((x) =>
      x instanceof Tracer && x.dtype === "float32"
        ? bind1("optimization_barrier", {}, [x, x.ndim === 0 ? tok : L.full(tok, x.shape)])
        : x,
    );
}

function holdsArray(x: unknown): boolean {
  if (x instanceof Tracer) return true;
  if (Array.isArray(x)) return x.some(holdsArray);
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype)
    return Object.values(x as object).some(holdsArray);
  return false;
}

function describe(x: unknown): string {
  return x === null ? "null" : typeof x === "object" ? "an object" : `${typeof x} ${String(x)}`;
}
