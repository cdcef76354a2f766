// Row softmax of an R×C matrix (C a multiple of 4) with one subgroup of LANES invocations per
// row: lane l reads vec4s l, l+LANES, … of its row (neighbouring lanes, neighbouring vec4s: one
// contiguous SIMD load on a CPU adapter), and subgroupMax/subgroupAdd combine the lanes without
// workgroup memory or barriers. RPW rows per workgroup (RPW > 1 assumes subgroups of LANES
// consecutive invocations, as lavapipe makes them). The row is read three times (from cache
// after the first) and written once.
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
  var m = vec4<f32>(-3.4e38);
  if (live) { for (var j = lane; j < c4; j = j + LANES) { m = max(m, x[row + j]); } }
  let rowMax = subgroupMax(max(max(m.x, m.y), max(m.z, m.w)));
  var s = vec4<f32>(0.0);
  if (live) { for (var j = lane; j < c4; j = j + LANES) { s = s + exp(x[row + j] - rowMax); } }
  let inv = 1.0 / subgroupAdd(s.x + s.y + s.z + s.w);
  if (live) { for (var j = lane; j < c4; j = j + LANES) { y[row + j] = exp(x[row + j] - rowMax) * inv; } }
}
