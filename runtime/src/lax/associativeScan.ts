// `lax.associative_scan`: an inclusive prefix scan by any associative `fn`, in O(log n) levels
// of whole-array ops (JAX's odd/even recursion, after Blelloch): combine neighbouring pairs,
// scan the half-length result recursively, then fill in the even positions and interleave.
// Built from slices, concatenates and `fn` itself, so jit, grad, jvp and vmap go through it
// with no rule of its own. `reverse` scans the flipped sequence and flips back, as JAX does.

import { checkOptions } from "../apiOptions.js";
import { Tracer } from "../trace/core.js";
import { flatten, treedefDiff, treedefToString, unflatten, type TreeDef } from "../trace/pytree.js";
import { JitScopeError } from "../ir/errors.js";
import { captureUserLocation } from "../ir/location.js";
import { sameAval } from "../ir/types.js";
import { flip } from "../np/shapeSurface.js";
import * as L from "../trace/rules/lax.js";

export interface AssociativeScanOptions {
  /** Scan from the end: result i combines elements n-1, …, i (in that order). */
  reverse?: boolean;
  /** The axis scanned along (negative counts from the end). */
  axis?: number;
}

const fail = (msg: string): JitScopeError => new JitScopeError("value", msg, captureUserLocation());

/** Elements start, start+stride, … (below stop) of `x` along `axis`. */
function along(x: Tracer, axis: number, start: number, stop: number, stride = 1): Tracer {
  const starts = x.shape.map((_, i) => (i === axis ? start : 0));
  const limits = x.shape.map((d, i) => (i === axis ? Math.max(start, stop) : d));
  const strides = x.shape.map((_, i) => (i === axis ? stride : 1));
  return L.slice(x, starts, limits, strides) as Tracer;
}

/** [a0, b0, a1, b1, …] along `axis`, where `a` has as many elements as `b` or one more. */
function interleave(a: Tracer, b: Tracer, axis: number): Tracer {
  const m = b.shape[axis]!;
  if (m === 0) return a;
  const pairs = (x: Tracer, y: Tracer): Tracer => {
    const s = x.shape;
    const up = (v: Tracer) => L.reshape(v, [...s.slice(0, axis + 1), 1, ...s.slice(axis + 1)]);
    const both = L.concatenate([up(x), up(y)], axis + 1);
    return L.reshape(both, [...s.slice(0, axis), 2 * s[axis]!, ...s.slice(axis + 1)]) as Tracer;
  };
  if (a.shape[axis] === m) return pairs(a, b);
  return L.concatenate([pairs(along(a, axis, 0, m), b), along(a, axis, m, m + 1)], axis) as Tracer;
}

/**
 * `lax.associative_scan(fn, elems, { reverse, axis })`: result i is
 * fn(…fn(fn(e0, e1), e2)…, ei) for an associative `fn` applied to whole slices (it must work
 * elementwise on stacked values, as in JAX). `elems` is a pytree of arrays of one length on `axis`.
 */
export function associative_scan<E>(fn: (a: E, b: E) => E, elems: E, opts: AssociativeScanOptions = {}): E {
  checkOptions("lax.associative_scan", opts, ["reverse", "axis"]);
  const { leaves, treedef } = flatten(elems, "lax.associative_scan elems");
  if (leaves.length === 0) throw fail("lax.associative_scan: elems has no arrays");
  const xs = leaves.map((l, i) => {
    if (!(l instanceof Tracer)) throw fail(`lax.associative_scan: elems leaf ${i} is not an array`);
    return l;
  });
  const nd = xs[0]!.ndim;
  const axis = (opts.axis ?? 0) < 0 ? (opts.axis ?? 0) + nd : (opts.axis ?? 0);
  if (!Number.isInteger(axis) || xs.some((x) => axis < 0 || axis >= x.ndim))
    throw fail(`lax.associative_scan: axis ${opts.axis ?? 0} is outside the elems' dimensions`);
  const n = xs[0]!.shape[axis]!;
  if (xs.some((x) => x.shape[axis] !== n))
    throw fail(`lax.associative_scan: elems have different lengths on axis ${axis}: ${xs.map((x) => x.shape[axis])}`);

  const combine = (a: readonly Tracer[], b: readonly Tracer[]): Tracer[] => {
    const out = flatten(fn(unflatten<E>(treedef, [...a]), unflatten<E>(treedef, [...b])), "fn's result");
    checkTree(treedef, out.treedef);
    return out.leaves.map((o, i) => {
      if (!(o instanceof Tracer) || !sameAval(o.aval, a[i]!.aval))
        throw fail(
          `lax.associative_scan: fn must return arrays of its inputs' shapes and dtypes; leaf ${i} is ` +
            `${o instanceof Tracer ? `${o.dtype}[${o.shape}]` : typeof o}, expected ${a[i]!.dtype}[${a[i]!.shape}]`,
        );
      return o;
    });
  };
  const scanLevel = (es: readonly Tracer[]): Tracer[] => {
    const k = es[0]!.shape[axis]!;
    if (k < 2) return [...es];
    const odd = scanLevel(
      combine(
        es.map((e) => along(e, axis, 0, k - 1, 2)),
        es.map((e) => along(e, axis, 1, k, 2)),
      ),
    );
    // Even positions 2, 4, …: the odd prefix before each, combined with that element.
    const nEven = Math.ceil(k / 2) - 1;
    const evenRest =
      nEven === 0
        ? null
        : combine(
            odd.map((o) => along(o, axis, 0, nEven)),
            es.map((e) => along(e, axis, 2, k, 2)),
          );
    const even = es.map((e, i) =>
      evenRest ? (L.concatenate([along(e, axis, 0, 1), evenRest[i]!], axis) as Tracer) : along(e, axis, 0, 1),
    );
    return even.map((e, i) => interleave(e, odd[i]!, axis));
  };
  const rev = (x: Tracer) => (opts.reverse ? flip(x, axis) : x);
  return unflatten<E>(treedef, scanLevel(xs.map(rev)).map(rev));
}

function checkTree(expected: TreeDef, actual: TreeDef): void {
  const diff = treedefDiff(expected, actual, "fn's result");
  if (diff)
    throw fail(`lax.associative_scan: ${diff} (expected ${treedefToString(expected)}, got ${treedefToString(actual)})`);
}
