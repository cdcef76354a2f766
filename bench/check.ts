// Whether a result matches the reference: the largest absolute difference against `tol` times the
// reference's largest magnitude (at least 1e-6 absolute). Returns null when it does, else a reason.

export function checkClose(got: Float32Array, want: Float32Array, tol: number): string | null {
  if (got.length < want.length) return `${got.length} values, expected ${want.length}`;
  let err = 0,
    scale = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= err)) err = Number.isNaN(d) ? Infinity : d;
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  const bound = Math.max(tol * scale, 1e-6);
  return err <= bound ? null : `max |diff| ${err.toExponential(2)} > ${bound.toExponential(2)}`;
}
