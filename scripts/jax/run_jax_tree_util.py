#!/usr/bin/env python3
"""The rest of jax.tree_util, on trees of ints, lists, dicts (keys written sorted, as JAX keeps
them) and None: tree.all, all_leaves, is_tree_node; each treedef's str, num_leaves, num_nodes,
treedef_is_leaf and children; treedef_tuple; flatten_one_level(_with_keys); tree.transpose
(given and inferred inner treedefs, and JAX's Mismatch message); tree.broadcast (and the trees it
refuses); reduce_associative's pairing order for 0 to 8 leaves (an op that writes its
parentheses); keystr of DictKey / SequenceKey / GetAttrKey / FlattenedIndexKey, plain and simple;
register_pytree_with_keys_class and register_static nodes' paths and counts; the public names of
jax.tree and jax.tree_util.

Writes test/fixtures/jax/tree_util.json, read by test/unit/transforms/treeUtilExtras.test.ts.
Run:  $JAX_PYTHON scripts/jax/run_jax_tree_util.py   (~1 s)
"""
import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
from jax import tree_util as tu  # noqa: E402


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the message is the expected value
        return f"{type(e).__name__}: {e}"
    raise AssertionError("expected an error")


def plain(x):
    """Tuples as lists, so JSON holds what JAX returned."""
    if isinstance(x, (list, tuple)):
        return [plain(c) for c in x]
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    return x


out = {}

out["all"] = [
    {"tree": t, "expect": jax.tree.all(t)}
    for t in [[], None, [1, 2, {"a": 3}], [1, 0], {"a": True, "b": [True, False]}, {"a": [True, None]}, [[[0]]]]
]

out["all_leaves"] = [
    {"items": t, "expect": tu.all_leaves(t)} for t in [[1, 2], [], [None], [[1]], [1, {"a": 2}], [{}]]
]

structures = [1, None, [], {}, [1, None, {"a": 2, "b": [3, 4]}], {"x": [[1], [2, 3]], "y": None}, [[[]]]]
out["structures"] = []
for t in structures:
    s = jax.tree.structure(t)
    out["structures"].append({
        "tree": t,
        "str": str(s),
        "num_leaves": s.num_leaves,
        "num_nodes": s.num_nodes,
        "is_leaf": tu.treedef_is_leaf(s),
        "children": [str(c) for c in tu.treedef_children(s)],
        "paths": [tu.keystr(p) for p, _ in tu.tree_leaves_with_path(t)],
    })

tuple_of = [[1, 2], {"a": 1}, None]
out["treedef_tuple"] = {"trees": tuple_of, "str": str(tu.treedef_tuple([jax.tree.structure(t) for t in tuple_of]))}
out["compose"] = str(jax.tree.structure([0, 0]).compose(jax.tree.structure({"a": 0, "b": None})))

out["flatten_one_level"] = []
for t in [{"a": {"c": 3}, "b": [1, 2]}, [1, [2]], None]:
    children, meta = tu.flatten_one_level(t)
    keyed, _ = tu.flatten_one_level_with_keys(t)
    out["flatten_one_level"].append({
        "tree": t,
        "children": plain(list(children)),
        "meta": plain(meta),
        "keys": [tu.keystr((k,)) for k, _ in keyed],
    })
out["flatten_one_level_leaf"] = err(lambda: tu.flatten_one_level(1))

# Each transpose case: example trees whose structures are the outer and inner treedefs.
transposes = [
    ([0, 0], {"a": 0, "b": 0}, [{"a": 1, "b": 2}, {"a": 3, "b": 4}]),
    ([0, 0], None, [{"a": 1, "b": 2}, {"a": 3, "b": 4}]),
    ({"p": 0, "q": 0, "r": 0}, [0, [0, 0]], {"p": [1, [2, 3]], "q": [4, [5, 6]], "r": [7, [8, 9]]}),
    ([0, 0], None, [[1, [2, 3]], [4, [5, 6]]]),
    (0, None, {"a": 1, "b": 2}),
    ([0, None, [0]], [0, 0], [[1, 2], None, [[3, 4]]]),
]
out["transpose"] = [
    {
        "outer": o,
        "inner": i,
        "tree": t,
        "expect": plain(jax.tree.transpose(jax.tree.structure(o), None if i is None else jax.tree.structure(i), t)),
    }
    for o, i, t in transposes
]
out["transpose_mismatch"] = {
    "outer": [0, 0],
    "inner": {"a": 0, "b": 0},
    "tree": [{"a": 1, "b": 2}, {"a": 3}],
    "message": err(
        lambda: jax.tree.transpose(
            jax.tree.structure([0, 0]), jax.tree.structure({"a": 0, "b": 0}), [{"a": 1, "b": 2}, {"a": 3}]
        )
    ),
}

out["broadcast"] = [
    {"prefix": p, "full": f, "expect": plain(jax.tree.broadcast(p, f))}
    for p, f in [
        ([1, {"a": 2}], [[5, 6], {"a": {"x": 7, "y": [8]}}]),
        (1, {"a": [1, 2], "b": None}),
        ([None, 1], [None, [2, 3]]),
        ({"a": 1, "b": [2, 3]}, {"a": [[0, 0], 0], "b": [0, {"k": 0}]}),
        ([], []),
    ]
]
out["broadcast_errors"] = [
    {"prefix": p, "full": f, "message": err(lambda p=p, f=f: jax.tree.broadcast(p, f))}
    for p, f in [([1, 2], [1, 2, 3]), ({"a": 1}, {"b": 1}), ([None, 1], [[4], [2, 3]]), ([[1, 2]], [3])]
]

paren = lambda a, b: f"({a}+{b})"  # noqa: E731
letters = "abcdefgh"
out["reduce_associative"] = [
    {"leaves": list(letters[:n]), "expect": jax.tree.reduce_associative(paren, list(letters[:n]))} for n in range(1, 9)
]
out["reduce_associative_empty"] = {
    "identity": jax.tree.reduce_associative(paren, [], identity="e"),
    "message": err(lambda: jax.tree.reduce_associative(paren, [])),
}

path = (tu.DictKey("w"), tu.SequenceKey(0), tu.GetAttrKey("x"), tu.FlattenedIndexKey(2), tu.DictKey(1),
        tu.DictKey("it's"))
out["keystr"] = {
    "plain": tu.keystr(path),
    "simple": tu.keystr(path, simple=True, separator="/"),
    "dict_key": [str(tu.DictKey("w")), tu.DictKey("w").key],
    "sequence_key": [str(tu.SequenceKey(3)), tu.SequenceKey(3).idx],
}


@tu.register_pytree_with_keys_class
class Pair:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def tree_flatten_with_keys(self):
        return (((tu.GetAttrKey("x"), self.x), (tu.DictKey("yy"), self.y)), "aux")

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children)


@tu.register_static
class Op:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Op) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


keyed = {"p": Pair(1, [2, 3]), "op": Op("add")}
s = jax.tree.structure(keyed)
out["registered"] = {
    "paths": [tu.keystr(p) for p, _ in tu.tree_leaves_with_path(keyed)],
    "leaves": jax.tree.leaves(keyed),
    "num_leaves": s.num_leaves,
    "num_nodes": s.num_nodes,
    "op_num_nodes": jax.tree.structure(Op("add")).num_nodes,
    "op_is_leaf": tu.treedef_is_leaf(jax.tree.structure(Op("add"))),
    "pair_one_level_keys": [tu.keystr((k,)) for k, _ in tu.flatten_one_level_with_keys(Pair(1, [2]))[0]],
    "pair_one_level_meta": tu.flatten_one_level(Pair(1, [2]))[1],
    # jit with the static node as an argument: x + 1 for "add", x - 1 otherwise.
    "jit_add": float(jax.jit(lambda op, x: x + 1 if op.name == "add" else x - 1)(Op("add"), 1.0)),
    "jit_sub": float(jax.jit(lambda op, x: x + 1 if op.name == "add" else x - 1)(Op("sub"), 1.0)),
}
types = {"list": list, "dict": dict, "none": type(None), "int": int, "pair": Pair, "op": Op}
out["is_tree_node"] = {name: tu.is_tree_node(t) for name, t in types.items()}

# The public names, for the test to check each is exported (or left out on purpose).
out["names"] = {
    "tree": [n for n in dir(jax.tree) if not n.startswith("_")],
    "tree_util": [n for n in dir(tu) if not n.startswith("_")],
}

dest = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/tree_util.json")
with open(dest, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": out}, fh, indent=1)
    fh.write("\n")
print(f"wrote {len(out)} groups to {os.path.normpath(dest)}")
