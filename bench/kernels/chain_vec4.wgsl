// Hand-fused baseline: y = tanh(x*1.5+0.5)*x - exp(-x*x), PER vec4s per invocation, by
// default WG apart (a workgroup's lanes read neighbouring vec4s at every step).
override WG: u32 = 64;
override PER: u32 = 4;
// BLOCKED: an invocation's PER vec4s are neighbours instead.
override BLOCKED: bool = false;
// CHUNK: neighbours too, walked by a loop whose bound is known only at run time (min(first + PER,
// n)): no per-element bounds check, and lavapipe's LLVM does not unroll it. On lavapipe the copy
// ran 1.3-1.6× faster this way than in the other layouts (bench/dev/softmax_exp_bound.ts).
override CHUNK: bool = false;
// INTERLEAVED: each run of 8 neighbouring lanes (lavapipe's SIMD batch) walks 8 * PER neighbouring
// vec4s together, lane j taking every 8th from the run's start + j, up to a bound known at run
// time: the batch reads one stream of memory, not 8 streams PER vec4s apart. On lavapipe a copy
// of 2^22 floats ran 1.2-1.3x faster than CHUNK (bench/dev/elementwise_chunks.ts).
override INTERLEAVED: bool = false;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = arrayLength(&y);
  if (CHUNK) {
    let first = (wid.x * WG + lid) * PER;
    let end = min(first + PER, n);
    for (var i = first; i < end; i = i + 1u) {
      let v = x[i];
      y[i] = tanh(v * 1.5 + 0.5) * v - exp(-v * v);
    }
    return;
  }
  if (INTERLEAVED) {
    let run = (wid.x * WG + lid) / 8u;
    let end = min((run + 1u) * 8u * PER, n);
    for (var i = run * 8u * PER + lid % 8u; i < end; i = i + 8u) {
      let v = x[i];
      y[i] = tanh(v * 1.5 + 0.5) * v - exp(-v * v);
    }
    return;
  }
  for (var j = 0u; j < PER; j = j + 1u) {
    let i = select(wid.x * WG * PER + lid + j * WG, (wid.x * WG + lid) * PER + j, BLOCKED);
    if (i < n) {
      let v = x[i];
      y[i] = tanh(v * 1.5 + 0.5) * v - exp(-v * v);
    }
  }
}
