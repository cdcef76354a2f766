// Row softmax of an R×C matrix (C a multiple of 4·WG): one workgroup per row, each lane keeping
// its C/(4·WG) vec4s in registers, so the row is read once and written once. Max and sum are
// reduced across the workgroup in shared memory.
override WG: u32 = 64;
override C: u32;
const PER_MAX: u32 = 16u; // vec4s per lane at most (C ≤ 64·WG)
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
var<workgroup> red: array<f32, WG>;

fn reduceMax(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn reduceSum(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let per = C / 4u / WG;
  let row = wid.x * (C / 4u);
  var v: array<vec4<f32>, PER_MAX>;
  var m = vec4<f32>(-3.4e38);
  for (var j = 0u; j < per; j = j + 1u) {
    v[j] = x[row + j * WG + lid];
    m = max(m, v[j]);
  }
  let rowMax = reduceMax(lid, max(max(m.x, m.y), max(m.z, m.w)));
  var s = vec4<f32>(0.0);
  for (var j = 0u; j < per; j = j + 1u) {
    v[j] = exp(v[j] - rowMax);
    s = s + v[j];
  }
  let inv = 1.0 / reduceSum(lid, s.x + s.y + s.z + s.w);
  for (var j = 0u; j < per; j = j + 1u) {
    y[row + j * WG + lid] = v[j] * inv;
  }
}
