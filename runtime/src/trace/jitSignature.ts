// jit's cache key and retrace reasons. The key is built from what the arguments look like (each
// leaf's aval, each number's value, each static argument, the pytree structure, the backend),
// never from the traced program, so a cached call costs one pass over the arguments.

import { Tracer } from "./core.js";
import { flatten, keyText, treedefDiff, treedefToString, type TreeDef } from "./pytree.js";
import { avalToString, type Aval } from "../ir/types.js";
import { JitScopeError } from "../ir/errors.js";

export interface ArgSignature {
  readonly static: boolean;
  /** Static arguments: the value itself. */
  readonly value?: unknown;
  readonly treedef: TreeDef;
  /** Per leaf: the number for number leaves, null for array leaves. */
  readonly numbers: readonly (number | null)[];
  readonly avals: readonly Aval[];
  /** How many array leaves. */
  readonly leafCount: number;
}

export interface CallSignature {
  readonly key: string;
  readonly backend: string;
  readonly args: readonly ArgSignature[];
  /** Every argument's array leaves, in order (the compiled program's inputs). */
  readonly leaves: Tracer[];
}

const LEAF_DEF: TreeDef = { kind: "leaf" };
const ARRAY_LEAF: readonly (number | null)[] = [null];

// Aval texts are cached per aval object: arrays of one op share their aval, calls repeat them.
const avalTexts = new WeakMap<Aval, string>();
function avalText(a: Aval): string {
  let t = avalTexts.get(a);
  if (t === undefined) avalTexts.set(a, (t = avalToString(a)));
  return t;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

function staticKey(v: unknown): string {
  if (v === null || v === undefined || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint")
    return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object" || typeof v === "function") {
    let id = objectIds.get(v as object);
    if (id === undefined) objectIds.set(v as object, (id = nextObjectId++));
    return `#obj${id}`;
  }
  return String(v);
}

export function signatureKey(args: readonly unknown[], statics: ReadonlySet<number>, backend: string): CallSignature {
  const parts: string[] = [backend];
  const sigs: ArgSignature[] = [];
  const leaves: Tracer[] = [];
  args.forEach((a, i) => {
    if (statics.has(i)) {
      parts.push(`s:${staticKey(a)}`);
      sigs.push({
        static: true,
        value: a,
        treedef: { kind: "none", value: undefined },
        numbers: [],
        avals: [],
        leafCount: 0,
      });
      return;
    }
    if (a instanceof Tracer) {
      // The common case, kept allocation-light: a plain array argument.
      const text = avalText(a.aval);
      parts.push(text);
      leaves.push(a);
      sigs.push({ static: false, treedef: LEAF_DEF, numbers: ARRAY_LEAF, avals: [a.aval], leafCount: 1 });
      return;
    }
    let flat;
    try {
      flat = flatten(a, `argument ${i}`);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      throw new JitScopeError(
        "trace",
        `${e.message}; to pass other values, mark the argument static: jit(f, { static_argnums: [${i}] })`,
      );
    }
    const numbers: (number | null)[] = [];
    const avals: Aval[] = [];
    let count = 0;
    for (const l of flat.leaves) {
      if (typeof l === "number") {
        numbers.push(l);
        parts.push(`n:${l}`);
      } else {
        numbers.push(null);
        avals.push(l.aval);
        leaves.push(l);
        count++;
        parts.push(avalText(l.aval));
      }
    }
    if (flat.treedef.kind !== "leaf") parts.push(`t:${treedefToString(flat.treedef)}`);
    sigs.push({ static: false, treedef: flat.treedef, numbers, avals, leafCount: count });
  });
  return { key: parts.join("|"), backend, args: sigs, leaves };
}

function shapeText(s: readonly number[]): string {
  return `[${s.join(",")}]`;
}

/** Leaf paths of a structure, in flatten order ("argument 0", "argument 0.w", "argument 1[2]"). */
function leafPaths(t: TreeDef, path: string, out: string[] = []): string[] {
  switch (t.kind) {
    case "leaf":
    case "number":
      out.push(path);
      break;
    case "none":
      break;
    case "list":
      t.children.forEach((c, i) => leafPaths(c, `${path}[${i}]`, out));
      break;
    case "dict":
      t.children.forEach((c, i) => leafPaths(c, `${path}.${t.keys[i]}`, out));
      break;
    case "custom":
      t.children.forEach((c, i) => leafPaths(c, `${path}${keyText(t.keys[i]!)}`, out));
      break;
    default:
      t satisfies never;
  }
  return out;
}

/** Why `cur` needed a new compilation after `prev`, in words ("argument 0: shape [128,784] → [64,784]"). */
export function describeRetrace(prev: CallSignature, cur: CallSignature): string {
  const reasons: string[] = [];
  if (prev.backend !== cur.backend) reasons.push(`backend ${prev.backend} → ${cur.backend}`);
  if (prev.args.length !== cur.args.length) reasons.push(`${prev.args.length} arguments → ${cur.args.length}`);
  const n = Math.min(prev.args.length, cur.args.length);
  for (let i = 0; i < n; i++) {
    const a = prev.args[i]!;
    const b = cur.args[i]!;
    const name = `argument ${i}`;
    if (a.static) {
      if (staticKey(a.value) !== staticKey(b.value))
        reasons.push(`${name} (static): ${String(a.value)} → ${String(b.value)}`);
      continue;
    }
    const diff = treedefDiff(a.treedef, b.treedef, name);
    if (diff) {
      reasons.push(`structure of ${diff}`);
      continue;
    }
    const paths = leafPaths(a.treedef, name);
    let ai = 0;
    a.numbers.forEach((num, j) => {
      const other = b.numbers[j];
      const path = paths[j] ?? name;
      if (num !== null) {
        if (other !== num) reasons.push(`${path}: value ${num} → ${other}`);
        return;
      }
      const x = a.avals[ai]!;
      const y = b.avals[ai]!;
      ai++;
      const shapeChanged = shapeText(x.shape) !== shapeText(y.shape);
      if (shapeChanged) reasons.push(`${path}: shape ${shapeText(x.shape)} → ${shapeText(y.shape)}`);
      if (x.dtype !== y.dtype) reasons.push(`${path}: dtype ${x.dtype} → ${y.dtype}`);
    });
  }
  return reasons.length ? reasons.join("; ") : "new signature";
}

/** config({ logCompiles }) / jax_log_compiles: one stderr line per compilation, as JAX logs them
 *  ("jit(step) at train.ts:12 compiled in 41 ms, 7 kernels, for f32[128,784], f32[784] (first call)"). */
export function logCompile(
  fname: string,
  at: { readonly file: string; readonly line: number } | null,
  reason: string,
  ms: number,
  kernels: number,
  inputs: readonly Tracer[],
): void {
  const where = at ? ` at ${at.file.split(/[\\/]/).pop()}:${at.line}` : "";
  const types = inputs.length > 0 ? `for ${inputs.map((x) => avalText(x.aval)).join(", ")}` : "with no array inputs";
  console.warn(
    `jitscope: jit(${fname})${where} compiled in ${ms.toFixed(1)} ms, ${kernels} kernel${kernels === 1 ? "" : "s"}, ${types} (${reason})`,
  );
}
