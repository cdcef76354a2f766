// Runs a differential-suite program (dsl.ts) through the public API, as a user's code would:
// each op is one call of np / nn, and grad / vmap / jit wrap the whole function. Each call site
// below is on its own line so an error's location can be checked to be that line.
import { grad, jit, nn, np, vmap } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { inputValues, type Arg, type OpSpec, type Program } from "./dsl.js";

type Value = Tracer;

/** One op of the program on already computed values. */
function apply(op: OpSpec, vals: readonly Value[]): Value {
  const a = (x: Arg): Value | number => (typeof x === "number" ? vals[x]! : x.lit);
  const v = (x: number): Value => vals[x]!;
  switch (op.op) {
    case "add":
      return np.add(a(op.args[0]), a(op.args[1]));
    case "subtract":
      return np.subtract(a(op.args[0]), a(op.args[1]));
    case "multiply":
      return np.multiply(a(op.args[0]), a(op.args[1]));
    case "divide":
      return np.divide(a(op.args[0]), a(op.args[1]));
    case "maximum":
      return np.maximum(a(op.args[0]), a(op.args[1]));
    case "minimum":
      return np.minimum(a(op.args[0]), a(op.args[1]));
    case "power":
      return np.power(a(op.args[0]), a(op.args[1]));
    case "greater":
      return np.greater(a(op.args[0]), a(op.args[1]));
    case "less":
      return np.less(a(op.args[0]), a(op.args[1]));
    case "equal":
      return np.equal(a(op.args[0]), a(op.args[1]));
    case "negative":
      return np.negative(v(op.args[0]));
    case "abs":
      return np.abs(v(op.args[0]));
    case "square":
      return np.square(v(op.args[0]));
    case "sqrt":
      return np.sqrt(v(op.args[0]));
    case "exp":
      return np.exp(v(op.args[0]));
    case "log":
      return np.log(v(op.args[0]));
    case "sin":
      return np.sin(v(op.args[0]));
    case "cos":
      return np.cos(v(op.args[0]));
    case "tanh":
      return np.tanh(v(op.args[0]));
    case "sign":
      return np.sign(v(op.args[0]));
    case "ravel":
      return np.ravel(v(op.args[0]));
    case "relu":
      return nn.relu(v(op.args[0]));
    case "gelu":
      return nn.gelu(v(op.args[0]));
    case "sigmoid":
      return nn.sigmoid(v(op.args[0]));
    case "sum":
      return np.sum(v(op.args[0]), op.axis, { keepdims: op.keepdims });
    case "mean":
      return np.mean(v(op.args[0]), op.axis, { keepdims: op.keepdims });
    case "max":
      return np.max(v(op.args[0]), op.axis, { keepdims: op.keepdims });
    case "min":
      return np.min(v(op.args[0]), op.axis, { keepdims: op.keepdims });
    case "argmax":
      return np.argmax(v(op.args[0]), op.axis, { keepdims: op.keepdims });
    case "argmin":
      return np.argmin(v(op.args[0]), op.axis, { keepdims: op.keepdims });
    case "softmax":
      return nn.softmax(v(op.args[0]), op.axis);
    case "logSoftmax":
      return nn.logSoftmax(v(op.args[0]), op.axis);
    case "logsumexp":
      return nn.logsumexp(v(op.args[0]), op.axis, { keepdims: op.keepdims });
    case "where":
      return np.where(v(op.args[0]), a(op.args[1]), a(op.args[2]));
    case "astype":
      return np.astype(v(op.args[0]), op.dtype);
    case "reshape":
      return np.reshape(v(op.args[0]), op.shape);
    case "transpose":
      return np.transpose(v(op.args[0]), op.perm);
    case "swapaxes":
      return np.swapaxes(v(op.args[0]), op.axis1, op.axis2);
    case "expand_dims":
      return np.expand_dims(v(op.args[0]), op.axis);
    case "squeeze":
      return np.squeeze(v(op.args[0]), op.axis);
    case "broadcast_to":
      return np.broadcast_to(v(op.args[0]), op.shape);
    case "concatenate":
      return np.concatenate(op.args.map(v), op.axis);
    case "stack":
      return np.stack(op.args.map(v), op.axis);
    case "slice":
      return np.slice(v(op.args[0]), op.starts, op.limits, op.strides);
    case "take":
      return np.take(v(op.args[0]), op.indices, op.axis);
    case "matmul":
      return np.matmul(v(op.args[0]), v(op.args[1]));
    case "dot":
      return np.dot(v(op.args[0]), v(op.args[1]));
    default:
      return op satisfies never;
  }
}

/** The program as a JS function of its inputs, returning its outputs. */
export function programFunction(p: Program): (...xs: Value[]) => Value[] {
  return (...xs) => {
    const vals: Value[] = [...xs];
    for (const op of p.ops) vals.push(apply(op, vals));
    return p.outputs.map((o) => vals[o]!);
  };
}

export function programInputs(p: Program): Value[] {
  return p.inputs.map((s) => np.reshape(np.array(inputValues(s), { dtype: s.dtype }), s.shape));
}

/** Runs the program's transformation (eager, or under jit) and returns its result leaves. */
export function runProgram(p: Program, useJit: boolean): Value[] {
  const f = programFunction(p);
  const scalar = (...xs: Value[]): Value => f(...xs)[0]!;
  let g: (...xs: Value[]) => Value[];
  switch (p.kind) {
    case "value":
    case "error":
      g = f;
      break;
    case "grad":
      g = (...xs) => grad(scalar, p.argnums!)(...xs) as unknown as Value[];
      break;
    case "vmap":
      g = vmap(f, p.inAxes!);
      break;
    case "vmapgrad":
      g = vmap((...xs: Value[]) => grad(scalar, p.argnums!)(...xs) as unknown as Value[], p.inAxes!);
      break;
    default:
      return p.kind satisfies never;
  }
  const args = programInputs(p);
  return useJit ? jit(g)(...args) : g(...args);
}
