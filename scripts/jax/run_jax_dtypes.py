#!/usr/bin/env python3
"""jnp's dtype queries over the dtypes this runtime has (float32, int32, bool): issubdtype against
every abstract kind, isdtype against every array-API kind name, result_type of dtypes with weakly
typed Python numbers and bools, and can_cast under each casting rule. 64-bit types are off, as in
JAX by default.

Writes test/fixtures/jax/dtypes.json, replayed by test/unit/ops/dtypeKinds.test.ts.
Run:  $JAX_PYTHON scripts/jax/run_jax_dtypes.py   (~1 s)
"""
import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402

DTYPES = {"float32": jnp.float32, "int32": jnp.int32, "bool": jnp.bool_}
KINDS = {k: getattr(jnp, k) for k in ["generic", "number", "inexact", "floating", "complexfloating",
                                      "integer", "signedinteger", "unsignedinteger"]}
API_KINDS = ["bool", "signed integer", "unsigned integer", "integral", "real floating",
             "complex floating", "numeric"]
issub = [[d, k, bool(jnp.issubdtype(dt, kt))] for d, dt in DTYPES.items()
         for k, kt in {**KINDS, **DTYPES}.items()]
isdt = [[d, k, bool(jnp.isdtype(dt, k))] for d, dt in DTYPES.items() for k in API_KINDS]
isdt += [[d, ["bool", "real floating"], bool(jnp.isdtype(dt, ("bool", "real floating")))] for d, dt in DTYPES.items()]
# Arguments: a dtype name, or a Python number / bool (weakly typed). No float with an integer value
# (1.0): JavaScript reads it as 1, an int, as everywhere in this runtime.
ARGS = [["int32", 1], ["int32", 1.5], ["bool", 1], ["bool", 0.5], ["bool", True], [1, 2], [2.5], [True],
        [True, 1], ["int32", "float32"], ["bool", "int32"], ["float32", 2], ["int32", "bool", 2.5]]
res = [[a, str(jnp.result_type(*[DTYPES[x] if isinstance(x, str) else x for x in a]))] for a in ARGS]
cast = [[a, b, c, bool(jnp.can_cast(DTYPES[a], DTYPES[b], c))] for a in DTYPES for b in DTYPES
        for c in ["no", "equiv", "safe", "same_kind", "unsafe"]]
out = {"jax": jax.__version__, "issubdtype": issub, "isdtype": isdt, "result_type": res, "can_cast": cast}
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "jax", "dtypes.json")
with open(path, "w") as fh:
    json.dump(out, fh)
    fh.write("\n")
print(f"wrote {os.path.normpath(path)}: {len(issub)} issubdtype, {len(isdt)} isdtype, {len(res)} result_type, "
      f"{len(cast)} can_cast")
