// NumPy's constants, as jnp has them: plain JS numbers, so they mix with arrays as weakly typed
// scalars (np.multiply(x, np.pi) keeps x's float32). There is no np.newaxis: in `x.at(...)` a
// null entry already means a whole axis (":"), so NumPy's None-as-new-axis cannot be spelled
// the same way; np.expand_dims inserts an axis.

export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;
/** The Euler–Mascheroni constant γ (numpy.euler_gamma). */
export const euler_gamma = 0.5772156649015329;
