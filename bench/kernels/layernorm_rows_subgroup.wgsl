// Layer norm (no scale or shift) of each row of an R×C matrix (C a multiple of 4) with one
// subgroup of LANES invocations per row: lanes read neighbouring vec4s, subgroupAdd combines the
// sums without workgroup memory or barriers. RPW rows per workgroup (RPW > 1 assumes subgroups
// of LANES consecutive invocations, as lavapipe makes them). Mean and variance in two passes
// over the row (cached after the first), then the write.
enable subgroups;
override LANES: u32 = 8;
override RPW: u32 = 1;
override C: u32;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(LANES * RPW)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c4 = C / 4u;
  let row = (wid.x * RPW + lid / LANES) * c4;
  let lane = lid % LANES;
  let live = row < arrayLength(&y);
  var s = vec4<f32>(0.0);
  if (live) { for (var j = lane; j < c4; j = j + LANES) { s = s + x[row + j]; } }
  let mean = subgroupAdd(s.x + s.y + s.z + s.w) / f32(C);
  var q = vec4<f32>(0.0);
  if (live) {
    for (var j = lane; j < c4; j = j + LANES) {
      let d = x[row + j] - mean;
      q = q + d * d;
    }
  }
  let inv = inverseSqrt(subgroupAdd(q.x + q.y + q.z + q.w) / f32(C) + 1e-5);
  if (live) { for (var j = lane; j < c4; j = j + LANES) { y[row + j] = (x[row + j] - mean) * inv; } }
}
