// Register-blocked matmul C = A @ B (row-major, M×K @ K×N; M, K, N multiples of 4).
// Each thread computes a 4×4 block of C in four vec4 accumulators, reading A four k at a time
// and B four columns at a time as vec4. No workgroup memory: on a CPU-backed adapter (lavapipe)
// the caches serve the reuse and barriers cost more than they save (a 64×64 shared-memory tiled
// version measured ~4× slower here).
override M: u32;
override N: u32;
override K: u32;

@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c4 = gid.x;
  let r0 = gid.y * 4u;
  if (c4 * 4u >= N || r0 >= M) { return; }
  let k4 = K / 4u;
  let n4 = N / 4u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k = 0u; k < k4; k = k + 1u) {
    let a0 = A[(r0 + 0u) * k4 + k];
    let a1 = A[(r0 + 1u) * k4 + k];
    let a2 = A[(r0 + 2u) * k4 + k];
    let a3 = A[(r0 + 3u) * k4 + k];
    let b0 = B[(k * 4u + 0u) * n4 + c4];
    let b1 = B[(k * 4u + 1u) * n4 + c4];
    let b2 = B[(k * 4u + 2u) * n4 + c4];
    let b3 = B[(k * 4u + 3u) * n4 + c4];
    acc0 = acc0 + a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
    acc1 = acc1 + a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
    acc2 = acc2 + a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
    acc3 = acc3 + a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
  }
  C[(r0 + 0u) * n4 + c4] = acc0;
  C[(r0 + 1u) * n4 + c4] = acc1;
  C[(r0 + 2u) * n4 + c4] = acc2;
  C[(r0 + 3u) * n4 + c4] = acc3;
}
