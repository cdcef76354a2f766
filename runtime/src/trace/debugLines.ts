// What debug.print writes and debug.callback calls, from the values read back: one line (or
// call) per print, per element of the
// vmaps its arrays are batched over, and per iteration of the loops it sits in (a loop's prints
// come back stacked along a leading iteration axis; iteration by iteration, each print in
// program order, as JAX's loops print them). Host-side work only: debugPrint.ts traces the prints.

import { strArray } from "../display.js";
import type { DType } from "../ir/types.js";
import { formatNumber, type Piece } from "./debugFormat.js";
import { nest } from "../array.js";
import { unflatten, type TreeDef } from "./pytree.js";
import { keyName } from "./pytreeNodes.js";

/** What a printed array's axes are: null for the value's own, a vmap's level for its batch axis. */
export type Roles = readonly (number | null)[];

export interface PrintedLeaf {
  readonly roles: Roles;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** An argument: a pytree whose array leaves index `leaves`, or a value that is no pytree (a
 *  string, a boolean), printed as JS writes it and passed to a callback as it is. */
export type Arg =
  | {
      readonly tree: TreeDef;
      readonly leaves: readonly (number | null)[];
      readonly numbers: readonly (number | null)[];
    }
  | { readonly constant: unknown };

/** One debug.print: its format and arguments, and the arrays it reads, in order. */
export interface PrintPlan {
  readonly kind: "print";
  /** debug.callback's function, called with the arguments' values instead of printing. */
  readonly callback?: (...args: unknown[]) => unknown;
  readonly pieces: readonly Piece[];
  /** The last `guards` leaves are the predicates of the branches around the print. */
  readonly guards: number;
  readonly positional: readonly Arg[];
  readonly named: Readonly<Record<string, Arg>>;
  readonly leaves: readonly PrintedLeaf[];
}

/** A loop body's prints, which the loop stacks over its iterations as extra outputs. */
export interface LoopPlan {
  readonly kind: "loop";
  readonly length: number;
  /** Iteration i wrote row length - 1 - i (a reverse scan). */
  readonly reverse: boolean;
  /** The body's prints; their leaves describe the values inside the body. */
  readonly items: readonly PrintItem[];
  /** The stacked values where the loop ran (own axes: the iteration, then the body value's),
   *  then `guards` predicates of the branches around the loop. */
  readonly leaves: readonly PrintedLeaf[];
  readonly guards: number;
}

export type PrintItem = PrintPlan | LoopPlan;

/** A line to print, or a debug.callback call to make, in order. */
export type Effect = string | (() => void);

/** The lines of `items`, whose leaves' values are `data` in order. */
export function linesOfItems(items: readonly PrintItem[], data: readonly ArrayLike<number>[]): Effect[] {
  const lines: Effect[] = [];
  let k = 0;
  for (const item of items) {
    const mine = data.slice(k, k + item.leaves.length);
    k += item.leaves.length;
    lines.push(...(item.kind === "print" ? linesOf(item, mine) : linesOfLoop(item, mine)));
  }
  return lines;
}

/** A loop's lines: each iteration's prints at that iteration's row, the loop's branch guards
 *  added to each. */
function linesOfLoop(loop: LoopPlan, data: readonly ArrayLike<number>[]): Effect[] {
  const stacked = loop.leaves.length - loop.guards;
  const guardLeaves = loop.leaves.slice(stacked);
  const guardData = data.slice(stacked);
  const lines: Effect[] = [];
  for (let i = 0; i < loop.length; i++) {
    const row = loop.reverse ? loop.length - 1 - i : i;
    const values: ArrayLike<number>[] = [];
    let g = 0;
    const items = loop.items.map((item): PrintItem => {
      const leaves = item.leaves.map((inner) => {
        const { leaf, data: d } = atRow(loop.leaves[g]!, inner, data[g]!, row);
        g++;
        values.push(d);
        return leaf;
      });
      values.push(...guardData);
      return { ...item, leaves: [...leaves, ...guardLeaves], guards: item.guards + loop.guards };
    });
    lines.push(...linesOfItems(items, values));
  }
  return lines;
}

/** A stacked leaf at one row of its iteration axis (its first own axis): the batch axes of the
 *  level the loop ran at kept, the body's own roles (vmaps inside the body) given back. */
function atRow(
  outer: PrintedLeaf,
  inner: PrintedLeaf,
  data: ArrayLike<number>,
  row: number,
): { leaf: PrintedLeaf; data: number[] } {
  const it = outer.roles.indexOf(null);
  const pre = outer.shape.slice(0, it).reduce((a, b) => a * b, 1);
  const len = outer.shape[it]!;
  const post = outer.shape.slice(it + 1).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let p = 0; p < pre; p++) for (let q = 0; q < post; q++) out.push(data[(p * len + row) * post + q]!);
  let j = 0;
  const roles = [...outer.roles.slice(0, it), ...outer.roles.slice(it + 1)].map((r) =>
    r === null ? inner.roles[j++]! : r,
  );
  return {
    leaf: { roles, shape: [...outer.shape.slice(0, it), ...outer.shape.slice(it + 1)], dtype: outer.dtype },
    data: out,
  };
}

/** The lines of one print: one, or one per element of the vmaps its arrays are batched over. */
function linesOf(plan: PrintPlan, data: readonly ArrayLike<number>[]): Effect[] {
  const levels = new Map<number, number>(); // vmap level → batch size
  plan.leaves.forEach((l) => l.roles.forEach((r, i) => r !== null && levels.set(r, l.shape[i]!)));
  const order = [...levels.keys()].sort((a, b) => a - b); // the outermost vmap first
  const count = order.reduce((n, lv) => n * levels.get(lv)!, 1);
  const lines: Effect[] = [];
  for (let c = 0; c < count; c++) {
    const at = new Map<number, number>();
    let rest = c;
    for (let j = order.length - 1; j >= 0; j--) {
      const size = levels.get(order[j]!)!;
      at.set(order[j]!, rest % size);
      rest = Math.floor(rest / size);
    }
    const taken = plan.leaves
      .slice(plan.leaves.length - plan.guards)
      .every((g, j) => element(g, data[plan.leaves.length - plan.guards + j]!, at).data[0] !== 0);
    if (!taken) continue;
    const leafAt = (i: number) => element(plan.leaves[i]!, data[i]!, at);
    const callback = plan.callback;
    if (callback) {
      const args = plan.positional.map((arg) => ("constant" in arg ? arg.constant : valueTree(arg, leafAt)));
      lines.push(() => void callback(...args));
      continue;
    }
    const text = (arg: Arg, spec: string) => ("constant" in arg ? String(arg.constant) : formatTree(arg, leafAt, spec));
    lines.push(
      plan.pieces
        .map((p) =>
          p.kind === "text"
            ? p.text
            : text(typeof p.arg === "number" ? plan.positional[p.arg]! : plan.named[p.arg]!, p.spec),
        )
        .join(""),
    );
  }
  return lines;
}

/** One leaf's values at the batch indices `at`: the element's own shape and data. */
function element(
  leaf: PrintedLeaf,
  data: ArrayLike<number>,
  at: ReadonlyMap<number, number>,
): { data: number[]; shape: number[]; dtype: DType } {
  const strides = leaf.shape.map((_, i) => leaf.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const own = leaf.shape.flatMap((d, i) => (leaf.roles[i] === null ? [i] : []));
  let base = 0;
  leaf.roles.forEach((r, i) => r !== null && (base += at.get(r)! * strides[i]!));
  const shape = own.map((i) => leaf.shape[i]!);
  const out: number[] = [];
  const walk = (j: number, offset: number) => {
    if (j === own.length) return void out.push(data[offset]!);
    for (let k = 0; k < shape[j]!; k++) walk(j + 1, offset + k * strides[own[j]!]!);
  };
  walk(0, base);
  return { data: out, shape, dtype: leaf.dtype };
}

/** A pytree argument as values: its arrays as nested JS arrays (a number for a 0-d array),
 *  rebuilt in its own structure (registered classes included). */
function valueTree(
  arg: Exclude<Arg, { constant: unknown }>,
  leafValue: (i: number) => { data: number[]; shape: number[]; dtype: DType },
): unknown {
  const values = arg.leaves.map((i, k) => {
    if (i === null) return arg.numbers[k]!;
    const v = leafValue(i);
    return nest(v.data, v.shape, v.dtype);
  });
  return unflatten(arg.tree, values);
}

/** A pytree argument as text: arrays as NumPy prints them, lists and objects as JS writes them. */
function formatTree(
  arg: Exclude<Arg, { constant: unknown }>,
  leafValue: (i: number) => { data: number[]; shape: number[]; dtype: DType },
  spec: string,
): string {
  let k = 0;
  const walk = (t: TreeDef): string => {
    switch (t.kind) {
      case "leaf": {
        const v = leafValue(arg.leaves[k++]!);
        const integer = v.dtype !== "float32";
        if (v.dtype === "bool" && spec === "") return strArray(v.data, v.shape, v.dtype);
        return strArray(
          v.data,
          v.shape,
          v.dtype,
          spec === "" && v.shape.length > 0 ? undefined : (x) => formatNumber(x, spec, integer),
        );
      }
      case "number": {
        const n = arg.numbers[k++]!;
        return formatNumber(n, spec, Number.isInteger(n));
      }
      case "none":
        return String(t.value);
      case "list":
        return `[${t.children.map(walk).join(", ")}]`;
      case "dict":
        return `{ ${t.keys.map((key, i) => `${key}: ${walk(t.children[i]!)}`).join(", ")} }`;
      case "custom":
        return `${t.node.name}(${t.keys.map((key, i) => `${keyName(key)}=${walk(t.children[i]!)}`).join(", ")})`;
    }
  };
  return walk(arg.tree);
}
