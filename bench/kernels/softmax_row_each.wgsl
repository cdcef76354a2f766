// Row softmax of an R×C matrix (C a multiple of 4) with one invocation per row: no workgroup
// memory and no barriers (costly on a CPU-backed adapter); the row is read twice (its 4 KB stay
// in the core's cache between the passes) and written once.
override WG: u32 = 64;
override C: u32;
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c4 = C / 4u;
  let row = gid.x * c4;
  if (row >= arrayLength(&y)) { return; }
  var m = vec4<f32>(-3.4e38);
  for (var j = 0u; j < c4; j = j + 1u) { m = max(m, x[row + j]); }
  let rowMax = max(max(m.x, m.y), max(m.z, m.w));
  var s = vec4<f32>(0.0);
  for (var j = 0u; j < c4; j = j + 1u) { s = s + exp(x[row + j] - rowMax); }
  let inv = 1.0 / (s.x + s.y + s.z + s.w);
  for (var j = 0u; j < c4; j = j + 1u) { y[row + j] = exp(x[row + j] - rowMax) * inv; }
}
