// Prints a Program as jaxpr-like text:
//   { lambda a:f32[2,3] b:f32[3] .
//     let c:f32[2,3] = broadcast[shape=[2,3], dims=[1]] b    # mlp.ts:12
//         d:f32[2,3] = add a c                               # mlp.ts:12
//     in (d) }
// Variable names are derived from order of appearance (a, b, …, z, ba, …), so the text of a
// program does not depend on the ids a pass happened to allocate. Locations are trailing
// comments (basename:line) so a reader sees which line made each op.

import {
  avalToString,
  subPrograms,
  type Atom,
  type Eqn,
  type Lit,
  type Program,
  type SourceLocation,
  type Var,
} from "./types.js";

/** Marks a line of a nested body (printed verbatim, outside the location column). */
const NESTED = "\u0001";

/** A loop's params as printed: its sizes, not its programs (printed below it). */
function loopParamsShown(e: Eqn): object {
  if (e.prim === "scan") {
    const { length, numConsts, numCarry, reverse } = e.params as {
      length: number;
      numConsts: number;
      numCarry: number;
      reverse: boolean;
    };
    return { length, consts: numConsts, carry: numCarry, ...(reverse ? { reverse } : {}) };
  }
  if (e.prim === "while") {
    const { condConsts, bodyConsts } = e.params as { condConsts: number; bodyConsts: number };
    return { cond_consts: condConsts, body_consts: bodyConsts };
  }
  return e.params;
}

export interface PrintOptions {
  /** Append `# file.ts:line` to each equation (default true). */
  locations?: boolean;
  /** From the fuse pass on: print equations kernel by kernel, each under a `# …` header line
   *  (an equation recomputed in two kernels appears under both). */
  sections?: readonly { header: string; eqns: readonly Eqn[] }[];
  /** Extra `# …` lines after the program (fusion boundaries). */
  footer?: readonly string[];
}

export function nameForIndex(i: number): string {
  // 0 → a, 25 → z, 26 → ba, 27 → bb … (jax's scheme: no single-letter collision with "ba")
  let s = "";
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

export function formatLit(l: Lit): string {
  const v = l.value;
  if (l.aval.dtype === "bool") return v ? "true" : "false";
  if (l.aval.dtype === "int32") return String(Math.trunc(v));
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

function formatParamValue(v: unknown): string {
  if (v !== null && typeof v === "object" && "eqns" in v) return `{${(v as Program).eqns.length} eqns}`; // a loop body
  if (Array.isArray(v)) return `[${v.map(formatParamValue).join(",")}]`;
  if (typeof v === "string") return v;
  return String(v);
}

export function formatParams(params: object): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "";
  return `[${entries.map(([k, v]) => `${k}=${formatParamValue(v)}`).join(", ")}]`;
}

export function shortLocation(loc: SourceLocation | null): string {
  if (!loc) return "";
  const base = loc.file.split(/[\\/]/).pop() ?? loc.file;
  return `${base}:${loc.line}`;
}

/** The names of the vars a program defines, per program (Programs are immutable): a compile
 *  names each program for its text, its graph and the kernel plans, up to 14 times. */
const definedNames = new WeakMap<Program, ReadonlyMap<number, string>>();

/** Names every Var of a program by order of appearance (a var it does not define gets the next
 *  name, per call). */
export function namer(program: Program): (v: Var) => string {
  let names = definedNames.get(program);
  if (!names) {
    const m = new Map<number, string>();
    const define = (v: Var): void => {
      if (!m.has(v.id)) m.set(v.id, nameForIndex(m.size));
    };
    for (const v of program.inputs) define(v);
    for (const e of program.eqns) for (const o of e.outputs) define(o);
    definedNames.set(program, (names = m));
  }
  const defined = names;
  const extra = new Map<number, string>();
  return (v: Var): string => {
    let n = defined.get(v.id) ?? extra.get(v.id);
    if (n === undefined) {
      n = nameForIndex(defined.size + extra.size);
      extra.set(v.id, n);
    }
    return n;
  };
}

export function printProgram(program: Program, opts: PrintOptions = {}): string {
  const withLoc = opts.locations ?? true;
  const name = namer(program);
  const atom = (a: Atom): string => (a.kind === "lit" ? formatLit(a) : name(a));
  const decl = (v: Var): string => `${name(v)}:${avalToString(v.aval)}`;

  const header = `{ lambda ${program.inputs.map(decl).join(" ")} .`;
  const body: string[] = [];
  const order: Eqn[] = [];
  const sections = opts.sections ?? [{ header: "", eqns: program.eqns }];
  for (const s of sections) {
    if (s.header) body.push(`# ${s.header}`);
    for (const e of s.eqns) {
      const lhs = e.outputs.map(decl).join(" ");
      const rhs = [`${e.prim}${formatParams(loopParamsShown(e))}`, ...e.inputs.map(atom)].join(" ");
      body.push(`${lhs} = ${rhs}`);
      order.push(e);
      // A loop's body programs follow it, indented (as a jaxpr prints its sub-jaxprs).
      const subs = subPrograms(e);
      subs.forEach((p, k) => {
        const label = e.prim === "while" ? (k === 0 ? "cond" : "body") : "body";
        for (const line of `${label} = ${printProgram(p, { locations: withLoc })}`.split("\n"))
          body.push(`${NESTED}          ${line}`);
      });
    }
  }
  // Align the location comments in one column.
  const width = Math.max(0, ...body.map((l) => (l.startsWith("#") || l.startsWith(NESTED) ? 0 : l.length)));
  const lines: string[] = [header];
  let i = 0;
  let first = true;
  for (const l of body) {
    if (l.startsWith("#")) {
      lines.push(`    ${l}`);
      continue;
    }
    if (l.startsWith(NESTED)) {
      lines.push(l.slice(NESTED.length));
      continue;
    }
    const e = order[i++]!;
    const loc = withLoc ? shortLocation(e.location) : "";
    const text = `${first ? "  let " : "      "}${l}`;
    first = false;
    lines.push(loc ? `${text.padEnd(width + 6)}  # ${loc}` : text);
  }
  if (program.eqns.length === 0) lines.push("  let");
  lines.push(`  in (${program.outputs.map(atom).join(", ")}) }`);
  for (const f of opts.footer ?? []) lines.push(`# ${f}`);
  return lines.join("\n");
}
