// Helper functions some kernels need, emitted once per module on demand. Each matches the CPU
// reference (ops/cpu*.ts) and ops/threefry.ts exactly where exactness is possible.

export type HelperName =
  "pow_f32" | "pow_i32" | "f32_to_i32" | "threefry" | "threefry_pair" | "log1p_f32" | "expm1_f32";

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
  // Threefry-2x32, 20 rounds, word 0 (ops/threefry.ts).
  threefry: `fn rotl32(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }
fn threefry_word0(k0: u32, k1: u32, c0: u32, c1: u32) -> u32 {
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
  return x0;
}`,
  // Both words, for fold_in (rotl32 comes with "threefry", which fold_in also asks for).
  threefry_pair: `fn threefry_pair(k0: u32, k1: u32, c0: u32, c1: u32) -> vec2<u32> {
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
}`,
};

export function helperSource(names: Iterable<HelperName>): string {
  return [...new Set(names)]
    .sort()
    .map((n) => HELPERS[n])
    .join("\n\n");
}
