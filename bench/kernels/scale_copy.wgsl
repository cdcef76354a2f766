// Memory floor: y = x * 1.5 (one read, one write per element). PER vec4s per invocation, by
// default WG apart (a workgroup's lanes read neighbouring vec4s at every step).
override WG: u32 = 64;
override PER: u32 = 4;
// BLOCKED: an invocation's PER vec4s are neighbours instead.
override BLOCKED: bool = false;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = arrayLength(&y);
  for (var j = 0u; j < PER; j = j + 1u) {
    let i = select(wid.x * WG * PER + lid + j * WG, (wid.x * WG + lid) * PER + j, BLOCKED);
    if (i < n) { y[i] = x[i] * 1.5; }
  }
}
