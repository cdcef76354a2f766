// Helper functions some kernels need, emitted once per module on demand. Each matches the CPU
// reference (ops/cpu*.ts) and ops/threefry.ts exactly where exactness is possible.

export type HelperName =
  "pow_f32" | "pow_i32" | "f32_to_i32" | "threefry" | "log1p_f32" | "expm1_f32" | "atan2_f32" | "erf_f32" | "erfc_f32";

const HELPERS: Record<HelperName, string> = {
  // Near 0 a Taylor series: lavapipe's compiler reassociates Goldberg's log(u)·x/(u - 1)
  // into log(u), so no rounding correction survives. Relative error < 1e-6 on both sides of 0.01.
  log1p_f32: `fn log1p_f32(x: f32) -> f32 {
  if (abs(x) < 0.01) {
    return x * (1.0 - x * (0.5 - x * (0.33333334 - x * (0.25 - x * (0.2 - x * (0.16666667 - x * 0.14285715))))));
  }
  return log(1.0 + x);
}`,
  expm1_f32: `fn expm1_f32(x: f32) -> f32 {
  if (abs(x) < 0.01) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * 0.0013888889)))));
  }
  return exp(x) - 1.0;
}`,
  // Our own atan2 (Cephes' atanf polynomial on min/max of |x|, |y| in [0, 1], then the octant and
  // quadrant): lavapipe's atan/asin/acos builtins are off by up to ~3500 ulp, this is within 1 ulp.
  // Signs are read from the bits, so atan2(±0, -0) = ±π as IEEE; NaN in, NaN out.
  atan2_f32: `fn atan2_f32(y: f32, x: f32) -> f32 {
  let ax = abs(x);
  let ay = abs(y);
  let hi = max(ax, ay);
  let lo = min(ax, ay);
  var t = lo / hi;
  if (hi == 0.0) { t = 0.0; }
  if ((bitcast<u32>(ax) == 0x7f800000u) && (bitcast<u32>(ay) == 0x7f800000u)) { t = 1.0; }
  var base = 0.0;
  var z = t;
  if (t > 0.41421357) { base = 0.78539819; z = (t - 1.0) / (t + 1.0); }
  let zz = z * z;
  var a = base + ((((0.080537446 * zz - 0.13877685) * zz + 0.19977711) * zz - 0.33332950) * zz * z + z);
  if (ay > ax) { a = 1.5707964 - a; }
  if ((bitcast<u32>(x) >> 31u) != 0u) { a = 3.1415927 - a; }
  if (((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) || ((bitcast<u32>(y) & 0x7fffffffu) > 0x7f800000u)) { return x + y; }
  return bitcast<f32>(bitcast<u32>(a) | (bitcast<u32>(y) & 0x80000000u));
}`,
  // XLA's float32 erf: x·P(x²)/Q(x²) on x clamped to [-4, 4] (within 3 ulp of float64; past 4 it
  // is 1 in float32). NaN is tested first: WGSL's clamp of NaN is undefined.
  erf_f32: `fn erf_f32(x0: f32) -> f32 {
  if ((bitcast<u32>(x0) & 0x7fffffffu) > 0x7f800000u) { return x0; }
  let x = clamp(x0, -4.0, 4.0);
  let z = x * x;
  let p = ((((((-2.72614225801306e-10 * z + 2.77068142495902e-08) * z - 2.10102402082508e-06) * z - 5.69250639462346e-05) * z - 7.34990630326855e-04) * z - 2.95459980854025e-03) * z - 1.60960333262415e-02);
  let q = ((((-1.45660718464996e-05 * z - 2.13374055278905e-04) * z - 1.68282697438203e-03) * z - 7.37332916720468e-03) * z - 1.42647390514189e-02);
  return x * p / q;
}`,
  // erfc: 1 - erf below 1; above, Cephes' erfcf, exp(-x²)/x·P(1/x²) (R past 2), with exp(-x²)
  // split as exp(-h²)·exp(-(2h + l)·l), h = x to 12 bits so h² is exact, and exp(-h²) as
  // 2^-n·exp(-r) (Cody-Waite, |r| ≤ ln2/2): lavapipe's exp of a large argument is ~|arg|·6e-8
  // off (5e-6 at erfc(9)), of a small one within an ulp or two. erfc underflows past 10.05.
  erfc_f32: `fn erfc_f32(x: f32) -> f32 {
  let a = abs(x);
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) { return x; }
  if (a < 1.0) { return 1.0 - erf_f32(x); }
  if (a > 10.1) { return select(0.0, 2.0, x < 0.0); }
  let q = 1.0 / a;
  let y = q * q;
  var p: f32;
  if (a < 2.0) {
    p = ((((((((2.326819970068386e-2 * y - 1.387039388740657e-1) * y + 3.687424674597105e-1) * y - 5.824733027278666e-1) * y + 6.210004621745983e-1) * y - 4.944515323274145e-1) * y + 3.404879937665872e-1) * y - 2.741127028184656e-1) * y + 5.638259427386472e-1);
  } else {
    p = (((((((-1.047766399936249e+1 * y + 1.297719955372516e+1) * y - 7.495518717768503e+0) * y + 2.921019019210786e+0) * y - 1.015265279202700e+0) * y + 4.218463358204948e-1) * y - 2.820767439740514e-1) * y + 5.641895067754075e-1);
  }
  let h = floor(a * 4096.0 + 0.5) / 4096.0;
  let l = a - h;
  let hh = h * h;
  let n = floor(hh * 1.442695 + 0.5);
  let red = (hh - n * 0.693145751953125) - n * 1.428606765330187e-6;
  let r = ldexp(exp(-red), -i32(n)) * exp(-(2.0 * h + l) * l) * q * p;
  return select(r, 2.0 - r, x < 0.0);
}`,
  // Math.pow semantics: a negative base with an integral exponent is allowed.
  pow_f32: `fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (a < 0.0 && b == floor(b)) {
    let m = pow(-a, b);
    return select(m, -m, fract(b * 0.5) != 0.0);
  }
  return pow(a, b);
}`,
  // Integer power by squaring with wrap-around; negative exponents give 0 unless |a| = 1.
  pow_i32: `fn pow_i32(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(-1, 1, (b & 1) == 0); }
    return 0;
  }
  var result = 1;
  var base = a;
  var e = u32(b);
  while (e > 0u) {
    if ((e & 1u) != 0u) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}`,
  // NaN-propagating max/min (NumPy maximum/minimum).
  // Truncates toward zero, saturates, NaN → 0.
  f32_to_i32: `fn f32_to_i32(x: f32) -> i32 {
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u) { return 0; }
  if (x >= 2147483648.0) { return 2147483647; }
  if (x <= -2147483648.0) { return -2147483647 - 1; }
  return i32(x);
}`,
  // Threefry-2x32, 20 rounds (ops/threefry.ts): both words for fold_in, word 0 for the bits.
  threefry: `fn rotl32(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }
fn threefry_pair(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2<u32> {
  let ks = array<u32, 3>(k0, k1, k0 ^ k1 ^ 0x1bd11bdau);
  var x0 = c0 + ks[0];
  var x1 = c1 + ks[1];
  let rot = array<u32, 8>(13u, 15u, 26u, 6u, 17u, 29u, 16u, 24u);
  for (var i = 0u; i < 5u; i = i + 1u) {
    let base = (i % 2u) * 4u;
    for (var j = 0u; j < 4u; j = j + 1u) {
      x0 = x0 + x1;
      x1 = rotl32(x1, rot[base + j]);
      x1 = x1 ^ x0;
    }
    x0 = x0 + ks[(i + 1u) % 3u];
    x1 = x1 + ks[(i + 2u) % 3u] + i + 1u;
  }
  return vec2<u32>(x0, x1);
}
fn threefry_word0(k0: u32, k1: u32, c0: u32, c1: u32) -> u32 { return threefry_pair(k0, k1, c0, c1).x; }`,
};

export function helperSource(names: Iterable<HelperName>): string {
  return [...new Set(names)]
    .sort()
    .map((n) => HELPERS[n])
    .join("\n\n");
}
