// Turns a Program into the PassGraph a snapshot carries (report.ts): one node per equation
// (`op${eqn.id}`, stable across passes), one per program input (`in${i}`, or `const${i}` for
// captured constants) and per output (`out${i}`); edges carry the bytes of the value flowing.
// From the fuse pass on, nodes know their kernel and groups list each kernel's nodes.

import {
  constNodeId,
  inputNodeId,
  opNodeId,
  outputNodeId,
  type GraphEdge,
  type GraphGroup,
  type GraphNode,
  type LoopInfo,
  type PassGraph,
} from "@jitscope/contract";
import { avalBytes, type Eqn, type Program, type ScanParams, type Var, type WhileParams } from "./types.js";
import { namer } from "./printer.js";

export interface GraphOptions {
  /** The program before the pass: nodes whose equation is new or rewritten get `changed: true`. */
  previous?: Program;
  /** Number of trailing program inputs that are captured constants (drawn as "const"). */
  constInputs?: number;
  /** Kernel id of each equation id (from fuse on). */
  kernelOfEqn?: ReadonlyMap<number, string>;
  groups?: readonly GraphGroup[];
  /** Equations the pass just fused into a multi-op kernel: they count as changed too. */
  fusedNow?: ReadonlySet<number>;
  /** Loop equation id → report ids of the kernels its body compiled to (from lower on). */
  loopKernels?: ReadonlyMap<number, readonly string[]>;
}

const varBytes = (v: Var): number => avalBytes(v.aval);

export function buildPassGraph(program: Program, opts: GraphOptions = {}): PassGraph {
  const name = namer(program);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const producer: (string | undefined)[] = []; // var id → node id (ids are dense: an array, not a map)
  const firstConst = program.inputs.length - (opts.constInputs ?? 0);
  // A pass that left the program as it was (fuse, lower, memory) changed none of its equations.
  const prevEqns = opts.previous && opts.previous.eqns !== program.eqns ? new Set(opts.previous.eqns) : null;

  program.inputs.forEach((v, i) => {
    const isConst = i >= firstConst;
    const id = isConst ? constNodeId(i - firstConst) : inputNodeId(i);
    producer[v.id] = id;
    nodes.push({
      id,
      kind: isConst ? "const" : "input",
      label: name(v),
      shape: [...v.aval.shape],
      dtype: v.aval.dtype,
      location: null,
      nameStack: [],
    });
  });

  const edge = (from: string, to: string, v: Var): void => {
    edges.push({ source: from, target: to, bytes: varBytes(v), shape: [...v.aval.shape], dtype: v.aval.dtype });
  };

  for (const e of program.eqns) {
    const id = opNodeId(e.id);
    const out = e.outputs[0];
    const node: GraphNode = {
      id,
      kind: "op",
      label: e.prim,
      shape: out ? [...out.aval.shape] : [],
      dtype: out ? out.aval.dtype : "float32",
      location: e.location,
      nameStack: [...e.nameStack],
    };
    const k = opts.kernelOfEqn?.get(e.id);
    if (k !== undefined) node.kernel = k;
    const loop = loopInfo(e, opts.loopKernels?.get(e.id) ?? []);
    if (loop) node.loop = loop;
    if (opts.previous) node.changed = (prevEqns !== null && !prevEqns.has(e)) || (opts.fusedNow?.has(e.id) ?? false);
    nodes.push(node);
    e.inputs.forEach((a, j) => {
      // One edge per value read (x * x reads x once); inputs are few, so no set.
      if (a.kind !== "var" || e.inputs.findIndex((b) => b.kind === "var" && b.id === a.id) < j) return;
      const from = producer[a.id];
      if (from) edge(from, id, a);
    });
    for (const o of e.outputs) producer[o.id] = id;
  }

  program.outputs.forEach((a, i) => {
    const id = outputNodeId(i);
    nodes.push({
      id,
      kind: "output",
      label: a.kind === "var" ? name(a) : String(a.value),
      shape: [...a.aval.shape],
      dtype: a.aval.dtype,
      location: null,
      nameStack: [],
    });
    if (a.kind === "var") {
      const from = producer[a.id];
      if (from) edge(from, id, a);
    }
  });

  return { nodes, edges, groups: opts.groups ? opts.groups.map((g) => ({ ...g, nodes: [...g.nodes] })) : [] };
}

/** A loop node's body as a graph of its own, drawn once and marked "× tripCount". */
function loopInfo(e: Eqn, bodyKernels: readonly string[]): LoopInfo | null {
  if (e.prim === "scan") {
    const p = e.params as ScanParams;
    return { kind: "scan", tripCount: p.length, body: buildPassGraph(p.body), bodyKernels: [...bodyKernels] };
  }
  if (e.prim === "while") {
    const p = e.params as WhileParams;
    return { kind: "while", tripCount: null, body: buildPassGraph(p.body), bodyKernels: [...bodyKernels] };
  }
  return null;
}
