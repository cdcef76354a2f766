// Hand-written register-blocked matmul C = A @ B (row-major; M, N multiples of 8, K of 4):
// each invocation computes an 8×8 block of C in sixteen vec4 accumulators, reading A as vec4
// along k and B as vec4 along columns; 8×8 workgroups, no workgroup memory. The baseline the
// issue names (~11.4 GFLOP/s at 1024² on lavapipe, 2 cores).
override M: u32;
override N: u32;
override K: u32;

@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c0 = gid.x * 2u;
  let r0 = gid.y * 8u;
  let n4 = N / 4u;
  let k4 = K / 4u;
  if (c0 >= n4 || r0 >= M) { return; }
  var acc: array<vec4<f32>, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = vec4<f32>(0.0); }
  for (var k = 0u; k < k4; k++) {
    let b00 = B[(k * 4u + 0u) * n4 + c0];
    let b01 = B[(k * 4u + 0u) * n4 + c0 + 1u];
    let b10 = B[(k * 4u + 1u) * n4 + c0];
    let b11 = B[(k * 4u + 1u) * n4 + c0 + 1u];
    let b20 = B[(k * 4u + 2u) * n4 + c0];
    let b21 = B[(k * 4u + 2u) * n4 + c0 + 1u];
    let b30 = B[(k * 4u + 3u) * n4 + c0];
    let b31 = B[(k * 4u + 3u) * n4 + c0 + 1u];
    for (var i = 0u; i < 8u; i++) {
      let a = A[(r0 + i) * k4 + k];
      acc[2u * i] = acc[2u * i] + a.x * b00 + a.y * b10 + a.z * b20 + a.w * b30;
      acc[2u * i + 1u] = acc[2u * i + 1u] + a.x * b01 + a.y * b11 + a.z * b21 + a.w * b31;
    }
  }
  for (var i = 0u; i < 8u; i++) {
    C[(r0 + i) * n4 + c0] = acc[2u * i];
    C[(r0 + i) * n4 + c0 + 1u] = acc[2u * i + 1u];
  }
}
