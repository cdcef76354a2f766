// simplify: algebraic identities, constant folding and no-op layout ops.
//   x*1, 1*x, x+0, 0+x, x-0, x/1, x**1 → x          (when x already has the result's shape/dtype)
//   elementwise ops on literals only → a literal      (folded in JS with the dtype's rounding)
//   reshape/broadcast to the same shape, identity transpose, cast to the same dtype → input
//   transpose∘transpose → one transpose (or nothing);  reshape∘reshape → one reshape
//   broadcast(literal) read only by binary ops → the literal (implicitly broadcast)
//   transpose of elementwise ops → the ops on transposed operands, where layouts cancel
//   (sinkTranspose.ts); reshape of elementwise ops → the ops on reshaped operands, where
//   reshapes cancel (sinkReshape.ts); then the rules above once more
//   a float32 matmul with K not a multiple of 4 → its operands padded with zeros to one, so the
//   kernel reads vec4s (padMatmulK.ts)
//   a scan carry that adds a reduce_sum each step → adds the unreduced value, one reduce_sum
//   after the loop (sinkLoopReductions.ts)
//   an op a loop body computes from the loop's consts alone → computed once before the loop
//   (hoistInvariants.ts)
// Deliberately NOT done: x*0 → 0 and x-x → 0. They change results when x holds NaN or ±Inf
// (JAX does not fold them either), and a zero array would still need a kernel to materialise.
// A folded literal only replaces a variable where literals are allowed: inputs of elementwise ops
// and program outputs; anywhere else the equation stays.

import {
  isElementwise,
  sameAval,
  type Atom,
  type DType,
  type Eqn,
  type Lit,
  type Program,
  type Var,
} from "../ir/types.js";
import { mapSubPrograms, Substitution, withEqns } from "./rewrite.js";
import { tally, type CompileState, type Pass } from "./pass.js";
import { mergeGroups, sinkReshapes } from "./sinkReshape.js";
import { sinkTransposes } from "./sinkTranspose.js";
import { hoistLoopInvariants } from "./hoistInvariants.js";
import { padMatmulK } from "./padMatmulK.js";
import { sinkLoopReductions } from "./sinkLoopReductions.js";
import { passDisabled } from "./ablation.js";

function round(v: number, dtype: DType): number {
  if (dtype === "float32") return Math.fround(v);
  if (dtype === "int32") return v | 0;
  return v ? 1 : 0;
}

/** Scalar semantics of the elementwise prims that can be folded (null: do not fold). */
function foldScalar(prim: string, xs: readonly number[], inDtype: DType): number | null {
  const [a = 0, b = 0, c = 0] = xs;
  const int = inDtype === "int32";
  switch (prim) {
    case "neg":
      return -a;
    case "abs":
      return Math.abs(a);
    case "sqrt":
      return Math.sqrt(a);
    case "exp":
      return Math.exp(a);
    case "log":
      return Math.log(a);
    case "sin":
      return Math.sin(a);
    case "cos":
      return Math.cos(a);
    case "tanh":
      return Math.tanh(a);
    case "sign":
      return Math.sign(a);
    case "logical_not":
      return a ? 0 : 1;
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return int ? Math.imul(a, b) : a * b;
    case "div":
      return int ? (b === 0 ? null : Math.trunc(a / b)) : a / b;
    case "pow":
      return int ? null : Math.pow(a, b);
    case "atan2":
      return Math.atan2(a, b);
    case "max":
      return Math.max(a, b);
    case "min":
      return Math.min(a, b);
    case "gt":
      return a > b ? 1 : 0;
    case "ge":
      return a >= b ? 1 : 0;
    case "lt":
      return a < b ? 1 : 0;
    case "le":
      return a <= b ? 1 : 0;
    case "eq":
      return a === b ? 1 : 0;
    case "ne":
      return a !== b ? 1 : 0;
    case "where":
      return a ? b : c;
    case "cast":
      return a;
    default:
      return null; // random, iota: not literal-only folds
  }
}

const isLitValue = (a: Atom, v: number): boolean => a.kind === "lit" && a.value === v;
/** Whether `a` is a variable with `v`'s aval (so it can stand in for `v`). */
const sameVarAval = (a: Atom, v: Var): boolean => a.kind === "var" && sameAval(a.aval, v.aval);

/** The identity that reduces `e`, with the rule's name, or null. */
function identityRule(e: Eqn): { to: Atom; rule: string } | null {
  const to = identityAtom(e);
  if (!to) return null;
  const rule =
    e.prim === "transpose"
      ? "identity transpose → x"
      : e.prim === "reshape" || e.prim === "broadcast"
        ? `${e.prim} to the same shape → x`
        : e.prim === "cast"
          ? "cast to the same dtype → x"
          : `x ${OP_SIGN[e.prim] ?? e.prim} ${e.prim === "mul" || e.prim === "div" || e.prim === "pow" ? 1 : 0} → x`;
  return { to, rule };
}

const OP_SIGN: Partial<Record<string, string>> = { mul: "*", add: "+", sub: "-", div: "/", pow: "**" };

/** The atom an identity reduces `e` to, or null. */
function identityAtom(e: Eqn): Atom | null {
  const out = e.outputs[0]!;
  const [x, y] = e.inputs;
  const pick = (cand: Atom | undefined): Atom | null => (cand && sameVarAval(cand, out) ? cand : null);
  switch (e.prim) {
    case "mul":
      if (isLitValue(y!, 1)) return pick(x);
      if (isLitValue(x!, 1)) return pick(y);
      return null;
    case "add":
      if (isLitValue(y!, 0)) return pick(x);
      if (isLitValue(x!, 0)) return pick(y);
      return null;
    case "sub":
      return isLitValue(y!, 0) ? pick(x) : null;
    case "div":
    case "pow":
      return isLitValue(y!, 1) ? pick(x) : null;
    case "reshape":
    case "broadcast":
    case "cast":
      return pick(x);
    case "transpose": {
      const perm = (e.params as { perm: number[] }).perm;
      return perm.every((p, i) => p === i) ? pick(x) : null;
    }
    default:
      return null;
  }
}

const BINARY = new Set(["add", "sub", "mul", "div", "pow", "atan2", "max", "min", "gt", "ge", "lt", "le", "eq", "ne"]);

/** Vars made by `broadcast` of a literal whose every reader is a binary elementwise op whose
 *  other operand is a variable of the result's shape (so the literal can stand in for them). */
function scalarBroadcastsToInline(program: Program): Set<number> {
  const candidates = new Set<number>();
  for (const e of program.eqns)
    if (e.prim === "broadcast" && e.inputs[0]?.kind === "lit") candidates.add(e.outputs[0]!.id);
  const ok = new Set(candidates);
  for (const a of program.outputs) if (a.kind === "var") ok.delete(a.id);
  for (const e of program.eqns) {
    e.inputs.forEach((a, j) => {
      if (a.kind !== "var" || !ok.has(a.id)) return;
      const other = e.inputs[1 - j];
      const fine =
        BINARY.has(e.prim) &&
        other?.kind === "var" &&
        !candidates.has(other.id) &&
        sameVarAval(other, e.outputs[0]!) &&
        other.aval.dtype === a.aval.dtype;
      if (!fine) ok.delete(a.id);
    });
  }
  return ok;
}

export function simplifyProgram(outer: Program): { program: Program; changed: boolean; rules: Record<string, number> } {
  const rules: Record<string, number> = {};
  const inner = mapSubPrograms(outer, simplifyProgram);
  const program = inner.program;
  const sub = new Substitution();
  const producers = new Map<number, Eqn>();
  // Where each var is used, to know whether a literal may replace it.
  const litOk = new Map<number, boolean>();
  for (const e of program.eqns) {
    const ok = isElementwise(e.prim);
    for (const a of e.inputs) if (a.kind === "var") litOk.set(a.id, (litOk.get(a.id) ?? true) && ok);
  }
  const scalarOk = scalarBroadcastsToInline(program);
  let changed = inner.changed;
  const eqns: Eqn[] = [];
  for (const original of program.eqns) {
    const e = sub.apply(original);
    if (e !== original) changed = true;
    const out = e.outputs[0]!;

    // broadcast of a literal read only by binary ops beside a full-shape operand: the literal
    // itself (binary ops broadcast rank-0 literals implicitly).
    if (scalarOk.has(out.id) && e.inputs[0]?.kind === "lit") {
      sub.set(out, {
        kind: "lit",
        value: round(e.inputs[0].value, out.aval.dtype),
        aval: { shape: [], dtype: out.aval.dtype },
      });
      tally(rules, "broadcast(literal) → literal");
      changed = true;
      continue;
    }

    const id = e.outputs.length === 1 ? identityRule(e) : null;
    if (id) {
      sub.set(out, id.to);
      tally(rules, id.rule);
      changed = true;
      continue;
    }
    if (
      isElementwise(e.prim) &&
      e.inputs.length > 0 &&
      e.inputs.every((a) => a.kind === "lit") &&
      out.aval.shape.length === 0 &&
      (litOk.get(out.id) ?? true)
    ) {
      const v = foldScalar(
        e.prim,
        e.inputs.map((a) => (a as Lit).value),
        e.inputs[0]!.aval.dtype,
      );
      if (v !== null) {
        sub.set(out, { kind: "lit", value: round(v, out.aval.dtype), aval: out.aval });
        tally(rules, "constant folding");
        changed = true;
        continue;
      }
    }
    const inner = e.inputs[0]?.kind === "var" ? producers.get(e.inputs[0].id) : undefined;
    if (e.prim === "transpose" && inner?.prim === "transpose") {
      const p1 = (inner.params as { perm: number[] }).perm;
      const p2 = (e.params as { perm: number[] }).perm;
      const perm = p2.map((i) => p1[i]!);
      const src = inner.inputs[0]!;
      if (perm.every((p, i) => p === i) && sameVarAval(src, out)) sub.set(out, src);
      else eqns.push(register({ ...e, params: { perm }, inputs: [src] }));
      tally(rules, "transpose∘transpose → one transpose");
      changed = true;
      continue;
    }
    // A reshape that merges axes of a broadcast is that broadcast at the merged shape, when every
    // broadcast axis keeps its own group (the bias [d] of x @ w + b on [B, T, d], read as rows;
    // the ones a sum's gradient spreads over [B, T, n]): a view of the small operand, not a
    // computed value the next matmul needs written out.
    if (e.prim === "reshape" && inner?.prim === "broadcast") {
      const dims = broadcastDimsAfterMerge(inner, out.aval.shape);
      if (dims) {
        eqns.push(
          register({ ...e, prim: "broadcast", params: { shape: [...out.aval.shape], dims }, inputs: inner.inputs }),
        );
        tally(rules, "reshape∘broadcast → one broadcast");
        changed = true;
        continue;
      }
    }
    if (e.prim === "reshape" && inner?.prim === "reshape") {
      const src = inner.inputs[0]!;
      if (sameVarAval(src, out)) sub.set(out, src);
      else eqns.push(register({ ...e, inputs: [src] }));
      tally(rules, "reshape∘reshape → one reshape");
      changed = true;
      continue;
    }
    eqns.push(register(e));
  }
  function register(e: Eqn): Eqn {
    for (const o of e.outputs) producers.set(o.id, e);
    return e;
  }
  const outputs = program.outputs.map((a) => sub.resolve(a));
  if (outputs.some((a, i) => a !== program.outputs[i])) changed = true;
  return { program: changed ? withEqns(program, eqns, outputs) : program, changed, rules };
}

export const simplifyPass: Pass = {
  name: "simplify",
  run(state: CompileState) {
    const first = simplifyProgram(state.program);
    const sunk = sinkTransposes(first.program);
    const reshapes = sinkReshapes(sunk.program);
    // Again after sinking: the transposes and reshapes it composed and the ops it left unused.
    const simplified =
      sunk.changed || reshapes.changed
        ? mergeRules(simplifyProgram(reshapes.program), first.rules, sunk.count, reshapes.count)
        : first;
    // Products with K not a multiple of 4 read zero-padded operands, in vec4s.
    const padded = padMatmulK(simplified.program);
    // A scan carry summing a reduction each step sums elementwise, reduced once after the loop.
    // (With recurrence kernels turned off, --ablate recurrence or fuse, there is nothing to gain.)
    const sunkSums =
      passDisabled("recurrence") || passDisabled("fuse")
        ? { program: padded.program, count: 0 }
        : sinkLoopReductions(padded.program);
    // Last: ops a loop body computes the same way every iteration move before the loop.
    const hoisted = hoistLoopInvariants(sunkSums.program);
    const { rules } = simplified;
    const program = sunkSums.program;
    const changed = simplified.changed || hoisted.count > 0 || padded.count > 0 || sunkSums.count > 0;
    if (padded.count)
      tally(rules, "matmul with K not a multiple of 4 → operands padded with zeros to one", padded.count);
    if (sunkSums.count)
      tally(rules, "scan carry adding a reduce_sum each step → adds elementwise, reduced once after", sunkSums.count);
    if (hoisted.count) tally(rules, "loop-invariant op → computed once, before the loop", hoisted.count);
    return {
      state: { ...state, program: hoisted.program },
      changed,
      rules,
      // Sinking a transpose adds duplicates that dce removes: count either way, never negative.
      counts: {
        "equations removed": Math.max(0, state.program.eqns.length - program.eqns.length),
        ...(program.eqns.length > state.program.eqns.length
          ? { "equations added": program.eqns.length - state.program.eqns.length }
          : {}),
        ...(hoisted.count ? { "ops hoisted out of loops": hoisted.count } : {}),
      },
    };
  },
};

function mergeRules(
  second: ReturnType<typeof simplifyProgram>,
  firstRules: ReturnType<typeof simplifyProgram>["rules"],
  sunk: number,
  reshapes: number,
): ReturnType<typeof simplifyProgram> {
  const rules = second.rules;
  for (const [k, n] of Object.entries(firstRules)) tally(rules, k, n);
  if (sunk) tally(rules, "transpose of elementwise ops → elementwise ops on transposed operands", sunk);
  if (reshapes) tally(rules, "reshape of elementwise ops → elementwise ops on reshaped operands", reshapes);
  return { ...second, changed: true, rules };
}

/** The dims of `b` (a broadcast) as a broadcast straight to `target`, a merge of its output's
 *  axes, when each axis `b` keeps (not stretched from 1) is alone in its merged group. */
function broadcastDimsAfterMerge(b: Eqn, target: readonly number[]): number[] | null {
  const { shape, dims } = b.params as { shape: number[]; dims: number[] };
  const inShape = b.inputs[0]!.aval.shape;
  const groups = mergeGroups(shape, target);
  if (!groups) return null;
  const out: number[] = [];
  for (const [i, d] of dims.entries()) {
    if (inShape[i] !== shape[d]) return null;
    const j = groups.findIndex((g) => g.includes(d));
    if (groups[j]!.some((a) => a !== d && shape[a] !== 1) || out.includes(j)) return null;
    out.push(j);
  }
  return out;
}
