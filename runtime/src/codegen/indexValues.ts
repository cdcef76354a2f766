// Gather and scatter as values the ValueWriter computes per output element, so they fuse like
// any data movement: a gather reads its operand at the coordinates its index names (one load per
// element, like a copy of the gathered rows); a scatter is computed per *output* element, which
// scans the indices for the ones landing on it and combines their updates in index order. That
// makes duplicate indices deterministic and exact on every backend (no float atomics; `set`
// keeps the last update, as the CPU reference does) at a cost of one index read per index per
// output element. Where that is many reads, the compiler sorts the indices first and the
// scatter becomes scatter_sorted (passes/sortScatterIndices.ts), which binary-searches them.

import type { Atom, Eqn, PrimParams, Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import { unravel } from "./indexing.js";
import { elementwiseExpr } from "./opExpr.js";
import type { HelperName } from "./wgslHelpers.js";
import { scalarLiteral } from "./wgslTypes.js";

/** What these need from the ValueWriter (codegen/valueWriter.ts). */
export interface IndexWriter {
  value(atom: Atom, c: { kind: "nd"; idx: readonly string[] }): string;
  bind(expr: string, hint?: string): string;
  emit(line: string): void;
  fresh(hint: string): string;
  pushScope(): void;
  popScope(): string[];
  useHelper(h: HelperName): void;
}

const nd = (idx: readonly string[]) => ({ kind: "nd" as const, idx });

export function gatherValue(w: IndexWriter, eqn: Eqn, out: Var, idx: readonly string[]): string {
  const { axis } = eqn.params as PrimParams["gather"];
  const [x, ind] = [eqn.inputs[0]!, eqn.inputs[1]!];
  const ir = ind.aval.shape.length;
  const n = x.aval.shape[axis]!;
  const i = w.value(ind, nd(idx.slice(axis, axis + ir)));
  const at = [...idx.slice(0, axis), `clamp(${i}, 0, ${Math.max(n - 1, 0)})`, ...idx.slice(axis + ir)];
  const v = w.value(x, nd(at));
  return `select(${scalarLiteral(0, out.aval.dtype)}, ${v}, ${i} >= 0 && ${i} < ${n})`;
}

export function scatterValue(w: IndexWriter, eqn: Eqn, out: Var, idx: readonly string[]): string {
  const { axis, mode } = eqn.params as PrimParams["scatter"];
  const [x, ind, upd] = [eqn.inputs[0]!, eqn.inputs[1]!, eqn.inputs[2]!];
  const dtype = out.aval.dtype;
  const acc = w.fresh("acc");
  w.emit(`var ${acc} = ${w.value(x, nd(idx))};`);
  const m = sizeOf(ind.aval.shape);
  if (m === 0) return acc;
  const j = w.fresh("j");
  w.pushScope();
  const jc = unravel(j, ind.aval.shape);
  const i = w.value(ind, nd(jc));
  w.pushScope();
  const u = w.value(upd, nd([...idx.slice(0, axis), ...jc, ...idx.slice(axis + 1)]));
  const combined =
    mode === "set" ? u : elementwiseExpr(mode, [acc, u], dtype, dtype, { width: 1, useHelper: (h) => w.useHelper(h) });
  w.emit(`${acc} = ${combined};`);
  const hit = w.popScope();
  w.emit(`if (${i} == ${idx[axis]!}) {`);
  for (const l of hit) w.emit(`  ${l}`);
  w.emit("}");
  const body = w.popScope();
  w.emit(`for (var ${j} = 0; ${j} < ${m}; ${j} = ${j} + 1) {`);
  for (const l of body) w.emit(`  ${l}`);
  w.emit("}");
  return acc;
}

/** scatter's value from the indices' stable sorted order (passes/sortScatterIndices.ts): a binary
 *  search over the keys idx[order[k]] finds the first update landing on this element, then the
 *  run of equal keys is combined in order, which a stable sort keeps in index order, so the
 *  result is scatter's, bit for bit, at log₂(m) + hits index reads instead of m. */
export function scatterSortedValue(w: IndexWriter, eqn: Eqn, out: Var, idx: readonly string[]): string {
  const { axis, mode } = eqn.params as PrimParams["scatter_sorted"];
  const [x, ind, order, upd] = [eqn.inputs[0]!, eqn.inputs[1]!, eqn.inputs[2]!, eqn.inputs[3]!];
  const dtype = out.aval.dtype;
  const acc = w.fresh("acc");
  w.emit(`var ${acc} = ${w.value(x, nd(idx))};`);
  const m = sizeOf(ind.aval.shape);
  if (m === 0) return acc;
  const row = w.bind(`i32(${idx[axis]!})`, "row");
  /** The key at sorted position `k` and its flat index position, as lines of the current scope. */
  const keyAt = (k: string): [string, string[]] => {
    const j = w.bind(w.value(order, nd([k])), "j");
    return [j, unravel(j, ind.aval.shape)];
  };
  const [lo, hi, mid] = [w.fresh("lo"), w.fresh("hi"), w.fresh("mid")];
  w.emit(`var ${lo} = 0;`);
  w.emit(`var ${hi} = ${m};`);
  w.pushScope();
  const [, jcMid] = keyAt(mid);
  const keyMid = w.value(ind, nd(jcMid));
  w.emit(`if (${keyMid} < ${row}) { ${lo} = ${mid} + 1; } else { ${hi} = ${mid}; }`);
  const search = w.popScope();
  w.emit(`while (${lo} < ${hi}) {`);
  w.emit(`  let ${mid} = (${lo} + ${hi}) / 2;`);
  for (const l of search) w.emit(`  ${l}`);
  w.emit("}");
  const k = w.fresh("k");
  w.pushScope();
  const [, jc] = keyAt(k);
  w.emit(`if (${w.value(ind, nd(jc))} != ${row}) { break; }`);
  const u = w.value(upd, nd([...idx.slice(0, axis), ...jc, ...idx.slice(axis + 1)]));
  const combined =
    mode === "set" ? u : elementwiseExpr(mode, [acc, u], dtype, dtype, { width: 1, useHelper: (h) => w.useHelper(h) });
  w.emit(`${acc} = ${combined};`);
  const body = w.popScope();
  w.emit(`for (var ${k} = ${lo}; ${k} < ${m}; ${k} = ${k} + 1) {`);
  for (const l of body) w.emit(`  ${l}`);
  w.emit("}");
  return acc;
}
