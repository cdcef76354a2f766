// Hand-fused baseline: y = tanh(x*1.5+0.5)*x - exp(-x*x), four floats per thread.
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&y)) { return; }
  let v = x[i];
  y[i] = tanh(v * 1.5 + 0.5) * v - exp(-v * v);
}
