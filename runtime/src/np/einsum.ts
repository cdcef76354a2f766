// einsum: operands contracted left to right, two at a time, each pair as one batched matmul
// ([batch, free_a, k] @ [batch, k, free_b]) so the work lands in the matmul kernel, unless that
// matmul would be a dot per batch element or an outer product (then a multiply and a sum). Letters
// that appear in one operand only and not in the output are summed first; a letter repeated in
// one operand reads that operand's diagonal first ("ii" is a trace). "..." stands for the leading (or
// middle) axes that the letters do not name, broadcast across operands as NumPy's: each of them
// becomes a letter of its own (ellipsis.ts), and an operand's size-1 ones are squeezed away.

import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import { multiply } from "./elementwise.js";
import { asTracer, cast, commonDType, type ArrayLike } from "./promote.js";
import { sum } from "./reductions.js";
import { reshape, transpose } from "./shape.js";
import { product } from "./validate.js";
import { expandEllipsis, isEllipsisAxis } from "./ellipsis.js";
import { diagonal } from "./matrixSurface.js";

interface Parsed {
  inputs: string[][];
  output: string[];
  /** Per operand, the size-1 ellipsis axes that broadcast (removed before contracting). */
  squeeze: number[][];
}

interface Term {
  x: Tracer;
  letters: string[];
}

function parse(spec: string, shapes: readonly (readonly number[])[]): Parsed {
  const s = spec.replace(/\s+/g, "");
  const [lhs, rhs] = s.split("->") as [string, string | undefined];
  const terms = lhs.split(",");
  if (terms.length !== shapes.length)
    throw new JitScopeError("value", `einsum: "${spec}" names ${terms.length} operands, got ${shapes.length}`);
  const expanded = expandEllipsis(spec, terms, rhs, shapes);
  const inputs = expanded.inputs;
  for (const t of inputs) {
    if (t.some((c) => !/^([A-Za-z]|\.\.\.\d+)$/.test(c)))
      throw new JitScopeError("value", `einsum: "${spec}": subscripts must be letters`);
  }
  let output: string[];
  if (expanded.output === undefined) {
    // Implicit output: the ellipsis axes, then the letters that appear exactly once, in
    // alphabetical order.
    const count = new Map<string, number>();
    for (const t of inputs) for (const c of t) if (!isEllipsisAxis(c)) count.set(c, (count.get(c) ?? 0) + 1);
    output = [
      ...expanded.ellipsis,
      ...[...count.entries()]
        .filter(([, k]) => k === 1)
        .map(([c]) => c)
        .sort(),
    ];
  } else {
    output = expanded.output;
    if (output.some((c) => !/^([A-Za-z]|\.\.\.\d+)$/.test(c)))
      throw new JitScopeError("value", `einsum: "${spec}": subscripts must be letters`);
    const all = new Set(inputs.flat());
    for (const c of output)
      if (!all.has(c)) throw new JitScopeError("value", `einsum: "${spec}": output letter ${c} is not in any operand`);
    if (new Set(output).size !== output.length)
      throw new JitScopeError("value", `einsum: "${spec}": repeated output letter`);
  }
  return { inputs, output, squeeze: expanded.squeeze };
}

export function einsum(subscripts: string, ...operands: ArrayLike[]): Tracer {
  const given = operands.map((o) => asTracer("einsum", o));
  const { inputs, output, squeeze } = parse(
    subscripts,
    given.map((x) => x.shape),
  );
  const arrays = given.map((x, i) =>
    squeeze[i]!.length
      ? reshape(
          x,
          x.shape.filter((_, k) => !squeeze[i]!.includes(k)),
        )
      : x,
  );
  const dtype = commonDType(arrays) === "float32" ? "float32" : "int32";
  const size = new Map<string, number>();
  const terms: Term[] = arrays.map((x0, i) => {
    const x = cast(x0, dtype);
    const letters = inputs[i]!;
    if (letters.length !== x.ndim) {
      throw new JitScopeError(
        "shape",
        `einsum: operand ${i} has shape [${x.shape}] but "${letters.join("")}" names ${letters.length} axes`,
      );
    }
    letters.forEach((c, k) => {
      const d = x.shape[k]!;
      const prev = size.get(c);
      if (prev !== undefined && prev !== d)
        throw new JitScopeError(
          "shape",
          `einsum: letter ${c} has size ${prev} in one operand and ${d} in operand ${i}`,
        );
      size.set(c, d);
    });
    return takeDiagonals({ x, letters });
  });
  const neededLater = (from: number, c: string) =>
    output.includes(c) || terms.slice(from).some((t) => t.letters.includes(c));
  let acc = sumPrivate(terms[0]!, (c) => neededLater(1, c));
  for (let i = 1; i < terms.length; i++) {
    const b = sumPrivate(terms[i]!, (c) => neededLater(i + 1, c) || acc.letters.includes(c));
    acc = contract(acc, b, (c) => neededLater(i + 1, c), size);
  }
  acc = sumPrivate(acc, (c) => output.includes(c));
  const perm = output.map((c) => acc.letters.indexOf(c));
  return transpose(acc.x, perm);
}

/** A letter repeated within one operand ("ii", "bii->bi", "iij") reads its diagonal: the two
 *  axes become one, last (as jnp.diagonal puts it), until every letter is named once. */
function takeDiagonals(t: Term): Term {
  let { x, letters } = t;
  for (;;) {
    const p = letters.findIndex((c, i) => letters.indexOf(c) !== i);
    if (p < 0) return { x, letters };
    const c = letters[p]!;
    const first = letters.indexOf(c);
    x = diagonal(x, 0, first, p);
    letters = [...letters.filter((_, i) => i !== first && i !== p), c];
  }
}

/** Sums the axes whose letters nobody needs. */
function sumPrivate(t: Term, needed: (c: string) => boolean): Term {
  const drop = t.letters.map((c, i) => (needed(c) ? -1 : i)).filter((i) => i >= 0);
  if (drop.length === 0) return t;
  return { x: sum(t.x, drop), letters: t.letters.filter((c) => needed(c)) };
}

/** a ⊗ b contracted over the shared letters not needed later; shared letters still needed are batch. */
function contract(a: Term, b: Term, needed: (c: string) => boolean, size: Map<string, number>): Term {
  const shared = a.letters.filter((c) => b.letters.includes(c));
  const batch = shared.filter(needed);
  const k = shared.filter((c) => !needed(c));
  const fa = a.letters.filter((c) => !shared.includes(c));
  const fb = b.letters.filter((c) => !shared.includes(c));
  const dims = (ls: string[]) => ls.map((c) => size.get(c)!);
  const n = (ls: string[]) => product(dims(ls));
  const letters = [...batch, ...fa, ...fb];
  // A matmul whose rows or columns would be 1 on both sides ("...d,...d->...": a dot per batch
  // element) or whose contraction is 1 long (an outer product) is elementwise work: multiply and
  // sum, which fuse with their neighbours, instead of reshapes into a [B, 1, K] @ [B, K, 1] matmul.
  if ((n(fa) === 1 && n(fb) === 1) || n(k) === 1) {
    const ones = (ls: string[]) => ls.map(() => 1);
    const ae = reshape(
      transpose(
        a.x,
        [...batch, ...fa, ...k].map((c) => a.letters.indexOf(c)),
      ),
      [...dims(batch), ...dims(fa), ...ones(fb), ...dims(k)],
    );
    const be = reshape(
      transpose(
        b.x,
        [...batch, ...fb, ...k].map((c) => b.letters.indexOf(c)),
      ),
      [...dims(batch), ...ones(fa), ...dims(fb), ...dims(k)],
    );
    const prod = multiply(ae, be);
    const kAxes = k.map((_, i) => letters.length + i);
    return { x: kAxes.length ? sum(prod, kAxes) : prod, letters };
  }
  const ax = transpose(
    a.x,
    [...batch, ...fa, ...k].map((c) => a.letters.indexOf(c)),
  );
  const bx = transpose(
    b.x,
    [...batch, ...k, ...fb].map((c) => b.letters.indexOf(c)),
  );
  const a3 = reshape(ax, [n(batch), n(fa), n(k)]);
  const b3 = reshape(bx, [n(batch), n(k), n(fb)]);
  const out = bind1("matmul", {}, [a3, b3]);
  return { x: reshape(out, [...dims(batch), ...dims(fa), ...dims(fb)]), letters };
}
