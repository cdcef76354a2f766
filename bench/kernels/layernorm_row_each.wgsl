// Layer norm (no scale or shift) of each row of an R×C matrix (C a multiple of 4) with one
// invocation per row: no workgroup memory and no barriers; the row is read three times (from the
// core's cache after the first) and written once.
override WG: u32 = 64;
override C: u32;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c4 = C / 4u;
  let row = gid.x * c4;
  if (row >= arrayLength(&y)) { return; }
  var s = vec4<f32>(0.0);
  for (var j = 0u; j < c4; j = j + 1u) { s = s + x[row + j]; }
  let mean = (s.x + s.y + s.z + s.w) / f32(C);
  var q = vec4<f32>(0.0);
  for (var j = 0u; j < c4; j = j + 1u) {
    let d = x[row + j] - mean;
    q = q + d * d;
  }
  let inv = inverseSqrt((q.x + q.y + q.z + q.w) / f32(C) + 1e-5);
  for (var j = 0u; j < c4; j = j + 1u) { y[row + j] = (x[row + j] - mean) * inv; }
}
