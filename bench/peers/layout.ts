// Host-side layout changes for the peers whose convolutions take other layouts than ours.

/** [n,h,w,c] → [n,c,h,w] */
export function nhwcToNchw(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let z = 0; z < w; z++)
        for (let k = 0; k < c; k++) out[((i * c + k) * h + y) * w + z] = x[((i * h + y) * w + z) * c + k]!;
  return out;
}

/** [kh,kw,ci,co] → [co,ci,kh,kw] */
export function hwioToOihw(x: Float32Array, kh: number, kw: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + a) * kw + b] = x[((a * kw + b) * ci + i) * co + o]!;
  return out;
}

/** [co,ci,kh,kw] → [kh,kw,ci,co] */
export function oihwToHwio(x: Float32Array, co: number, ci: number, kh: number, kw: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < co; o++)
    for (let i = 0; i < ci; i++)
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++) out[((a * kw + b) * ci + i) * co + o] = x[((o * ci + i) * kh + a) * kw + b]!;
  return out;
}
