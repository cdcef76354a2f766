"""jax.nn.dot_product_attention, for test/unit/ops/attention.test.ts: outputs and gradients.

    /work/venv-jax/bin/python scripts/jax/run_jax_attention.py

Writes test/fixtures/jax/attention.json: each case's inputs (NumPy's seeded generator), options,
the output (and the residual where asked), and the gradients of sum(output · w) in query, key,
value (and bias) for a fixed w.
"""

import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "attention.json")
rng = np.random.default_rng(5)
f32 = lambda *s: np.asarray(rng.normal(size=s), np.float32)  # noqa: E731


def case(q, k, v, bias=None, mask=None, grad=True, **opts):
    return {"q": q, "k": k, "v": v, "bias": bias, "mask": mask, "opts": opts, "grad": grad}


CASES = {
    "plain": case(f32(2, 5, 4, 8), f32(2, 6, 4, 8), f32(2, 6, 4, 8)),
    "causal": case(f32(2, 5, 2, 4), f32(2, 5, 2, 4), f32(2, 5, 2, 4), is_causal=True),
    "gqa_mask_bias": case(
        f32(1, 4, 4, 8),
        f32(1, 6, 2, 8),
        f32(1, 6, 2, 8),
        bias=f32(1, 4, 4, 6),
        mask=np.asarray(rng.random(size=(1, 1, 4, 6)) > 0.3),
    ),
    "no_batch_scale": case(f32(5, 2, 4), f32(7, 2, 4), f32(7, 2, 4), scale=0.25),
    "seq_lengths": case(
        f32(3, 4, 2, 4),
        f32(3, 5, 2, 4),
        f32(3, 5, 2, 4),
        query_seq_lengths=np.asarray([4, 2, 3], np.int32),
        key_value_seq_lengths=np.asarray([5, 3, 1], np.int32),
    ),
    "window_residual": case(
        f32(1, 6, 2, 4),
        f32(1, 6, 2, 4),
        f32(1, 6, 2, 4),
        grad=False,
        local_window_size=(2, 1),
        return_residual=True,
    ),
    # Query row 0 may attend no key: its logits are all the large negative, its weights uniform.
    "fully_masked_row": case(
        f32(1, 4, 1, 4),
        f32(1, 4, 1, 4),
        f32(1, 4, 1, 4),
        mask=np.asarray([[[[False] * 4, [True, False, True, True], [True] * 4, [False, False, True, False]]]]),
    ),
}


def listed(x):
    return None if x is None else np.asarray(x).tolist()


def main():
    out = {}
    for name, c in CASES.items():
        opts = dict(c["opts"])
        for key in ("query_seq_lengths", "key_value_seq_lengths"):
            if key in opts:
                opts[key] = jnp.asarray(opts[key])
        f = lambda q, k, v, b: jax.nn.dot_product_attention(q, k, v, b, c["mask"], **opts)  # noqa: E731
        res = f(c["q"], c["k"], c["v"], c["bias"])
        entry = {
            "inputs": {key: listed(c[key]) for key in ("q", "k", "v", "bias", "mask")},
            "opts": {key: listed(val) if isinstance(val, np.ndarray) else val for key, val in c["opts"].items()},
        }
        if opts.get("return_residual"):
            entry["out"], entry["residual"] = listed(res[0]), listed(res[1])
        else:
            entry["out"] = listed(res)
        if c["grad"]:
            w = np.asarray(np.cos(np.arange(np.asarray(res).size)).reshape(np.asarray(res).shape), np.float32)
            argnums = (0, 1, 2, 3) if c["bias"] is not None else (0, 1, 2)
            gs = jax.grad(lambda q, k, v, b: jnp.sum(f(q, k, v, b) * w), argnums=argnums)(
                c["q"], c["k"], c["v"], c["bias"]
            )
            entry["grads"] = [listed(g) for g in gs]
        out[name] = entry
    with open(OUT, "w") as fh:
        json.dump({"jax": jax.__version__, "cases": out}, fh)
        fh.write("\n")
    print(f"wrote {OUT}: {len(out)} cases")


if __name__ == "__main__":
    main()
