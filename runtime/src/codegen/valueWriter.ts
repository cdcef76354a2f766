// Writes the WGSL that computes a group's values at given coordinates. A value is asked for
// at "nd" coordinates (one i32 expression per axis of its shape) or, in flat kernels, at a flat
// index (optionally vec4). Layout ops become index arithmetic on the way to the loads:
// broadcast drops coordinates (stride 0), transpose permutes them, slice scales and offsets,
// reshape re-linearises, pad and concatenate select on index ranges. Every value computed at
// the same coordinates is emitted once, as a `let`, so shared subexpressions are not recomputed.

import type { Atom, Eqn, PrimParams, Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import { linearize, reshapeCoords, unravel } from "./indexing.js";
import { elementwiseExpr } from "./opExpr.js";
import { gatherValue, scatterSortedValue, scatterValue, type IndexWriter } from "./indexValues.js";
import { cumulativeExpr } from "./scanExpr.js";
import type { HelperName } from "./wgslHelpers.js";
import { literal, loadExpr, valueType, type Width } from "./wgslTypes.js";
import { flatBroadcast } from "./flatAccess.js";
import { PIECE_BRANCHES } from "./layoutDevKnobs.js";

export type Coords =
  | { readonly kind: "nd"; readonly idx: readonly string[] }
  | { readonly kind: "flat"; readonly index: string; readonly width: Width };

export const nd = (idx: readonly string[]): Coords => ({ kind: "nd", idx });

/** A piece of a pad or concatenate computed in at most this many statements (a load, its
 *  index) is selected without a branch. */
const CHEAP_PIECE_LINES = 2;

/** A scalar value as a value of `width` (vec4: the same value in every lane). */
function splat(scalar: string, dtype: Atom["aval"]["dtype"], width: Width): string {
  return width === 1 ? scalar : `${valueType(dtype, 4)}(${scalar})`;
}

interface Scope {
  readonly lines: string[];
  readonly memo: Map<string, string>;
}

export class ValueWriter {
  readonly helpers = new Set<HelperName>();
  /** Values the kernel computes itself (a reduction's accumulator, a matmul's tile results). */
  readonly overrides = new Map<number, (c: Coords) => string>();
  /** Index expressions whose value the kernel already has in a variable ("i / 256" → "o" in a
   *  reduction's row loop, where i = o * 256 + r): saves a division per element. */
  readonly knownIndices = new Map<string, string>();
  private readonly producer = new Map<number, Eqn>();
  private readonly inputIndex = new Map<number, number>();
  private readonly scopes: Scope[] = [{ lines: [], memo: new Map() }];
  private counter = 0;

  /** Values held at nd coordinates as vec4s of 4 neighbouring elements along the last axis (a
   *  group from lastAxisVec4.ts, whose last axes count vec4s); all others are scalars. */
  private readonly vectors: ReadonlySet<number>;

  constructor(eqns: readonly Eqn[], inputs: readonly Var[], vectors: ReadonlySet<number> = new Set()) {
    this.vectors = vectors;
    for (const e of eqns) for (const o of e.outputs) this.producer.set(o.id, e);
    inputs.forEach((v, i) => this.inputIndex.set(v.id, i));
  }

  producerOf(v: Var): Eqn | undefined {
    return this.producer.get(v.id);
  }

  emit(line: string): void {
    this.top().lines.push(line);
  }

  /** Declares `let name = expr;` in the current scope and returns the name. */
  bind(expr: string, hint = "t"): string {
    const name = `${hint}${this.counter++}`;
    this.emit(`let ${name} = ${expr};`);
    return name;
  }

  pushScope(): void {
    this.scopes.push({ lines: [], memo: new Map() });
  }

  popScope(): string[] {
    if (this.scopes.length === 1) throw new Error("codegen: scope underflow");
    return this.scopes.pop()!.lines;
  }

  /** The statements of the outermost scope. */
  rootLines(): string[] {
    return this.scopes[0]!.lines;
  }

  /** WGSL expression for `atom` at `c`. */
  value(atom: Atom, c: Coords): string {
    const width: Width = c.kind === "flat" ? c.width : 1;
    if (atom.kind === "lit") return literal(atom.value, atom.aval.dtype, width);
    const key = `${atom.id}@${c.kind === "nd" ? c.idx.join(",") : `${c.width}:${c.index}`}`;
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const hit = this.scopes[i]!.memo.get(key);
      if (hit !== undefined) return hit;
    }
    const expr = this.compute(atom, c);
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(expr) ? expr : this.bind(expr, `v${atom.id}_`);
    this.top().memo.set(key, name);
    return name;
  }

  /** The width of `v`'s values at nd coordinates. */
  private ndWidth(v: Atom): Width {
    return v.kind === "var" && this.vectors.has(v.id) ? 4 : 1;
  }

  private top(): Scope {
    return this.scopes[this.scopes.length - 1]!;
  }

  private compute(v: Var, c: Coords): string {
    const override = this.overrides.get(v.id);
    if (override) return override(c);
    const input = this.inputIndex.get(v.id);
    if (input !== undefined) return this.load(input, v, c);
    const eqn = this.producer.get(v.id);
    if (!eqn) throw new Error(`codegen: value %${v.id} is neither a kernel input nor computed in the kernel`);
    return this.apply(eqn, v, c);
  }

  /** The load of input `v` at `c`, past any override (a kernel that keeps an input in registers
   *  still reads it from memory at other coordinates). */
  loadInput(v: Var, c: Coords): string {
    const input = this.inputIndex.get(v.id);
    if (input === undefined) throw new Error(`codegen: value %${v.id} is not a kernel input`);
    return this.load(input, v, c);
  }

  private load(input: number, v: Var, c: Coords): string {
    const buf = `in${input}`;
    if (c.kind === "nd") return loadExpr(buf, linearize(c.idx, v.aval.shape), v.aval.dtype, this.ndWidth(v));
    if (sizeOf(v.aval.shape) === 1) return splat(loadExpr(buf, "0", v.aval.dtype, 1), v.aval.dtype, c.width);
    return loadExpr(buf, c.index, v.aval.dtype, c.width);
  }

  private apply(eqn: Eqn, out: Var, c: Coords): string {
    const ins = eqn.inputs;
    const shape = out.aval.shape;
    switch (eqn.prim) {
      case "iota": {
        const p = eqn.params as PrimParams["iota"];
        const as = (e: string) => (p.dtype === "float32" ? `f32(${e})` : `i32(${e})`);
        if (c.kind === "flat" && c.width === 4) {
          // flatAccess admits vec4 only where a vec4's 4 elements share every other coordinate.
          const d = shape[p.axis]!;
          if (p.axis === shape.length - 1) {
            const base = this.indexExpr(`(${c.index} % ${d / 4}) * 4`, "io");
            return `${valueType(p.dtype, 4)}(${[0, 1, 2, 3].map((k) => as(k ? `${base} + ${k}` : base)).join(", ")})`;
          }
          return splat(as(`(${c.index} / ${sizeOf(shape.slice(p.axis + 1)) / 4}) % ${d}`), p.dtype, 4);
        }
        return as(this.ndCoords(c, shape)[p.axis]!);
      }
      case "random_uniform":
      case "random_bits": {
        this.helpers.add("threefry");
        const key = ins[0]!;
        let flat = c.kind === "flat" ? c.index : linearize(c.idx, shape);
        let row: string[] = []; // a batch of keys: row b of the output draws with key b
        if (key.aval.shape.length === 2) {
          const per = sizeOf(shape) / key.aval.shape[0]!;
          const f = this.bind(flat, "flat");
          row = [this.bind(`(${f}) / ${per}`, "kb")];
          flat = `(${f}) % ${per}`;
        }
        const k0 = this.value(key, nd([...row, "0"])),
          k1 = this.value(key, nd([...row, "1"]));
        const bits = `threefry_word0(bitcast<u32>(${k0}), bitcast<u32>(${k1}), u32(${flat}), 0u)`;
        return eqn.prim === "random_bits" ? `bitcast<i32>(${bits})` : `(f32(${bits} >> 9u) / 8388608.0)`;
      }
      case "random_fold_in": {
        this.helpers.add("threefry");
        const [key, data] = [ins[0]!, ins[1]!];
        const idx = c.kind === "flat" ? unravel(this.bind(c.index, "flat"), shape) : c.idx;
        const row = idx.slice(0, -1); // [] for one key, [b] for a batch
        const k0 = this.value(key, nd([...row, "0"])),
          k1 = this.value(key, nd([...row, "1"]));
        const pair = `threefry_pair(bitcast<u32>(${k0}), bitcast<u32>(${k1}), 0u, bitcast<u32>(${this.value(data, nd(row))}))`;
        return `bitcast<i32>(${pair}[${idx[idx.length - 1]!}])`;
      }
      case "reshape": {
        if (c.kind === "flat") return this.value(ins[0]!, c);
        const grouped = reshapeCoords(c.idx, shape, ins[0]!.aval.shape, (e) => this.bind(e, "g"));
        if (grouped) return this.value(ins[0]!, nd(grouped));
        const flat = this.bind(linearize(c.idx, shape), "flat");
        return this.value(ins[0]!, nd(unravel(flat, ins[0]!.aval.shape)));
      }
      case "transpose": {
        const { perm } = eqn.params as PrimParams["transpose"];
        const idx = this.ndCoords(c, shape);
        const inIdx = new Array<string>(perm.length);
        perm.forEach((p, i) => (inIdx[p] = idx[i]!));
        return this.value(ins[0]!, nd(inIdx));
      }
      case "broadcast": {
        const x = ins[0]!;
        const { dims } = eqn.params as PrimParams["broadcast"];
        if (c.kind === "flat") {
          const m = flatBroadcast(x.aval.shape, shape, dims);
          if (!m) throw new Error(`codegen: broadcast %${out.id} cannot be indexed flat`);
          const w = c.width;
          switch (m.kind) {
            case "same":
              return this.value(x, c);
            case "zero":
              return splat(this.value(x, { kind: "flat", index: "0", width: 1 }), x.aval.dtype, w);
            case "mod": {
              const index = this.indexExpr(`${c.index} % ${m.p / w}`, "bm");
              return this.value(x, { kind: "flat", index, width: w });
            }
            case "div": {
              const index = this.indexExpr(`${c.index} / ${m.q / w}`, "bd");
              return splat(this.value(x, { kind: "flat", index, width: 1 }), x.aval.dtype, w);
            }
            default:
              return m satisfies never;
          }
        }
        const inIdx = x.aval.shape.map((d, i) => (d === 1 && shape[dims[i]!] !== 1 ? "0" : c.idx[dims[i]!]!));
        const widths = [this.ndWidth(x), this.ndWidth(out)] as const;
        if (widths[0] !== widths[1]) return splat(this.value(x, nd(inIdx)), x.aval.dtype, widths[1]);
        return this.value(x, nd(inIdx));
      }
      case "slice": {
        const { starts, strides } = eqn.params as PrimParams["slice"];
        const idx = this.ndCoords(c, shape);
        const inIdx = idx.map((e, i) => {
          const s = strides[i] ?? 1;
          const scaled = s === 1 ? e : `${e} * ${s}`;
          return starts[i] ? `(${scaled} + ${starts[i]})` : scaled;
        });
        return this.value(ins[0]!, nd(inIdx));
      }
      case "pad": {
        const { low, value } = eqn.params as PrimParams["pad"];
        const x = ins[0]!;
        const idx = this.ndCoords(c, shape);
        const conds: string[] = [];
        const inIdx = idx.map((e, i) => {
          const d = x.aval.shape[i]!;
          const shifted = this.bind(low[i] ? `${e} - ${low[i]}` : e, "p");
          conds.push(`${shifted} >= 0 && ${shifted} < ${d}`);
          return `clamp(${shifted}, 0, ${Math.max(d - 1, 0)})`;
        });
        const fill = literal(value, out.aval.dtype, this.ndWidth(out));
        if (!conds.length) return this.value(x, nd(inIdx));
        return this.choose(out, [{ when: conds.join(" && "), value: () => this.value(x, nd(inIdx)) }], () => fill);
      }
      case "concatenate": {
        const { axis } = eqn.params as PrimParams["concatenate"];
        const idx = this.ndCoords(c, shape);
        const offsets: number[] = [];
        let off = 0;
        for (const x of ins) {
          offsets.push(off);
          off += x.aval.shape[axis]!;
        }
        const at = (k: number) => {
          const x = ins[k]!;
          const d = x.aval.shape[axis]!;
          const inIdx = [...idx];
          inIdx[axis] = `clamp(${idx[axis]} - ${offsets[k]}, 0, ${Math.max(d - 1, 0)})`;
          return this.value(x, nd(inIdx));
        };
        const pieces = ins
          .map((x, k) => ({
            when: `${idx[axis]} < ${offsets[k + 1] ?? off}`,
            value: () => at(k),
            size: x.aval.shape[axis]!,
          }))
          .filter((p) => p.size > 0);
        const last = pieces.pop();
        // All empty: only a pad around it reads it, at coordinates it never selects.
        if (!last) return at(ins.length - 1);
        return this.choose(out, pieces, last.value);
      }
      case "gather":
        if (c.kind === "flat") return this.flatGather(eqn, out, c.index, c.width);
        return gatherValue(this.indexWriter(), eqn, out, this.ndCoords(c, shape));
      case "scatter":
        return scatterValue(this.indexWriter(), eqn, out, this.ndCoords(c, shape));
      case "scatter_sorted":
        return scatterSortedValue(this.indexWriter(), eqn, out, this.ndCoords(c, shape));
      case "cumulative":
        return cumulativeExpr(this.indexWriter(), eqn, this.ndCoords(c, shape));
      case "rev": {
        const { axes } = eqn.params as PrimParams["rev"];
        const idx = this.ndCoords(c, shape);
        return this.value(ins[0]!, nd(idx.map((e, i) => (axes.includes(i) ? `(${shape[i]! - 1} - ${e})` : e))));
      }
      case "reduce_sum":
      case "reduce_max":
      case "reduce_min":
      case "argmax":
      case "argmin":
      case "matmul":
      case "conv":
      case "sort":
      case "cholesky":
      case "triangular_solve":
      case "lu":
        throw new Error(`codegen: ${eqn.prim} (%${out.id}) must be computed by its kernel, not inlined`);
      default: {
        const width: Width = c.kind === "flat" ? c.width : this.ndWidth(out);
        const args = ins.map((x) => this.operand(x, c, width));
        const inDtype = (eqn.prim === "where" ? ins[1] : ins[0])?.aval.dtype ?? out.aval.dtype;
        return elementwiseExpr(eqn.prim, args, inDtype, out.aval.dtype, {
          width,
          useHelper: (h) => this.helpers.add(h),
        });
      }
    }
  }

  /** A gather at flat index `index` (in units of `width`): the output is x's leading axes, the
   *  index's, then x's trailing block of T elements, so one index value picks a run of T (a row
   *  of x for axis -2) and, T a multiple of 4 (codegen/flatAccess.ts), a vec4 stays in one run. */
  private flatGather(eqn: Eqn, out: Var, index: string, width: Width): string {
    const { axis } = eqn.params as PrimParams["gather"];
    const [x, ind] = [eqn.inputs[0]!, eqn.inputs[1]!];
    const n = x.aval.shape[axis]!;
    const k = sizeOf(ind.aval.shape);
    const per = sizeOf(x.aval.shape.slice(axis + 1)) / width;
    const e = this.bind(index, "flat");
    const i = this.value(ind, { kind: "flat", index: k === 1 ? "0" : `(${e} / ${per}) % ${k}`, width: 1 });
    const lead = sizeOf(x.aval.shape.slice(0, axis)) === 1 ? "" : `${e} / ${per * k} * ${n} + `;
    const row = `${lead}clamp(${i}, 0, ${Math.max(n - 1, 0)})`;
    const v = this.value(x, { kind: "flat", index: `((${row}) * ${per} + ${e} % ${per})`, width });
    return `select(${literal(0, out.aval.dtype, width)}, ${v}, ${i} >= 0 && ${i} < ${n})`;
  }

  /** An index expression: a name the kernel already holds for it (`knownIndices`), or a new `let`. */
  private indexExpr(expr: string, hint: string): string {
    return this.knownIndices.get(expr) ?? this.bind(expr, hint);
  }

  /** A fresh WGSL identifier (loop counters, accumulators). */
  fresh(hint: string): string {
    return `${hint}${this.counter++}`;
  }

  private indexWriter(): IndexWriter {
    return {
      value: (a, c) => this.value(a, c),
      bind: (e, h) => this.bind(e, h),
      emit: (l) => this.emit(l),
      fresh: (h) => this.fresh(h),
      pushScope: () => this.pushScope(),
      popScope: () => this.popScope(),
      useHelper: (h) => this.helpers.add(h),
    };
  }

  /** An elementwise operand: rank-0 operands are implicitly broadcast (computed once, as a
   *  scalar, and splatted in vec4 kernels). */
  private operand(x: Atom, c: Coords, width: Width): string {
    if (x.kind === "lit") return literal(x.value, x.aval.dtype, width);
    if (x.aval.shape.length > 0) return this.value(x, c);
    if (c.kind === "nd") return splat(this.value(x, nd([])), x.aval.dtype, width);
    return splat(this.value(x, { kind: "flat", index: "0", width: 1 }), x.aval.dtype, c.width);
  }

  /** The value of the first piece whose condition holds, else `otherwise`: a pad or a
   *  concatenate. Each piece that takes more than a load or two to compute sits behind a branch,
   *  so an element computes only its own piece (a split's gradient adds three padded pieces of
   *  the gates' backward; as selects, every element computed all three). Cheap pieces stay
   *  selects of clamped reads, which keep a loop's loads free of branches. */
  private choose(
    out: Var,
    pieces: readonly { readonly when: string; readonly value: () => string }[],
    otherwise: () => string,
  ): string {
    if (!pieces.length) return otherwise();
    const arms = [
      ...pieces.map((p) => ({ when: p.when, ...this.scoped(p.value) })),
      { when: "", ...this.scoped(otherwise) },
    ];
    if (!PIECE_BRANCHES || arms.every((a) => a.lines.length <= CHEAP_PIECE_LINES)) {
      for (const a of arms) {
        this.top().lines.push(...a.lines);
        for (const [k, v] of a.memo) this.top().memo.set(k, v);
      }
      return arms.reduceRight((rest, a) => (a.when ? `select(${rest}, ${a.expr}, ${a.when})` : a.expr), "");
    }
    const name = this.fresh("piece");
    this.emit(`var ${name}: ${valueType(out.aval.dtype, this.ndWidth(out))};`);
    arms.forEach((a, k) => {
      const head = k === 0 ? `if (${a.when}) {` : a.when ? `} else if (${a.when}) {` : "} else {";
      this.emit(head);
      for (const line of [...a.lines, `${name} = ${a.expr};`]) this.emit(`  ${line}`);
    });
    this.emit("}");
    return name;
  }

  /** What `compute` emits in a scope of its own, its result and what that scope memoised. */
  private scoped(compute: () => string): { lines: string[]; memo: Map<string, string>; expr: string } {
    this.pushScope();
    const expr = compute();
    const scope = this.scopes.pop()!;
    return { lines: scope.lines, memo: scope.memo, expr };
  }

  private ndCoords(c: Coords, shape: readonly number[]): readonly string[] {
    if (c.kind === "nd") return c.idx;
    if (c.width !== 1) throw new Error("codegen: index-dependent op in a vec4 kernel");
    return unravel(c.index, shape);
  }
}
