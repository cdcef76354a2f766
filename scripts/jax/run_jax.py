"""Runs the differential suite's programs in JAX and writes the expected results.

    python3 scripts/jax/run_jax.py            (after scripts/jax/generate.ts; see README.md)

Reads test/fixtures/jax/programs.json, runs every program in JAX twice, with float32 inputs
and in float64 (the same float32 input values, widened), and writes test/fixtures/jax/expected.json:
the float64 results and, per element, how far JAX's own float32 run landed from them. The replay
test (test/unit/jax/jaxFixtures.test.ts) derives its tolerance from those. Programs whose float32
run is not a faithful rounding of the float64 one (an argmax flipped by rounding, a result that is
not finite) are dropped and listed, since no float32 implementation could be held to them.
"""

import json
import math
import os
import sys

import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures", "jax")


def input_values(spec):
    """Mirror of inputValues in test/unit/jax/dsl.ts (same LCG, same exact scalings)."""
    n = int(np.prod(spec["shape"], dtype=np.int64))
    s = spec["seed"] & 0xFFFFFFFF
    out = []
    for _ in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        k = s >> 10
        if spec["dtype"] == "int32":
            out.append(spec["lo"] + (k % spec.get("span", 7)))
        else:
            out.append(spec["lo"] + k / (1 << 20))
    return out


def make_input(spec, fdtype):
    vals = input_values(spec)
    if spec["dtype"] == "int32":
        return jnp.array(np.array(vals, dtype=np.int32).reshape(spec["shape"]))
    return jnp.array(np.array(vals, dtype=np.float32).astype(fdtype).reshape(spec["shape"]))


def py_slice(starts, limits, strides):
    return tuple(slice(s, l, st) for s, l, st in zip(starts, limits, strides))


def run_ops(prog, args, fdtype, every=False, lengths=None):
    """The program's outputs (all its values with every=True); appends contraction lengths."""
    vals = list(args)

    def a(x):
        return x["lit"] if isinstance(x, dict) else vals[x]

    for op in prog["ops"]:
        name, xs = op["op"], [a(x) for x in op["args"]]
        x = xs[0]
        if name in ("add", "subtract", "multiply", "divide", "maximum", "minimum", "power", "greater", "less", "equal"):
            r = getattr(jnp, name)(xs[0], xs[1])
        elif name in ("negative", "abs", "square", "sqrt", "exp", "log", "sin", "cos", "tanh", "sign", "ravel"):
            r = getattr(jnp, name)(x)
        elif name in ("sum", "mean", "max", "min"):
            axis = op["axis"]
            r = getattr(jnp, name)(x, axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=op["keepdims"])
        elif name in ("argmax", "argmin"):
            r = getattr(jnp, name)(x, axis=op["axis"], keepdims=op["keepdims"])
        elif name == "relu":
            r = jax.nn.relu(x)
        elif name == "gelu":
            r = jax.nn.gelu(x, approximate=True)
        elif name == "sigmoid":
            r = jax.nn.sigmoid(x)
        elif name == "softmax":
            r = jax.nn.softmax(x, axis=op["axis"])
        elif name == "logSoftmax":
            r = jax.nn.log_softmax(x, axis=op["axis"])
        elif name == "logsumexp":
            r = jax.nn.logsumexp(x, axis=op["axis"], keepdims=op["keepdims"])
        elif name == "where":
            r = jnp.where(xs[0], xs[1], xs[2])
        elif name == "astype":
            r = x.astype(fdtype if op["dtype"] == "float32" else jnp.int32)
        elif name == "reshape":
            r = jnp.reshape(x, op["shape"])
        elif name == "transpose":
            r = jnp.transpose(x, op["perm"])
        elif name == "swapaxes":
            r = jnp.swapaxes(x, op["axis1"], op["axis2"])
        elif name == "expand_dims":
            r = jnp.expand_dims(x, op["axis"])
        elif name == "squeeze":
            r = jnp.squeeze(x, op["axis"])
        elif name == "broadcast_to":
            r = jnp.broadcast_to(x, op["shape"])
        elif name == "concatenate":
            r = jnp.concatenate(xs, axis=op["axis"])
        elif name == "stack":
            r = jnp.stack(xs, axis=op["axis"])
        elif name == "slice":
            r = x[py_slice(op["starts"], op["limits"], op["strides"])]
        elif name == "take":
            r = jnp.take(x, jnp.array(op["indices"]), axis=op["axis"])
        elif name in ("matmul", "dot"):
            r = getattr(jnp, name)(xs[0], xs[1])
        else:
            raise ValueError(f"unknown op {name}")
        if lengths is not None:
            lengths.append(contraction_length(op, x))
        vals.append(r)
    if every:
        return [v for v in vals if v.dtype != jnp.bool_]
    return [vals[o] for o in prog["outputs"]]


def contraction_length(op, x):
    """How many terms one result element of this op sums (1 for elementwise and layout ops)."""
    name, shape = op["op"], jnp.shape(x)
    if name in ("matmul", "dot"):
        return shape[-1] if len(shape) else 1
    if name in ("sum", "mean", "logsumexp", "softmax", "logSoftmax"):
        axis = op.get("axis")
        axes = range(len(shape)) if axis is None else axis if isinstance(axis, list) else [axis]
        return int(np.prod([shape[a] for a in axes], dtype=np.int64)) if len(shape) else 1
    return 1


def rounding_scale(prog):
    """(largest |value| the float64 primal run computes, longest contraction): the scale of the
    rounding a float32 evaluation accumulates, whatever order it sums in."""
    args = [make_input(s, jnp.float64) for s in prog["inputs"]]
    lengths = []
    f = lambda *xs: run_ops(prog, xs, jnp.float64, every=True, lengths=lengths)  # noqa: E731
    if prog["kind"] in ("vmap", "vmapgrad"):
        f = jax.vmap(f, in_axes=tuple(prog["inAxes"]))
    vals = jax.jit(f)(*args)
    biggest = max(float(jnp.max(jnp.abs(v))) if v.size else 0.0 for v in vals)
    return g2(biggest), max(lengths, default=1)


def transformed(prog, fdtype):
    kind = prog["kind"]
    f = lambda *xs: run_ops(prog, xs, fdtype)  # noqa: E731
    if kind in ("value", "error"):
        return f
    scalar = lambda *xs: f(*xs)[0]  # noqa: E731
    if kind == "grad":
        return lambda *xs: list(jax.grad(scalar, argnums=tuple(prog["argnums"]))(*xs))
    if kind == "vmap":
        return jax.vmap(f, in_axes=tuple(prog["inAxes"]))
    if kind == "vmapgrad":
        g = jax.grad(scalar, argnums=tuple(prog["argnums"]))
        return jax.vmap(lambda *xs: list(g(*xs)), in_axes=tuple(prog["inAxes"]))
    raise ValueError(kind)


def run_program(prog, fdtype):
    # Under jax.jit: one XLA compilation per program instead of one per op and shape (eager JAX
    # compiles every op for every new shape, which made a run take most of an hour).
    args = [make_input(s, fdtype) for s in prog["inputs"]]
    return list(jax.jit(transformed(prog, fdtype))(*args))


def g9(v):
    """Nine significant digits: float32 needs at most 9 to round-trip; the file stays small."""
    return float(f"{v:.9g}")


def g2(v):
    return 0 if v == 0 else float(f"{v:.2g}")


def describe(prog):
    inputs = []
    for spec in prog["inputs"]:
        v = np.array(input_values(spec), dtype=np.float64)
        if spec["dtype"] == "float32":
            v = v.astype(np.float32).astype(np.float64)
        inputs.append({"sum": g9(float(v.sum())), "head": [g9(float(x)) for x in v[:3]]})
    return inputs


def main():
    with open(os.path.join(FIXTURES, "programs.json")) as fh:
        data = json.load(fh)
    expected, dropped = [], []
    for n, prog in enumerate(data["programs"]):
        if n % 40 == 0:
            print(f"{n}/{len(data['programs'])}", file=sys.stderr, flush=True)
            jax.clear_caches()
        entry = {"id": prog["id"], "inputCheck": describe(prog)}
        if prog["kind"] == "error":
            try:
                run_program(prog, jnp.float64)
            except Exception as e:  # JAX raises TypeError/ValueError for these
                entry["jaxError"] = type(e).__name__
                expected.append(entry)
            else:
                dropped.append({"id": prog["id"], "reason": "JAX did not raise for this invalid program"})
            continue
        try:
            y64 = run_program(prog, jnp.float64)
            y32 = run_program(prog, jnp.float32)
        except Exception as e:
            dropped.append({"id": prog["id"], "reason": f"JAX raised {type(e).__name__}: {str(e).splitlines()[0]}"})
            continue
        outs, why = [], None
        for a64, a32 in zip(y64, y32):
            a64, a32 = np.asarray(a64), np.asarray(a32)
            kind = "bool" if a64.dtype == np.bool_ else "int" if np.issubdtype(a64.dtype, np.integer) else "float"
            f64, f32 = a64.astype(np.float64).ravel(), a32.astype(np.float64).ravel()
            if not np.all(np.isfinite(f64)):
                why = "a result is not finite"
            elif kind != "float" and not np.array_equal(f64, f32):
                why = "an integer result differs between JAX's float32 and float64 runs (a tie broken by rounding)"
            outs.append({"shape": list(a64.shape), "dtype": kind, "y": [g9(v) for v in f64], "err32": [g2(abs(p - q)) for p, q in zip(f32, f64)]})
        if why:
            dropped.append({"id": prog["id"], "reason": why})
            continue
        entry["outputs"] = outs
        entry["scale"], entry["contraction"] = rounding_scale(prog)
        expected.append(entry)
    out = {"generated": f"scripts/jax (seed {data.get('seed')})", "jax": jax.__version__, "expected": expected, "dropped": dropped}
    with open(os.path.join(FIXTURES, "expected.json"), "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(expected)} programs with JAX results, {len(dropped)} dropped", file=sys.stderr)
    for d in dropped:
        print(f"  dropped {d['id']}: {d['reason']}", file=sys.stderr)


if __name__ == "__main__":
    main()
