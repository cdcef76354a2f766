// Register-blocked matmul C = A @ B (row-major, M×K @ K×N; K and N multiples of 4).
// A 16×16 workgroup computes a 64×64 tile of C; each thread a 4×4 block in registers.
// K advances in slices of 16: A's slice staged k-major, B's as vec4 rows, one vec4 load each.
override M: u32;
override N: u32;
override K: u32;

@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;

var<workgroup> As: array<f32, 1024>;        // [16 k][64 rows]
var<workgroup> Bs: array<vec4<f32>, 256>;   // [16 k][16 vec4 columns]

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let m0 = wid.y * 64u;
  let n0 = wid.x * 64u;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 = k0 + 16u) {
    // A: row ty*4 + tx/4, k (tx%4)*4 .. +3
    let row = ty * 4u + tx / 4u;
    let kq = (tx % 4u) * 4u;
    var va = vec4<f32>(0.0);
    if (m0 + row < M) { va = A[((m0 + row) * K + k0 + kq) / 4u]; }
    As[(kq + 0u) * 64u + row] = va.x;
    As[(kq + 1u) * 64u + row] = va.y;
    As[(kq + 2u) * 64u + row] = va.z;
    As[(kq + 3u) * 64u + row] = va.w;
    // B: k row ty, columns tx*4 .. +3
    var vb = vec4<f32>(0.0);
    if (n0 + tx * 4u < N) { vb = B[((k0 + ty) * N + n0 + tx * 4u) / 4u]; }
    Bs[ty * 16u + tx] = vb;
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      let b = Bs[kk * 16u + tx];
      let ab = kk * 64u + ty * 4u;
      acc[0] = acc[0] + As[ab] * b;
      acc[1] = acc[1] + As[ab + 1u] * b;
      acc[2] = acc[2] + As[ab + 2u] * b;
      acc[3] = acc[3] + As[ab + 3u] * b;
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    let r = m0 + ty * 4u + i;
    if (r < M && n0 + tx * 4u < N) { C[(r * N + n0 + tx * 4u) / 4u] = acc[i]; }
  }
}
