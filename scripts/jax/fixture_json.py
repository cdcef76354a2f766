"""JSON for JAX fixtures: arrays as nested lists, NaN, ±inf and -0 as strings (JSON has none of
them), bools and ints as themselves. Imported by the run_jax_*.py scripts beside it."""
import math

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
