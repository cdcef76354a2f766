"""JSON for JAX fixtures: arrays as nested lists, NaN, ±inf and -0 as strings (JSON has none of
them), bools and ints as themselves. Imported by the run_jax_*.py scripts beside it."""
import json
import math
import os

import jax
import numpy as np


def enc(v):
    if isinstance(v, (np.ndarray, jax.Array)):
        return enc(np.asarray(v).tolist())
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1, v) < 0:
        return "-0"
    return v


class Cases:
    """Named cases, each its inputs and JAX's output, written as test/fixtures/jax/<name>.json
    ({"jax": version, "cases": {...}}) for fixtureCases(name) in the tests to replay."""

    def __init__(self):
        self.cases = {}

    def __call__(self, name, inputs, out):
        """One case per output: a function returning several arrays stores `name_0`, `name_1`, …"""
        ins = [enc(np.asarray(i)) for i in inputs]
        if isinstance(out, (list, tuple)):
            for k, o in enumerate(out):
                self.cases[f"{name}_{k}"] = {"inputs": ins, "expect": enc(np.asarray(o))}
        else:
            self.cases[name] = {"inputs": ins, "expect": enc(np.asarray(out))}

    def write(self, name):
        out = os.path.join(os.path.dirname(__file__), f"../../test/fixtures/jax/{name}.json")
        with open(out, "w") as fh:
            json.dump({"jax": jax.__version__, "cases": self.cases}, fh, indent=None, separators=(",", ":"))
            fh.write("\n")
        print(f"wrote {len(self.cases)} cases to {os.path.normpath(out)}")
