// Generates the random programs of the JAX differential suite (test/fixtures/jax/programs.json).
// `node --import tsx scripts/jax/generate.ts [seed]`; scripts/jax/README.md has the one command
// that also runs them in JAX. Programs are valid by construction (shapes, axes and domains are
// tracked), except the "error" kind, where one op is made invalid on purpose.
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BINARY,
  NN_ELEMENTWISE,
  UNARY,
  type Arg,
  type DTypeName,
  type InputSpec,
  type OpSpec,
  type Program,
  type Ref,
} from "../../test/unit/jax/dsl.js";

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/jax/programs.json");

let rngState = 1;
function rand(): number {
  // mulberry32
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number): boolean => rand() < p;
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

interface Val {
  shape: number[];
  dtype: DTypeName | "bool";
  /** A rough bound on |value|, to keep exp and products finite. */
  mag: number;
  pos: boolean;
}

/**
 * Builds one program. Inputs are added as ops need them, so while building, refs are ids in
 * creation order; `finish` renumbers them as the format wants (inputs first, then ops).
 */
class Builder {
  inputs: InputSpec[] = [];
  ops: OpSpec[] = [];
  vals: Val[] = [];
  private inputIds: Ref[] = [];
  private opIds: Ref[] = [];
  constructor(
    readonly intMode: boolean,
    readonly smooth: boolean,
  ) {}

  input(shape: number[], dtype: DTypeName = this.intMode ? "int32" : "float32", lo = dtype === "int32" ? -3 : -2): Ref {
    this.inputs.push({ shape, dtype, seed: int(1, 2 ** 31 - 1), lo, ...(dtype === "int32" ? { span: 7 } : {}) });
    this.vals.push({
      shape,
      dtype,
      mag: dtype === "int32" ? 3 + Math.abs(lo) : Math.max(Math.abs(lo), Math.abs(lo + 4)),
      pos: lo > 0,
    });
    this.inputIds.push(this.vals.length - 1);
    return this.vals.length - 1;
  }

  push(op: OpSpec, v: Omit<Val, "pos"> & { pos?: boolean }): Ref {
    this.ops.push(op);
    this.vals.push({ pos: false, ...v });
    this.opIds.push(this.vals.length - 1);
    return this.vals.length - 1;
  }

  /** The value of the last op (the first input when there is none). */
  last(): Ref {
    return this.opIds.at(-1) ?? this.inputIds[0]!;
  }

  /** Index of input id `r` in the inputs list. */
  inputIndex(r: Ref): number {
    return this.inputIds.indexOf(r);
  }

  /** The program's inputs and ops with refs renumbered: inputs first, then ops in order. */
  finish(outputs: Ref[]): { inputs: InputSpec[]; ops: OpSpec[]; outputs: Ref[] } {
    const map = new Map<Ref, Ref>();
    this.inputIds.forEach((id, i) => map.set(id, i));
    this.opIds.forEach((id, j) => map.set(id, this.inputIds.length + j));
    const m = (a: Arg): Arg => (typeof a === "number" ? map.get(a)! : a);
    const ops = this.ops.map((op) => ({ ...op, args: op.args.map(m) }) as OpSpec);
    return { inputs: this.inputs, ops, outputs: outputs.map((o) => map.get(o)!) };
  }

  /** A value of the program to use next (prefers recent ones). */
  some(pred: (v: Val) => boolean = () => true): Ref | null {
    const ok = this.vals
      .map((v, i) => [v, i] as const)
      .filter(([v]) => pred(v))
      .map(([, i]) => i);
    if (ok.length === 0) return null;
    return chance(0.6) ? ok[ok.length - 1]! : pick(ok);
  }

  /** A positive version of value r (for log, sqrt, divisors, power bases). */
  positive(r: Ref): Ref {
    const v = this.vals[r]!;
    if (v.pos) return r;
    const a = this.push({ op: "abs", args: [r] }, { shape: v.shape, dtype: v.dtype, mag: v.mag });
    return this.push(
      { op: "add", args: [a, { lit: 0.5 }] },
      { shape: v.shape, dtype: "float32", mag: v.mag + 0.5, pos: true },
    );
  }

  /** Value r with magnitude at most ~3 (through tanh when it may be larger). */
  tame(r: Ref, limit = 3): Ref {
    const v = this.vals[r]!;
    if (v.mag <= limit) return r;
    const t = this.push({ op: "tanh", args: [r] }, { shape: v.shape, dtype: "float32", mag: 1 });
    return this.push({ op: "multiply", args: [t, { lit: 2.5 }] }, { shape: v.shape, dtype: "float32", mag: 2.5 });
  }
}

/** A shape that broadcasts against `s`: s itself, a suffix, or s with some dims set to 1. */
function broadcastPartner(s: readonly number[]): number[] {
  const r = rand();
  if (r < 0.35) return [...s];
  if (r < 0.65) return s.slice(int(0, s.length));
  if (r < 0.85) return s.map((d) => (chance(0.5) ? 1 : d));
  return [int(2, 3), ...s]; // the other operand gains a leading axis
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1,
      y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function randomShape(maxRank = 3, maxDim = 5): number[] {
  return Array.from({ length: int(1, maxRank) }, () => int(1, maxDim));
}

function factorizations(n: number): number[][] {
  const out: number[][] = [[n]];
  for (let a = 2; a <= n; a++)
    if (n % a === 0 && a < n) {
      out.push([a, n / a]);
      for (let b = 2; b < n / a; b++) if ((n / a) % b === 0) out.push([a, b, n / a / b]);
    }
  return out;
}

/** One random op on the builder's values; returns false when nothing applicable was found. */
function randomOp(b: Builder): boolean {
  const kinds = b.intMode
    ? ["binary", "binary", "reduce", "shape", "shape", "matmul", "where", "arg", "unaryInt"]
    : [
        "unary",
        "unary",
        "binary",
        "binary",
        "binary",
        "reduce",
        "reduce",
        "shape",
        "shape",
        "shape",
        "matmul",
        "nn",
        "nn",
        "where",
        "slice",
        "take",
        "concat",
        ...(b.smooth ? [] : ["arg"]),
        "argRoute",
      ];
  const kind = pick(kinds);
  const numeric = (v: Val) => v.dtype !== "bool";
  let x = b.some(numeric);
  if (x === null) return false;
  const v = b.vals[x]!;
  const dt = v.dtype as DTypeName;
  switch (kind) {
    case "unary": {
      const op = pick(UNARY.filter((u) => !(b.smooth && (u === "sign" || u === "abs"))));
      if (op === "sqrt" || op === "log") {
        const p = b.positive(x);
        const pv = b.vals[p]!;
        b.push(
          { op, args: [p] },
          { shape: pv.shape, dtype: "float32", mag: op === "sqrt" ? Math.sqrt(pv.mag) + 1 : Math.log(pv.mag + 1) + 1 },
        );
      } else if (op === "exp") {
        const t = b.tame(x);
        b.push({ op, args: [t] }, { shape: v.shape, dtype: "float32", mag: Math.exp(b.vals[t]!.mag), pos: true });
      } else if (op === "square") {
        const t = b.tame(x, 30);
        b.push({ op, args: [t] }, { shape: v.shape, dtype: dt, mag: b.vals[t]!.mag ** 2 });
      } else {
        const bounded = op === "sin" || op === "cos" || op === "tanh" || op === "sign";
        b.push(
          { op, args: [x] },
          {
            shape: v.shape,
            dtype: op === "sign" || op === "negative" || op === "abs" ? dt : "float32",
            mag: bounded ? 1 : v.mag,
          },
        );
      }
      return true;
    }
    case "unaryInt": {
      const op = pick(["negative", "abs", "square", "sign"] as const);
      const t = op === "square" ? b.tame(x, 30) : x;
      b.push({ op, args: [t] }, { shape: v.shape, dtype: "int32", mag: op === "square" ? b.vals[t]!.mag ** 2 : v.mag });
      return true;
    }
    case "binary": {
      const op = pick(BINARY.filter((o) => !(b.intMode && (o === "divide" || o === "power"))));
      let y: Arg;
      const partner = b.some(
        (w) =>
          numeric(w) && w !== v && broadcastShape(w.shape, v.shape) !== null && (w.dtype === "float32") === !b.intMode,
      );
      if (chance(0.2)) y = { lit: b.intMode ? int(-3, 3) : pick([0.5, -1.25, 2, 3]) };
      else if (partner !== null && chance(0.5)) y = partner;
      else y = b.input(broadcastPartner(v.shape));
      const yv: Val =
        typeof y === "number" ? b.vals[y]! : { shape: [], dtype: dt, mag: Math.abs(y.lit), pos: y.lit > 0 };
      const out = broadcastShape(v.shape, yv.shape)!;
      if (size(out) > 4096) return false;
      let [l, r]: [Arg, Arg] = chance(0.5) || op === "power" || op === "divide" ? [x, y] : [y, x];
      if (op === "divide" && typeof r === "number") r = b.positive(r);
      if (op === "divide" && typeof r !== "number") r = { lit: pick([0.5, 2, 3]) };
      if (op === "power") {
        l = typeof l === "number" ? b.positive(b.tame(l)) : { lit: 1.5 };
        r = typeof r === "number" ? b.tame(r, 2) : { lit: pick([2, 0.5, -1]) };
        if (typeof r === "number")
          r = b.push({ op: "tanh", args: [r] }, { shape: b.vals[r]!.shape, dtype: "float32", mag: 1 });
      }
      if (op === "multiply") {
        if (typeof l === "number") l = b.tame(l, 30);
        if (typeof r === "number") r = b.tame(r, 30);
      }
      const lm = typeof l === "number" ? b.vals[l]!.mag : Math.abs(l.lit),
        rm = typeof r === "number" ? b.vals[r]!.mag : Math.abs(r.lit);
      const mag = op === "multiply" ? lm * rm : op === "divide" ? lm * 2 : op === "power" ? (lm + 1) ** 2 : lm + rm;
      const outDt = b.intMode ? "int32" : "float32";
      b.push({ op, args: [l, r] }, { shape: out, dtype: outDt, mag });
      return true;
    }
    case "reduce": {
      if (v.shape.length === 0) return false;
      const op = pick(["sum", "mean", "max", "min"] as const);
      const keepdims = chance(0.4);
      const r = rand();
      const axes =
        r < 0.2
          ? null
          : r < 0.75
            ? int(-v.shape.length, v.shape.length - 1)
            : v.shape.map((_, i) => i).filter(() => chance(0.5));
      const list =
        axes === null
          ? v.shape.map((_, i) => i)
          : typeof axes === "number"
            ? [(axes + v.shape.length) % v.shape.length]
            : axes;
      const shape = v.shape.flatMap((d, i) => (list.includes(i) ? (keepdims ? [1] : []) : [d]));
      const count = size(list.map((i) => v.shape[i]!));
      const outDt = op === "mean" ? "float32" : dt;
      b.push(
        { op, args: [x], axis: axes, keepdims },
        { shape, dtype: outDt, mag: op === "sum" ? v.mag * count : v.mag },
      );
      return true;
    }
    case "arg":
    case "argRoute": {
      if (v.shape.length === 0 || (v.dtype === "int32" && kind === "argRoute")) return false;
      const op = chance(0.5) ? "argmax" : "argmin";
      const axis = int(-v.shape.length, v.shape.length - 1);
      const ax = (axis + v.shape.length) % v.shape.length;
      if (kind === "arg") {
        const keepdims = chance(0.3);
        const shape = v.shape.flatMap((d, i) => (i === ax ? (keepdims ? [1] : []) : [d]));
        b.push({ op, args: [x], axis, keepdims }, { shape, dtype: "int32", mag: v.shape[ax]! });
        return true;
      }
      // Top-1 routing: where(index == position, x, 0) along the axis (gradients flow to x only).
      const idx = b.push(
        { op, args: [x], axis, keepdims: true },
        { shape: v.shape.map((d, i) => (i === ax ? 1 : d)), dtype: "int32", mag: v.shape[ax]! },
      );
      const posShape = v.shape.map((d, i) => (i === ax ? d : 1));
      const positions = b.input(posShape, "int32", 0);
      // positions are random ints 0..6; compare with the index
      const eq = b.push({ op: "equal", args: [positions, idx] }, { shape: v.shape, dtype: "bool", mag: 1 });
      b.push({ op: "where", args: [eq, x, { lit: 0 }] }, { shape: v.shape, dtype: dt, mag: v.mag });
      return true;
    }
    case "where": {
      const y = b.input(broadcastPartner(v.shape), dt);
      const yv = b.vals[y]!;
      const out = broadcastShape(v.shape, yv.shape)!;
      const cond = b.push(
        { op: pick(["greater", "less"] as const), args: [x, y] },
        { shape: out, dtype: "bool", mag: 1 },
      );
      b.push(
        { op: "where", args: [cond, x, chance(0.5) ? y : { lit: b.intMode ? 1 : 0.25 }] },
        { shape: out, dtype: dt, mag: Math.max(v.mag, yv.mag, 1) },
      );
      return true;
    }
    case "nn": {
      // JAX's nn functions take floats only (ours cast ints): cast first, as a user would.
      if (dt !== "float32") x = b.push({ op: "astype", args: [x], dtype: "float32" }, { ...v, dtype: "float32" });
      if (v.shape.length === 0) {
        b.push({ op: pick(NN_ELEMENTWISE), args: [b.tame(x, 30)] }, { shape: v.shape, dtype: "float32", mag: v.mag });
        return true;
      }
      const r = rand();
      const axis = int(-v.shape.length, v.shape.length - 1);
      if (r < 0.35)
        b.push({ op: pick(NN_ELEMENTWISE), args: [b.tame(x, 30)] }, { shape: v.shape, dtype: "float32", mag: v.mag });
      else if (r < 0.7) {
        const op = pick(["softmax", "logSoftmax"] as const);
        b.push(
          { op, args: [b.tame(x, 30)], axis },
          { shape: v.shape, dtype: "float32", mag: op === "softmax" ? 1 : 2 * v.mag + 6 },
        );
      } else {
        const keepdims = chance(0.4);
        const all = chance(0.3);
        const ax = (axis + v.shape.length) % v.shape.length;
        const shape = all
          ? keepdims
            ? v.shape.map(() => 1)
            : []
          : v.shape.flatMap((d, i) => (i === ax ? (keepdims ? [1] : []) : [d]));
        b.push(
          { op: "logsumexp", args: [b.tame(x, 30)], axis: all ? null : axis, keepdims },
          { shape, dtype: "float32", mag: v.mag + 6 },
        );
      }
      return true;
    }
    case "shape":
      return randomShapeOp(b, x);
    case "slice": {
      if (v.shape.length === 0) return false;
      const n = int(1, v.shape.length);
      const starts: (number | null)[] = [],
        limits: (number | null)[] = [],
        strides: number[] = [];
      for (let i = 0; i < n; i++) {
        const d = v.shape[i]!;
        const s = chance(0.3) ? null : chance(0.2) ? -int(1, d) : int(0, d - 1);
        const l = chance(0.3) ? null : chance(0.2) ? -int(0, d - 1) || null : int(1, d + 1);
        starts.push(s);
        limits.push(l);
        strides.push(chance(0.7) ? 1 : int(2, 3));
      }
      const shape = v.shape.map((d, i) => (i < n ? sliceLen(d, starts[i]!, limits[i]!, strides[i]!) : d));
      if (shape.some((d) => d === 0)) return false;
      b.push({ op: "slice", args: [x], starts, limits, strides }, { shape, dtype: dt, mag: v.mag });
      return true;
    }
    case "take": {
      if (v.shape.length === 0) return false;
      const axis = int(0, v.shape.length - 1);
      const d = v.shape[axis]!;
      const indices = Array.from({ length: int(1, 4) }, () => int(-d, d - 1));
      const shape = v.shape.map((s, i) => (i === axis ? indices.length : s));
      b.push({ op: "take", args: [x], indices, axis }, { shape, dtype: dt, mag: v.mag });
      return true;
    }
    case "concat": {
      if (v.shape.length === 0) return false;
      const axis = int(0, v.shape.length - 1);
      const other = b.input(
        v.shape.map((d, i) => (i === axis ? int(1, 3) : d)),
        dt,
      );
      const stack = chance(0.3);
      if (stack) {
        const same = b.input([...v.shape], dt);
        const sa = int(0, v.shape.length);
        b.push(
          { op: "stack", args: [x, same], axis: sa },
          { shape: [...v.shape.slice(0, sa), 2, ...v.shape.slice(sa)], dtype: dt, mag: Math.max(v.mag, 2) },
        );
        return true;
      }
      const shape = v.shape.map((d, i) => (i === axis ? d + b.vals[other]!.shape[axis]! : d));
      b.push(
        { op: "concatenate", args: chance(0.5) ? [x, other] : [other, x], axis },
        { shape, dtype: dt, mag: Math.max(v.mag, 2) },
      );
      return true;
    }
    case "matmul":
      return randomMatmul(b, x);
    default:
      throw new Error(`generator: unknown kind ${kind}`);
  }
}

function sliceLen(d: number, s: number | null, l: number | null, st: number): number {
  const norm = (x: number | null, dflt: number) => (x === null ? dflt : x < 0 ? Math.max(0, x + d) : Math.min(x, d));
  const a = norm(s, 0),
    z = norm(l, d);
  return z <= a ? 0 : Math.ceil((z - a) / st);
}

function randomShapeOp(b: Builder, x: Ref): boolean {
  const v = b.vals[x]!;
  const dt = v.dtype as DTypeName;
  const r = v.shape.length;
  const choice = pick(["reshape", "transpose", "swapaxes", "expand_dims", "squeeze", "broadcast_to", "ravel"]);
  switch (choice) {
    case "reshape": {
      const f = pick(factorizations(size(v.shape)));
      const shape = chance(0.3) && f.length > 1 ? f.map((d, i) => (i === 0 ? -1 : d)) : f;
      b.push({ op: "reshape", args: [x], shape }, { shape: f, dtype: dt, mag: v.mag });
      return true;
    }
    case "transpose": {
      if (r < 2) return false;
      const perm = v.shape.map((_, i) => i).sort(() => rand() - 0.5);
      b.push({ op: "transpose", args: [x], perm }, { shape: perm.map((p) => v.shape[p]!), dtype: dt, mag: v.mag });
      return true;
    }
    case "swapaxes": {
      if (r < 2) return false;
      const a1 = int(-r, r - 1),
        a2 = int(0, r - 1);
      const shape = [...v.shape];
      const i1 = (a1 + r) % r;
      [shape[i1], shape[a2]] = [shape[a2]!, shape[i1]!];
      b.push({ op: "swapaxes", args: [x], axis1: a1, axis2: a2 }, { shape, dtype: dt, mag: v.mag });
      return true;
    }
    case "expand_dims": {
      const axis = int(-(r + 1), r);
      const at = (axis + r + 1) % (r + 1);
      b.push(
        { op: "expand_dims", args: [x], axis },
        { shape: [...v.shape.slice(0, at), 1, ...v.shape.slice(at)], dtype: dt, mag: v.mag },
      );
      return true;
    }
    case "squeeze": {
      const ones = v.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
      if (ones.length === 0) return false;
      const axis = pick(ones);
      b.push(
        { op: "squeeze", args: [x], axis },
        { shape: v.shape.filter((_, i) => i !== axis), dtype: dt, mag: v.mag },
      );
      return true;
    }
    case "broadcast_to": {
      const shape = [int(2, 3), ...v.shape.map((d) => (d === 1 ? int(1, 3) : d))];
      if (size(shape) > 4096) return false;
      b.push({ op: "broadcast_to", args: [x], shape }, { shape, dtype: dt, mag: v.mag });
      return true;
    }
    case "ravel":
      b.push({ op: "ravel", args: [x] }, { shape: [size(v.shape)], dtype: dt, mag: v.mag });
      return true;
  }
  return false;
}

/** matmul/dot of x with a fresh input (1-D, 2-D, batched, broadcast batch dims). */
function randomMatmul(b: Builder, x: Ref, big = false): boolean {
  let v = b.vals[x]!;
  const dt = v.dtype as DTypeName;
  if (v.shape.length === 0) return false;
  if (!b.intMode) x = b.tame(x, 4);
  v = b.vals[x]!;
  const op = chance(0.25) ? "dot" : "matmul";
  const k = v.shape[v.shape.length - 1]!;
  const n = big ? int(1, 70) : int(1, 5);
  const r = rand();
  let other: number[];
  if (r < 0.3)
    other = [k]; // 1-D right operand
  else if (r < 0.7 || v.shape.length === 1 || op === "dot") other = [k, n];
  else other = [...(chance(0.5) ? v.shape.slice(0, -2).map((d) => (chance(0.3) ? 1 : d)) : []), k, n];
  const y = b.input(other, dt);
  const left = chance(0.15) && v.shape.length === 1 && other.length === 1;
  const [a, c] = left ? [y, x] : [x, y];
  const sa = b.vals[a]!.shape,
    sc = b.vals[c]!.shape;
  const shape = matmulShape(op, sa, sc);
  if (!shape || size(shape) > 8192) return false;
  b.push({ op, args: [a, c] }, { shape, dtype: dt, mag: (b.intMode ? 3 : 4) * 2 * k });
  return true;
}

function matmulShape(op: "matmul" | "dot", a: readonly number[], c: readonly number[]): number[] | null {
  if (op === "dot" && c.length > 2) return null;
  const A = a.length === 1 ? [1, a[0]!] : [...a];
  const C = c.length === 1 ? [c[0]!, 1] : [...c];
  const batch = broadcastShape(A.slice(0, -2), C.slice(0, -2));
  if (!batch) return null;
  return [...batch, ...(a.length === 1 ? [] : [A[A.length - 2]!]), ...(c.length === 1 ? [] : [C[C.length - 1]!])];
}

// ---- program kinds

function smallProgram(id: string, intMode: boolean, smooth: boolean, minOps = 2, maxOps = 7): Builder {
  const b = new Builder(intMode, smooth);
  b.input(randomShape());
  const target = int(minOps, maxOps);
  for (let tries = 0; b.ops.length < target && tries < 60; tries++) randomOp(b);
  void id;
  return b;
}

const programs: Program[] = [];
let counter = 0;
const nextId = (kind: string) => `${kind}-${String(counter++).padStart(3, "0")}`;

function finishValue(b: Builder, note: string): void {
  const last = b.last();
  const outputs = [last];
  if (b.vals[last]!.dtype === "bool") return; // comparisons are used by where only
  const other = b.some((v) => v.dtype !== "bool");
  if (other !== null && other !== last && chance(0.3)) outputs.push(other);
  programs.push({ id: nextId("value"), kind: "value", ...b.finish(outputs), note });
}

/** Appends sum(out · W) so the program's result is a scalar with a non-uniform cotangent. */
function scalarize(b: Builder): Ref {
  let last = b.last();
  if (b.vals[last]!.dtype !== "float32")
    last = b.push({ op: "astype", args: [last], dtype: "float32" }, { ...b.vals[last]!, dtype: "float32" });
  const v = b.vals[last]!;
  const w = b.input([...v.shape], "float32", -2);
  const m = b.push({ op: "multiply", args: [last, w] }, { shape: v.shape, dtype: "float32", mag: v.mag * 2 });
  return b.push(
    { op: "sum", args: [m], axis: null, keepdims: false },
    { shape: [], dtype: "float32", mag: v.mag * 2 * size(v.shape) },
  );
}

function gradProgram(note: string): void {
  const b = smallProgram("", false, true, 2, 6);
  const out = scalarize(b);
  const floats = b.inputs
    .map((s, i) => (s.dtype === "float32" ? i : -1))
    .filter((i) => i >= 0 && i < b.inputs.length - 1);
  const argnums = floats.filter((i) => i === 0 || chance(0.5));
  programs.push({ id: nextId("grad"), kind: "grad", ...b.finish([out]), argnums, note });
}

function vmapProgram(kind: "vmap" | "vmapgrad"): void {
  const b = kind === "vmap" ? smallProgram("", chance(0.15), false, 2, 6) : smallProgram("", false, true, 2, 5);
  let outputs = [b.last()];
  if (kind === "vmapgrad") outputs = [scalarize(b)];
  if (b.vals[outputs[0]!]!.dtype === "bool") return;
  const done = b.finish(outputs);
  const B = int(2, 4);
  const inAxes = b.inputs.map((s, i) => (i === 0 ? 0 : chance(0.5) ? null : int(0, s.shape.length)));
  const inputs = done.inputs.map((s, i) => {
    const ax = inAxes[i];
    return ax === null || ax === undefined ? s : { ...s, shape: [...s.shape.slice(0, ax), B, ...s.shape.slice(ax)] };
  });
  const floats = b.inputs
    .map((s, i) => (s.dtype === "float32" ? i : -1))
    .filter((i) => i >= 0 && i < b.inputs.length - 1);
  const argnums = floats.filter((i) => i === 0 || chance(0.5));
  programs.push({
    id: nextId(kind),
    kind,
    inputs,
    ops: done.ops,
    outputs: done.outputs,
    inAxes,
    ...(kind === "vmapgrad" ? { argnums } : {}),
    note: `${kind} over a batch of ${B}`,
  });
}

/** Programs with dimensions past one 32×32 matmul tile, and reductions over hundreds of elements. */
function bigProgram(): void {
  const b = new Builder(chance(0.15), false);
  const r = rand();
  if (r < 0.5) {
    const M = int(20, 130),
      K = int(33, 300);
    const batch = chance(0.3) ? [int(2, 3)] : [];
    const x = b.input([...batch, M, K]);
    if (chance(0.2)) b.push({ op: "tanh", args: [x] }, { shape: [...batch, M, K], dtype: "float32", mag: 1 });
    const n = b.last();
    const k = b.vals[n]!.shape.at(-1)!;
    const oneD = chance(0.3);
    const y = b.input(oneD ? [k] : [k, int(20, Math.max(20, Math.floor(6000 / M / Math.max(1, batch[0] ?? 1))))]);
    const sa = b.vals[n]!.shape,
      sc = b.vals[y]!.shape;
    b.push(
      { op: "matmul", args: [n, y] },
      { shape: matmulShape("matmul", sa, sc)!, dtype: b.intMode ? "int32" : "float32", mag: 16 * k },
    );
    for (let i = 0, t = int(0, 2); i < t; i++) randomOp(b);
    finishValue(b, `large matmul [${sa}] @ [${sc}]`);
  } else {
    const n = int(200, 600);
    const rows = int(1, 8);
    const x = b.input(chance(0.5) ? [rows, n] : [n, rows]);
    for (let i = 0, t = int(1, 3); i < t; i++) randomOp(b);
    const last = b.last();
    const v = b.vals[last]!;
    if (v.shape.length > 0 && v.dtype === "float32") {
      const axis = v.shape.indexOf(Math.max(...v.shape));
      const op = pick(["sum", "mean", "max", "logsumexp", "softmax"] as const);
      if (op === "logsumexp")
        b.push(
          { op, args: [b.tame(last, 30)], axis, keepdims: false },
          { shape: v.shape.filter((_, i) => i !== axis), dtype: "float32", mag: v.mag + 7 },
        );
      else if (op === "softmax")
        b.push({ op, args: [b.tame(last, 30)], axis }, { shape: v.shape, dtype: "float32", mag: 1 });
      else
        b.push(
          { op, args: [last], axis, keepdims: chance(0.3) },
          { shape: v.shape.filter((_, i) => i !== axis), dtype: "float32", mag: v.mag * n },
        );
    }
    void x;
    finishValue(b, `long reduction over ${n}`);
  }
}

/** A valid prefix, then one op made invalid: JAX must raise, and so must we. */
function errorProgram(): void {
  const b = new Builder(false, false);
  const x = b.input(randomShape(3, 4).map((d) => d + 1));
  for (let i = 0, t = int(0, 2); i < t; i++) randomOp(b);
  const last = b.last();
  const v = b.vals[last]!;
  const s = v.shape.length ? v.shape : [2];
  const target = v.shape.length
    ? last
    : b.push({ op: "reshape", args: [last], shape: [1] }, { shape: [1], dtype: v.dtype, mag: v.mag });
  const sv = b.vals[target]!.shape;
  const r = sv.length;
  const kind = pick([
    "broadcast",
    "axis",
    "reshape",
    "matmul",
    "transpose",
    "softmax",
    "logsumexp",
    "concatenate",
    "squeeze",
    "swapaxes",
    "broadcast_to",
  ]);
  let op: OpSpec, names: string;
  switch (kind) {
    case "broadcast": {
      // Some axis of size > 1 against a different size > 1 (a size-1 axis would broadcast).
      if (sv.every((d) => d === 1)) return;
      const y = b.input(sv.map((d) => (d > 1 ? d + 1 : d)));
      op = { op: pick(["add", "multiply", "maximum"] as const), args: [target, y] };
      names = op.op;
      break;
    }
    case "axis": {
      const red = pick(["sum", "mean", "max", "min"] as const);
      op = { op: red, args: [target], axis: chance(0.5) ? r + int(0, 2) : -r - 1, keepdims: false };
      names = red;
      break;
    }
    case "reshape":
      op = { op: "reshape", args: [target], shape: [size(sv) + 1] };
      names = "reshape";
      break;
    case "matmul": {
      const k = sv[sv.length - 1]!;
      const y = b.input([k + 1, 2]);
      op = { op: chance(0.5) ? "matmul" : "dot", args: [target, y] };
      names = op.op;
      break;
    }
    case "transpose":
      op = { op: "transpose", args: [target], perm: r > 1 ? sv.map(() => 0) : [1, 0] };
      names = "transpose";
      break;
    case "softmax":
      op = { op: pick(["softmax", "logSoftmax"] as const), args: [target], axis: r + int(0, 1) };
      names = op.op;
      break;
    case "logsumexp":
      op = { op: "logsumexp", args: [target], axis: -r - 1, keepdims: false };
      names = "logsumexp";
      break;
    case "concatenate": {
      const y = b.input([...sv.map((d) => d + 1), 2]);
      op = { op: "concatenate", args: [target, y], axis: 0 };
      names = "concatenate";
      break;
    }
    case "squeeze": {
      const i = sv.findIndex((d) => d > 1);
      if (i < 0) return;
      op = { op: "squeeze", args: [target], axis: i };
      names = "squeeze";
      break;
    }
    case "swapaxes":
      op = { op: "swapaxes", args: [target], axis1: 0, axis2: r + 1 };
      names = "swapaxes";
      break;
    default: {
      if (sv.every((d) => d === 1)) return;
      const bad = [2, ...sv.map((d) => (d > 1 ? d + 1 : d))];
      op = { op: "broadcast_to", args: [target], shape: bad };
      names = "broadcast_to";
      break;
    }
  }
  void x;
  void s;
  b.push(op, { shape: [], dtype: "float32", mag: 0 });
  const done = b.finish([]);
  programs.push({
    id: nextId("error"),
    kind: "error",
    ...done,
    error: { opIndex: done.ops.length - 1, names },
    note: `invalid ${names}`,
  });
}

export function generate(seed: number): Program[] {
  rngState = seed >>> 0;
  programs.length = 0;
  counter = 0;
  for (let i = 0; i < 150; i++) {
    const b = smallProgram("", chance(0.15), false);
    finishValue(b, b.intMode ? "int32 chain" : "float32 chain");
  }
  for (let i = 0; i < 24; i++) bigProgram();
  for (let i = 0; i < 60; i++) gradProgram("grad of a chain");
  for (let i = 0; i < 30; i++) vmapProgram("vmap");
  for (let i = 0; i < 20; i++) vmapProgram("vmapgrad");
  for (let i = 0; i < 36; i++) errorProgram();
  return [...programs];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const seed = Number(process.argv[2] ?? 21);
  const list = generate(seed);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ seed, programs: list }) + "\n");
  console.log(`wrote ${list.length} programs to ${OUT}`);
}
