// Hand-built reports that follow contract/src/report.ts exactly, for the webview's tests
// and render test, until the CLI's real reports land in test/fixtures/reports/.
//
// `mlpReport()` is the MLP step of DESIGN.md (a jitted SGD step on a tanh layer) plus a GELU
// function, compiled through every pass, with fusion boundaries, kernels with GPU samples, a
// timeline and an eager-vs-jit comparison with sweeps. `largeReport(n)` is a synthetic
// compilation with about n ops for layout scale tests and the benchmark.

import type {
  Compilation,
  FusionBoundary,
  GraphEdge,
  GraphGroup,
  GraphNode,
  KernelReport,
  PassSnapshot,
  Report,
  SourceLocation,
  SweepPoint,
} from "@jitscope/contract";

export const SCRIPT = "/home/user/examples/mlp.ts";
const at = (line: number, column = 20): SourceLocation => ({ file: SCRIPT, line, column });

interface OpSpec {
  id: string;
  label: string;
  kind?: GraphNode["kind"];
  shape: number[];
  inputs: string[];
  line?: number;
  stack?: string[];
}

const F32 = "float32";
const bytesOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1) * 4;

/** Builds a pass graph from op specs; `changed` marks the ids the pass rewrote. */
function graphOf(specs: OpSpec[], groups: GraphGroup[] = [], changed: string[] = []): PassGraph {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const kernelOf = new Map<string, string>();
  for (const g of groups) for (const n of g.nodes) kernelOf.set(n, g.id);
  const nodes: GraphNode[] = specs.map((s) => {
    const node: GraphNode = {
      id: s.id,
      kind: s.kind ?? "op",
      label: s.label,
      shape: s.shape,
      dtype: F32,
      location: s.line ? at(s.line) : null,
      nameStack: s.stack ?? (s.kind && s.kind !== "op" ? [] : ["step"]),
    };
    const k = kernelOf.get(s.id);
    if (k) node.kernel = k;
    if (changed.includes(s.id)) node.changed = true;
    return node;
  });
  const edges: GraphEdge[] = [];
  for (const s of specs) {
    for (const src of s.inputs) {
      const from = byId.get(src);
      if (!from) throw new Error(`fixture: ${s.id} reads unknown ${src}`);
      edges.push({ source: src, target: s.id, bytes: bytesOf(from.shape), shape: from.shape, dtype: F32 });
    }
  }
  return { nodes, edges, groups };
}
type PassGraph = PassSnapshot["graph"];

const G = ["step", "grad(loss)"];
const T = ["step", "grad(loss)", "transpose"];

// The traced step: forward loss (dead after grad), its gradient, the SGD update. Node ids follow
// the IR's `op${eqn.id}`; inputs `in…`, constants `c…`, outputs `out…`.
const traced: OpSpec[] = [
  { id: "in0", label: "w", kind: "input", shape: [64, 32], inputs: [] },
  { id: "in1", label: "x", kind: "input", shape: [128, 64], inputs: [] },
  { id: "in2", label: "y", kind: "input", shape: [128, 32], inputs: [] },
  { id: "c0", label: "4096", kind: "const", shape: [], inputs: [] },
  { id: "c1", label: "0.00048828", kind: "const", shape: [], inputs: [] },
  { id: "c2", label: "1", kind: "const", shape: [], inputs: [] },
  { id: "c3", label: "0.1", kind: "const", shape: [], inputs: [] },
  { id: "op1", label: "matmul", shape: [128, 32], inputs: ["in1", "in0"], line: 2, stack: G },
  { id: "op2", label: "tanh", shape: [128, 32], inputs: ["op1"], line: 2, stack: G },
  { id: "op3", label: "sub", shape: [128, 32], inputs: ["op2", "in2"], line: 2, stack: G },
  { id: "op4", label: "mul", shape: [128, 32], inputs: ["op3", "op3"], line: 2, stack: G },
  { id: "op5", label: "reduce_sum", shape: [], inputs: ["op4"], line: 2, stack: G },
  { id: "op6", label: "div", shape: [], inputs: ["op5", "c0"], line: 2, stack: G },
  { id: "op7", label: "mul", shape: [128, 32], inputs: ["c1", "op3"], line: 2, stack: T },
  { id: "op8", label: "mul", shape: [128, 32], inputs: ["op2", "op2"], line: 2, stack: T },
  { id: "op15", label: "mul", shape: [128, 32], inputs: ["op2", "op2"], line: 2, stack: T },
  { id: "op9", label: "sub", shape: [128, 32], inputs: ["c2", "op15"], line: 2, stack: T },
  { id: "op10", label: "mul", shape: [128, 32], inputs: ["op7", "op9"], line: 2, stack: T },
  { id: "op11", label: "transpose", shape: [64, 128], inputs: ["in1"], line: 2, stack: T },
  { id: "op12", label: "matmul", shape: [64, 32], inputs: ["op11", "op10"], line: 2, stack: T },
  { id: "op16", label: "neg", shape: [], inputs: ["op6"], line: 2, stack: G },
  { id: "op13", label: "mul", shape: [64, 32], inputs: ["c3", "op12"], line: 3 },
  { id: "op14", label: "sub", shape: [64, 32], inputs: ["in0", "op13"], line: 3 },
  { id: "out0", label: "out0", kind: "output", shape: [64, 32], inputs: ["op14"] },
];

const without = (specs: OpSpec[], ids: string[]): OpSpec[] => specs.filter((s) => !ids.includes(s.id));
const replace = (specs: OpSpec[], id: string, patch: Partial<OpSpec>): OpSpec[] =>
  specs.map((s) => (s.id === id ? { ...s, ...patch } : s));

// simplify: x / 4096 → x * (1/4096)
const simplified = replace(traced, "op6", { label: "mul", inputs: ["op5", "c1"] });
// cse: op15 duplicates op8
const csed = replace(without(simplified, ["op15"]), "op9", { inputs: ["c2", "op8"] });
// dce: the forward loss value is dead once only the gradient is returned
const dced = without(without(csed, ["op4", "op5", "op6", "op16", "c0"]), []);

export const STEP_KERNELS: GraphGroup[] = [
  { id: "k0", name: "matmul_tanh_0", nodes: ["op1", "op2"] },
  { id: "k1", name: "fused_sub_mul_mul_sub_mul_1", nodes: ["op3", "op7", "op8", "op9", "op10"] },
  { id: "k2", name: "matmul_mul_sub_2", nodes: ["op11", "op12", "op13", "op14"] },
];

export const STEP_BOUNDARIES: FusionBoundary[] = [
  {
    from: "op2",
    to: "op3",
    fromKernel: "k0",
    toKernel: "k1",
    rule: "multi-consumer",
    reason: "tanh output is read by 2 ops (sub, mul): recomputing the matmul in the consumer kernel costs too much",
  },
  {
    from: "op2",
    to: "op8",
    fromKernel: "k0",
    toKernel: "k1",
    rule: "multi-consumer",
    reason: "tanh output is read by 2 ops (sub, mul): recomputing the matmul in the consumer kernel costs too much",
  },
  {
    from: "op10",
    to: "op12",
    fromKernel: "k1",
    toKernel: "k2",
    rule: "matmul-operand",
    reason: "mul result is a matmul operand: matmul reads its operands from memory",
  },
];

function snapshot(name: string, ms: number, changed: string[], graph: PassGraph, text: string): PassSnapshot {
  return { name, ms, changed: changed.length > 0 || name === "trace", text, graph };
}

function printed(specs: OpSpec[]): string {
  const lines = specs
    .filter((s) => (s.kind ?? "op") === "op")
    .map((s) => `    ${s.id}:f32[${s.shape.join(",")}] = ${s.label} ${s.inputs.join(" ")}`);
  return `{ lambda w:f32[64,32] x:f32[128,64] y:f32[128,32] . let\n${lines.join("\n")}\n  in ( op14 ) }`;
}

function stepCompilation(): Compilation {
  const passes: PassSnapshot[] = [
    snapshot(
      "trace",
      0.42,
      traced.map((s) => s.id),
      graphOf(
        traced,
        [],
        traced.map((s) => s.id),
      ),
      printed(traced),
    ),
    snapshot("simplify", 0.05, ["op6"], graphOf(simplified, [], ["op6"]), printed(simplified)),
    snapshot("cse", 0.04, ["op9"], graphOf(csed, [], ["op9"]), printed(csed)),
    snapshot("dce", 0.02, ["op3"], graphOf(dced, [], []), printed(dced)),
    snapshot("fuse", 0.31, ["op1", "op3", "op11"], graphOf(dced, STEP_KERNELS, ["op1", "op3", "op11"]), printed(dced)),
    snapshot("lower", 0.12, [], graphOf(dced, STEP_KERNELS), printed(dced)),
    snapshot("wgsl", 0.9, [], graphOf(dced, STEP_KERNELS), "// 3 WGSL modules"),
    snapshot("memory", 0.03, [], graphOf(dced, STEP_KERNELS), "// peak 57344 bytes"),
  ];
  // dce rewrote nothing in place but removed nodes: its `changed` is true with no flagged nodes.
  passes[3]!.changed = true;
  return {
    id: "c-step-0",
    functionName: "step",
    location: at(3, 14),
    signature: "(float32[64,32], float32[128,64], float32[128,32]) -> float32[64,32]",
    reason: "first call",
    passes,
    fusion: {
      decisions: [
        { kernel: "k0", ops: ["op1", "op2"], kind: "matmul", reason: "matmul with elementwise epilogue" },
        { kernel: "k1", ops: ["op3", "op7", "op8", "op9", "op10"], kind: "elementwise", reason: "elementwise chain" },
        {
          kernel: "k2",
          ops: ["op11", "op12", "op13", "op14"],
          kind: "matmul",
          reason: "transposed operand read in place, elementwise epilogue",
        },
      ],
      boundaries: STEP_BOUNDARIES,
    },
    kernels: ["k0", "k1", "k2"],
    compileMs: { total: 1.89, perPass: Object.fromEntries(passes.map((p) => [p.name, p.ms])) },
    peakBytes: 57344,
  };
}

const geluSpecs: OpSpec[] = [
  { id: "in0", label: "x", kind: "input", shape: [1024, 1024], inputs: [] },
  { id: "c0", label: "0.044715", kind: "const", shape: [], inputs: [] },
  { id: "c1", label: "0.79788", kind: "const", shape: [], inputs: [] },
  { id: "op1", label: "mul", shape: [1024, 1024], inputs: ["in0", "in0"], line: 6, stack: ["gelu"] },
  { id: "op2", label: "mul", shape: [1024, 1024], inputs: ["op1", "in0"], line: 6, stack: ["gelu"] },
  { id: "op3", label: "mul", shape: [1024, 1024], inputs: ["c0", "op2"], line: 6, stack: ["gelu"] },
  { id: "op4", label: "add", shape: [1024, 1024], inputs: ["in0", "op3"], line: 6, stack: ["gelu"] },
  { id: "op5", label: "mul", shape: [1024, 1024], inputs: ["c1", "op4"], line: 7, stack: ["gelu"] },
  { id: "op6", label: "tanh", shape: [1024, 1024], inputs: ["op5"], line: 7, stack: ["gelu"] },
  { id: "op7", label: "mul", shape: [1024, 1024], inputs: ["in0", "op6"], line: 7, stack: ["gelu"] },
  { id: "out0", label: "out0", kind: "output", shape: [1024, 1024], inputs: ["op7"] },
];
const GELU_KERNEL: GraphGroup = {
  id: "k3",
  name: "fused_mul_mul_mul_add_mul_tanh_mul_3",
  nodes: ["op1", "op2", "op3", "op4", "op5", "op6", "op7"],
};

function geluCompilation(): Compilation {
  const g = graphOf(geluSpecs);
  const fused = graphOf(geluSpecs, [GELU_KERNEL], GELU_KERNEL.nodes);
  const names = ["trace", "simplify", "cse", "dce", "fuse", "lower", "wgsl", "memory"];
  const passes = names.map((name, i): PassSnapshot => ({
    name,
    ms: 0.05 + i * 0.01,
    changed: name === "trace" || name === "fuse",
    text: printed(geluSpecs),
    graph: i < 4 ? g : name === "fuse" ? fused : graphOf(geluSpecs, [GELU_KERNEL]),
  }));
  return {
    id: "c-gelu-0",
    functionName: "gelu",
    location: at(5, 14),
    signature: "(float32[1024,1024]) -> float32[1024,1024]",
    reason: "first call",
    passes,
    fusion: {
      decisions: [{ kernel: "k3", ops: GELU_KERNEL.nodes, kind: "elementwise", reason: "elementwise chain" }],
      boundaries: [],
    },
    kernels: ["k3"],
    compileMs: { total: 0.74, perPass: Object.fromEntries(passes.map((p) => [p.name, p.ms])) },
    peakBytes: 8388608,
  };
}

export function kernel(
  id: string,
  name: string,
  compilation: string | null,
  ops: string[],
  opIds: string[],
  lines: number[],
  samplesUs: number[],
  bytes: number,
  flops: number,
): KernelReport {
  const gpuTimesNs = samplesUs.map((u) => Math.round(u * 1000));
  const sorted = [...gpuTimesNs].sort((a, b) => a - b);
  const medianNs = sorted[Math.floor(sorted.length / 2)]!;
  const totalNs = gpuTimesNs.reduce((a, b) => a + b, 0);
  return {
    id,
    name,
    compilation,
    mode: compilation ? "jit" : "eager",
    wgsl: `// ${name}\n@group(0) @binding(0) var<storage, read> a: array<f32>;\n@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n@compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>) {\n  out[gid.x] = tanh(a[gid.x]);\n}\n`,
    ops,
    opIds,
    locations: lines.map((l) => at(l)),
    workgroupSize: [64, 1, 1],
    dispatch: [64, 1, 1],
    bytesRead: Math.round(bytes * 0.75),
    bytesWritten: Math.round(bytes * 0.25),
    flops,
    dispatches: gpuTimesNs.length,
    gpuTimesNs,
    medianNs,
    totalNs,
    gbPerS: bytes / medianNs,
    gflopPerS: flops / medianNs,
  };
}

export const jitter = (base: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => base * (1 + 0.08 * Math.sin(i * 1.7)));

export const STEP_CALLS = 20;

function sweep(compileMs: number, eagerPerCall: number, jitPerCall: number): SweepPoint[] {
  return [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((calls) => ({
    calls,
    eagerMs: calls * eagerPerCall,
    jitMs: compileMs + calls * jitPerCall,
  }));
}

/** The MLP step (3 kernels) and GELU (1 kernel), with eager kernels and a comparison. */
export function mlpReport(): Report {
  const kernels: KernelReport[] = [
    kernel(
      "k0",
      "matmul_tanh_0",
      "c-step-0",
      ["matmul", "tanh"],
      ["op1", "op2"],
      [2],
      jitter(38, STEP_CALLS),
      57344,
      524288,
    ),
    kernel(
      "k1",
      "fused_sub_mul_mul_sub_mul_1",
      "c-step-0",
      ["sub", "mul", "mul", "sub", "mul"],
      ["op3", "op7", "op8", "op9", "op10"],
      [2],
      jitter(9, STEP_CALLS),
      49152,
      20480,
    ),
    kernel(
      "k2",
      "matmul_mul_sub_2",
      "c-step-0",
      ["transpose", "matmul", "mul", "sub"],
      ["op11", "op12", "op13", "op14"],
      [2, 3],
      jitter(41, STEP_CALLS),
      57344,
      528384,
    ),
    kernel(
      "k3",
      "fused_mul_mul_mul_add_mul_tanh_mul_3",
      "c-gelu-0",
      ["mul", "mul", "mul", "add", "mul", "tanh", "mul"],
      GELU_KERNEL.nodes,
      [6, 7],
      jitter(610, 10),
      8388608,
      9437184,
    ),
    kernel("e0", "eager_matmul", null, ["matmul"], [], [2], jitter(36, 10), 57344, 524288),
    kernel("e1", "eager_tanh", null, ["tanh"], [], [2], jitter(6, 10), 32768, 4096),
    kernel("e2", "eager_mul", null, ["mul"], [], [2, 3, 6, 7], jitter(5.5, 60), 49152, 4096),
  ];
  const totalGpuNs = kernels.reduce((a, k) => a + k.totalNs, 0);
  const dispatches = [];
  const spans: Report["timeline"]["spans"] = [
    { name: "trace", cat: "trace", start: 1, dur: 0.42 },
    { name: "pass:fuse", cat: "compile", start: 1.5, dur: 0.31 },
    { name: "pipeline", cat: "pipeline", start: 2, dur: 3.1 },
  ];
  for (let call = 0; call < 5; call++) {
    const t0 = 6 + call * 0.6;
    spans.push({ name: "call:step", cat: "call", start: t0, dur: 0.45, callId: call });
    spans.push({ name: "encode", cat: "encode", start: t0 + 0.02, dur: 0.1, callId: call });
    spans.push({ name: "submit", cat: "submit", start: t0 + 0.13, dur: 0.03, callId: call });
    let t = t0 + 0.17;
    for (const k of ["k0", "k1", "k2"]) {
      const dur = k === "k1" ? 0.009 : 0.04;
      dispatches.push({ kernel: k, start: t, dur, callId: call });
      t += dur + 0.005;
    }
  }
  return {
    version: 2,
    tool: "jitscope",
    createdAt: "2026-11-24T16:00:00.000Z",
    script: SCRIPT,
    status: "completed",
    device: {
      backend: "webgpu",
      adapter: "llvmpipe (LLVM 15.0.6, 256 bits) · Mesa 25.0.7 · vulkan",
      timestampQuery: true,
      notes: [],
    },
    wallMs: 142.5,
    totalGpuNs,
    console: [{ stream: "stdout", text: "loss 0.4123", t: 40 }],
    errors: [],
    compilations: [stepCompilation(), geluCompilation()],
    kernels,
    functions: [
      {
        name: "step",
        location: at(3, 14),
        calls: STEP_CALLS,
        compilations: ["c-step-0"],
        kernelsPerCall: 3,
        msPerCall: 0.41,
        gpuMsPerCall: 0.088,
      },
      {
        name: "gelu",
        location: at(5, 14),
        calls: 10,
        compilations: ["c-gelu-0"],
        kernelsPerCall: 1,
        msPerCall: 0.93,
        gpuMsPerCall: 0.61,
      },
    ],
    lines: {
      [`${SCRIPT}:2`]: {
        file: SCRIPT,
        line: 2,
        kernels: ["k0", "k1", "k2"],
        gpuNs: 1e6,
        share: 0.3,
        unfused: [{ op: "tanh", reason: STEP_BOUNDARIES[0]!.reason }],
      },
      [`${SCRIPT}:3`]: { file: SCRIPT, line: 3, kernels: ["k2"], gpuNs: 4e5, share: 0.1, unfused: [] },
    },
    timeline: { spans, dispatches },
    comparison: {
      functions: [
        {
          name: "step",
          location: at(3, 14),
          eager: { msPerCall: 1.72, dispatchesPerCall: 11, p10: 1.61, p90: 1.93, runs: [1.72, 1.61, 1.93] },
          jit: { msPerCall: 0.41, dispatchesPerCall: 3, p10: 0.38, p90: 0.47, runs: [0.41, 0.38, 0.47] },
          compileMs: 18.5,
          breakEvenCalls: 15,
          speedup: 4.2,
          speedupRange: [1.61 / 0.47, 1.93 / 0.38],
          significant: true,
        },
        {
          name: "gelu",
          location: at(5, 14),
          eager: { msPerCall: 2.9, dispatchesPerCall: 8 },
          jit: { msPerCall: 0.93, dispatchesPerCall: 1 },
          compileMs: 9.2,
          breakEvenCalls: 5,
          speedup: 3.1,
        },
      ],
      sweeps: [
        { name: "step", location: at(3, 14), points: sweep(18.5, 1.72, 0.41), compileMs: 18.5, breakEvenCalls: 15 },
        { name: "gelu", location: at(5, 14), points: sweep(9.2, 2.9, 0.93), compileMs: 9.2, breakEvenCalls: 5 },
      ],
    },
  };
}

/**
 * A synthetic compilation of about `ops` ops: chains of elementwise ops fused 8 to a kernel,
 * with reductions and matmuls between, constants sprinkled in. For layout scale (the 5,000-node
 * benchmark) and model tests.
 */
export function largeReport(ops: number): Report {
  const base = mlpReport();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const groups: GraphGroup[] = [];
  const kernels: KernelReport[] = [];
  const labels = ["add", "mul", "tanh", "exp", "sub", "max", "reduce_sum", "matmul"];
  const shape = [256, 256];
  const addNode = (id: string, kind: GraphNode["kind"], label: string): void => {
    nodes.push({
      id,
      kind,
      label,
      shape,
      dtype: F32,
      location: kind === "op" ? at(10 + (nodes.length % 40)) : null,
      nameStack: ["big"],
    });
  };
  const link = (source: string, target: string): void => {
    edges.push({ source, target, bytes: bytesOf(shape), shape, dtype: F32 });
  };
  for (let i = 0; i < 8; i++) addNode(`in${i}`, "input", `x${i}`);
  let group: GraphGroup | null = null;
  for (let i = 0; i < ops; i++) {
    const id = `op${i}`;
    if (i % 8 === 0) {
      group = { id: `k${groups.length}`, name: `fused_${labels[i % labels.length]}_${groups.length}`, nodes: [] };
      groups.push(group);
    }
    addNode(id, "op", labels[(i * 7) % labels.length]!);
    nodes[nodes.length - 1]!.kernel = group!.id;
    group!.nodes.push(id);
    link(i === 0 ? "in0" : `op${i - 1}`, id);
    if (i >= 13 && i % 3 === 0) link(`op${i - 13}`, id);
    if (i % 50 === 7) {
      addNode(`c${i}`, "const", "0.5");
      link(`c${i}`, id);
    }
    if (i % 97 === 5) link(`in${i % 8}`, id);
  }
  addNode("out0", "output", "out0");
  link(`op${ops - 1}`, "out0");
  for (const g of groups) {
    kernels.push(
      kernel(
        g.id,
        g.name,
        "c-big-0",
        g.nodes.map(() => "add"),
        g.nodes,
        [10],
        jitter(5 + (groups.indexOf(g) % 13) * 3, 3),
        262144,
        65536,
      ),
    );
  }
  const graph = { nodes, edges, groups: [] };
  const fused = { nodes, edges, groups };
  const passes: PassSnapshot[] = ["trace", "fuse"].map((name) => ({
    name,
    ms: 1,
    changed: true,
    text: "",
    graph: name === "trace" ? graph : fused,
  }));
  const compilation: Compilation = {
    id: "c-big-0",
    functionName: "big",
    location: at(9),
    signature: "(…) -> float32[256,256]",
    reason: "first call",
    passes,
    fusion: { decisions: [], boundaries: [] },
    kernels: groups.map((g) => g.id),
    compileMs: { total: 2, perPass: { trace: 1, fuse: 1 } },
    peakBytes: 0,
  };
  return { ...base, compilations: [compilation], kernels, comparison: null, functions: [] };
}
