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
  type FusionReport,
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
  /** Loop equation id → report ids of the kernels its body compiled to (from fuse on). */
  loopKernels?: ReadonlyMap<number, readonly string[]>;
  /** Loop equation id → its body as compiled, with the body's fusion report (from fuse on);
   *  a loop without one is drawn with its body as traced. */
  loopBodies?: ReadonlyMap<number, CompiledBody>;
}

/** A loop body after its own pipeline: its graph (ops in kernels) and why they are grouped so;
 *  a while loop's condition the same way. */
export interface CompiledBody {
  readonly graph: PassGraph;
  readonly fusion: FusionReport;
  readonly cond?: { readonly graph: PassGraph; readonly fusion: FusionReport };
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
    const loop = loopInfo(e, opts.loopKernels?.get(e.id) ?? [], opts.loopBodies?.get(e.id));
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

/** A loop node's body as a graph of its own, drawn once and marked "× tripCount": as compiled
 *  where it has been, else as traced. */
function loopInfo(e: Eqn, bodyKernels: readonly string[], compiled: CompiledBody | undefined): LoopInfo | null {
  if (e.prim !== "scan" && e.prim !== "while") return null;
  const p = e.params as ScanParams | WhileParams;
  return {
    kind: e.prim,
    tripCount: e.prim === "scan" ? (p as ScanParams).length : null,
    body: withBodyEnds(compiled?.graph ?? buildPassGraph(p.body), e),
    bodyKernels: [...bodyKernels],
    ...(compiled ? { bodyFusion: compiled.fusion } : {}),
    ...(e.prim === "while"
      ? { cond: withCondEnds(compiled?.cond?.graph ?? buildPassGraph((p as WhileParams).cond), e) }
      : {}),
    ...(compiled?.cond ? { condFusion: compiled.cond.fusion } : {}),
  };
}

/** A while condition's inputs "const i" and "carry i", its output "continue". */
function withCondEnds(cond: PassGraph, e: Eqn): PassGraph {
  const consts = (e.params as WhileParams).condConsts;
  const nodes = cond.nodes.map((n) => {
    if (n.kind === "output") return { ...n, label: "continue" };
    const m = /^in(\d+)$/.exec(n.id);
    if (!m || n.kind !== "input") return n;
    const i = Number(m[1]);
    return { ...n, label: i < consts ? `const ${i}` : `carry ${i - consts}` };
  });
  return { ...cond, nodes };
}

/** A body's inputs and outputs named by what they are to the loop: "const 0" (read every
 *  iteration), "carry 0" (in and out), and a scan's "x 0" / "y 0" (row t of an xs, of a ys). */
function withBodyEnds(body: PassGraph, e: Eqn): PassGraph {
  const scan = e.prim === "scan" ? (e.params as ScanParams) : null;
  const consts = scan ? scan.numConsts : (e.params as WhileParams).bodyConsts;
  const carry = scan ? scan.numCarry : e.outputs.length;
  const inputName = (i: number): string =>
    i < consts ? `const ${i}` : i < consts + carry ? `carry ${i - consts}` : `x ${i - consts - carry}`;
  const outputName = (i: number): string => (i < carry ? `carry ${i}` : `y ${i - carry}`);
  const nodes = body.nodes.map((n) => {
    const m = /^(in|out)(\d+)$/.exec(n.id);
    if (!m || (n.kind !== "input" && n.kind !== "output")) return n;
    return { ...n, label: (m[1] === "in" ? inputName : outputName)(Number(m[2])) };
  });
  return { ...body, nodes };
}
