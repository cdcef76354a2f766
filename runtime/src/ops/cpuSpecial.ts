// The CPU reference of erf and erfc, in float64 (then rounded to float32 by the caller): a series
// with positive terms only, erf(x) = 2/√π·e^(-x²)·Σ (2x²)ⁿ·x / (1·3·…·(2n+1)), below 3, and
// the continued fraction erfc(x) = e^(-x²)/√π / (x + ½/(x + 1/(x + 3/2/(x + …)))) from 3 up
// (both within a few 1e-16 of scipy's). erfc takes the fraction directly, so its tail keeps its
// relative precision where 1 - erf(x) would be 0.

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SERIES_LIMIT = 3;

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ 3 (80 levels of the fraction: converged to double precision there). */
function erfcFraction(x: number): number {
  let t = x;
  for (let k = 80; k > 0; k--) t = x + k / 2 / t;
  return (TWO_OVER_SQRT_PI / 2) * (Math.exp(-x * x) / t);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < SERIES_LIMIT) return erfSeries(x);
  return Math.sign(x) * (1 - erfcFraction(Math.abs(x)));
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < SERIES_LIMIT && x > -SERIES_LIMIT) return 1 - erfSeries(x);
  return x > 0 ? erfcFraction(x) : 2 - erfcFraction(-x);
}
