// A synthetic transformer training step of about `ops` ops, shaped like the real GPT-style step
// (test/fixtures/programs/gpt_step.ts) but as big as asked: blocks of layernorm, attention and
// MLP under `trainStep/block/#k/…`, their transposes under `trainStep/grad(loss)/block/#k/…`
// reading the forward values, and Adam updates per parameter under `trainStep/adam/#k`. Kernels
// are runs of 1–20 consecutive ops of one scope (matmuls alone), timed. Deterministic. For the
// graph's scale benchmark (bench/graph_layout.ts) and the render test of big reports.

import type { Compilation, GraphEdge, GraphGroup, GraphNode, KernelReport, Report } from "@jitscope/contract";
import { jitter, kernel, mlpReport, SCRIPT } from "./fixtures.js";

const F32 = "float32";
const SHAPE = [128, 256];
const BYTES = 128 * 256 * 4;

/** Ops one block contributes: forward, backward and the optimizer for its parameters. */
const FORWARD = {
  layernorm: ["reduce_sum", "div", "sub", "mul", "reduce_sum", "div", "add", "rsqrt", "mul", "mul", "add"],
  attention: [
    "matmul",
    "matmul",
    "matmul",
    "transpose",
    "matmul",
    "mul",
    "reduce_max",
    "sub",
    "exp",
    "reduce_sum",
    "div",
    "matmul",
    "matmul",
    "add",
  ],
  mlp: ["matmul", "add", "mul", "mul", "mul", "add", "tanh", "add", "mul", "matmul", "add"],
} as const;
const PARAMS_PER_BLOCK = 6;
const ADAM = ["mul", "mul", "add", "mul", "mul", "mul", "add", "div", "sqrt", "add", "div", "mul", "sub"];

/** A small deterministic generator (mulberry32), so every run draws the same picture. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Forward, its transpose (two ops per forward op, and six adds), the optimizer's updates. */
function opsPerBlock(): number {
  const fwd = FORWARD.layernorm.length * 2 + FORWARD.attention.length + FORWARD.mlp.length + 2;
  const bwd = 2 * (FORWARD.layernorm.length + FORWARD.attention.length + FORWARD.mlp.length) + 6;
  return fwd + bwd + PARAMS_PER_BLOCK * ADAM.length;
}

export function syntheticTrainStep(ops: number): Report {
  const blocks = Math.max(1, Math.round(ops / opsPerBlock()));
  const random = rng(ops);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const addNode = (kind: GraphNode["kind"], label: string, nameStack: string[]): string => {
    const id = kind === "op" ? `op${nodes.length}` : `${kind}${nodes.length}`;
    nodes.push({
      id,
      kind,
      label,
      shape: SHAPE,
      dtype: F32,
      location: kind === "op" ? { file: SCRIPT, line: 10 + (nodes.length % 90), column: 12 } : null,
      nameStack,
    });
    return id;
  };
  const link = (source: string, target: string): void => {
    edges.push({ source, target, bytes: BYTES, shape: SHAPE, dtype: F32 });
  };
  /** A chain of ops in one scope, each reading the previous; `extra(i)` adds inputs to op i. */
  const chain = (
    labels: readonly string[],
    stack: string[],
    first: string,
    extra?: (i: number) => string[],
  ): string[] => {
    const ids: string[] = [];
    let prev = first;
    labels.forEach((label, i) => {
      const id = addNode("op", label, stack);
      link(prev, id);
      for (const e of extra?.(i) ?? []) if (e !== prev) link(e, id);
      ids.push(id);
      prev = id;
    });
    return ids;
  };

  const x = addNode("input", "x", []);
  const params: string[][] = [];
  for (let b = 0; b < blocks; b++)
    params.push(Array.from({ length: PARAMS_PER_BLOCK }, (_, p) => addNode("input", `params.blocks[${b}].w${p}`, [])));
  const forward: string[][] = [];
  let h = x;
  for (let b = 0; b < blocks; b++) {
    const at = ["trainStep", "block", `#${b}`];
    const w = params[b]!;
    let wi = 0;
    const readsParam = (labels: readonly string[]) => (i: number) =>
      labels[i] === "matmul" ? [w[wi++ % w.length]!] : [];
    const ln1 = chain(FORWARD.layernorm, [...at, "layernorm"], h);
    const att = chain(FORWARD.attention, [...at, "attention"], ln1.at(-1)!, readsParam(FORWARD.attention));
    const res1 = chain(["add"], at, att.at(-1)!, () => [h]);
    const ln2 = chain(FORWARD.layernorm, [...at, "layernorm #2"], res1.at(-1)!);
    const mlp = chain(FORWARD.mlp, [...at, "mlp"], ln2.at(-1)!, readsParam(FORWARD.mlp));
    const res2 = chain(["add"], at, mlp.at(-1)!, () => [res1.at(-1)!]);
    forward.push([...ln1, ...att, ...res1, ...ln2, ...mlp, ...res2]);
    h = res2.at(-1)!;
  }
  const loss = chain(
    ["matmul", "reduce_max", "sub", "exp", "reduce_sum", "log", "sub", "mean"],
    ["trainStep", "loss"],
    h,
  );
  // The backward pass: each block's transpose reads its forward values (twice the ops).
  let g = loss.at(-1)!;
  const grads: string[][] = [];
  for (let b = blocks - 1; b >= 0; b--) {
    const fwd = forward[b]!;
    const stack = ["trainStep", "grad(loss)", "block", `#${b}`];
    const part = (name: string, labels: readonly string[], from: number): string[] =>
      chain(
        labels.flatMap((l) => [l === "matmul" ? "dot_general" : `${l}_t`, "mul"]),
        [...stack, name],
        g,
        (i) => (i % 2 === 0 ? [fwd[(from + i / 2) % fwd.length]!] : []),
      );
    const m = part("mlp", FORWARD.mlp, 24);
    g = m.at(-1)!;
    const a = part("attention", FORWARD.attention, 11);
    g = a.at(-1)!;
    const l = part("layernorm", FORWARD.layernorm, 0);
    g = l.at(-1)!;
    const r = chain(["add", "add", "add", "add", "add", "add"], stack, g, (i) => [m[i]!]);
    g = r.at(-1)!;
    grads.push([...m, ...a, ...l, ...r]);
  }
  const outputs: string[] = [];
  for (let b = 0; b < blocks; b++) {
    const gr = grads[blocks - 1 - b]!;
    for (let p = 0; p < PARAMS_PER_BLOCK; p++) {
      const upd = chain(ADAM, ["trainStep", "adam", `#${b * PARAMS_PER_BLOCK + p}`], gr[(p * 7) % gr.length]!, (i) =>
        i === ADAM.length - 1 ? [params[b]![p]!] : [],
      );
      outputs.push(upd.at(-1)!);
    }
  }
  outputs.forEach((o, i) => {
    const b = Math.floor(i / PARAMS_PER_BLOCK);
    link(o, addNode("output", `result[0].blocks[${b}].w${i % PARAMS_PER_BLOCK}`, []));
  });
  link(loss.at(-1)!, addNode("output", "loss", []));

  // Kernels: runs of 1–20 consecutive ops of one scope; a matmul is a kernel of its own.
  const groups: GraphGroup[] = [];
  let run: GraphGroup | null = null;
  let want = 0;
  let runStack = "";
  for (const n of nodes) {
    if (n.kind !== "op") continue;
    const stack = n.nameStack.join("/");
    const alone = n.label === "matmul" || n.label === "dot_general";
    if (!run || alone || stack !== runStack || run.nodes.length >= want) {
      run = { id: `c-syn/k${groups.length}`, name: `fused_${n.label}_${groups.length}`, nodes: [] };
      groups.push(run);
      want = alone ? 1 : 1 + Math.floor(random() * 20);
      runStack = stack;
    }
    run.nodes.push(n.id);
    n.kernel = run.id;
    if (alone) run = null;
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const kernels: KernelReport[] = groups.map((k, i) =>
    kernel(
      k.id,
      k.name,
      "c-syn",
      k.nodes.map((id) => byId.get(id)!.label),
      k.nodes,
      [byId.get(k.nodes[0]!)!.location!.line],
      jitter(4 + (byId.get(k.nodes[0]!)!.label.startsWith("mat") ? 60 : (i % 11) * 2), 3),
      BYTES * (k.nodes.length + 1),
      BYTES * k.nodes.length,
    ),
  );
  const traced = { nodes: nodes.map(({ kernel: _k, ...n }) => n), edges, groups: [] };
  const compilation: Compilation = {
    id: "c-syn",
    functionName: "trainStep",
    location: { file: SCRIPT, line: 9, column: 14 },
    signature: "(params, x) -> (params, float32[])",
    reason: "first call",
    passes: [
      { name: "trace", ms: 1, changed: true, text: "", graph: traced },
      { name: "fuse", ms: 1, changed: true, text: "", graph: { nodes, edges, groups } },
    ],
    fusion: { decisions: [], boundaries: [] },
    kernels: groups.map((k) => k.id),
    compileMs: { total: 2, perPass: { trace: 1, fuse: 1 } },
    peakBytes: 0,
  };
  const base = mlpReport();
  // The base's timeline names its own kernels: keep its host spans, no dispatches.
  const timeline = { spans: base.timeline.spans, dispatches: [] };
  return { ...base, compilations: [compilation], kernels, timeline, lines: {}, comparison: null, functions: [] };
}
