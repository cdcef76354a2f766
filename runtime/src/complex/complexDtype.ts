// The complex dtype's name, as jnp spells it: `np.zeros(s, { dtype: np.complex64 })`,
// `x.astype(np.complex64)`. Complex arrays are pairs of float32 arrays (trace/complexValue.ts).
export const complex64 = "complex64" as const;
