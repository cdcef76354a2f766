// vmap of a lax loop batches its body by re-tracing it through an internal function: the body's
// ops keep the scopes the user's code gave them, with no scope of that internal function.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, lax, config, vmap } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });

const stacksOf = (eqns: readonly { prim: string; nameStack: readonly string[] }[]) =>
  eqns.map((e) => `${e.prim}: ${e.nameStack.join("/")}`);

test("vmap of a scan adds no internal vmap(fn) scope: the body's ops sit under the user's vmap(chain)/scan", async () => {
  function chain(x: Tracer): Tracer {
    const step = (c: Tracer, _: null): [Tracer, Tracer] => [np.sin(c), np.cos(c)];
    return lax.scan(step, x, null, { length: 3 })[1];
  }
  const run = jit(function run(xs: Tracer) {
    return vmap(chain)(xs);
  });
  const lowered = await run.lower(np.ones([4, 2]));
  const loop = lowered.program.eqns.find((e) => e.prim === "scan")!;
  assert.deepEqual(loop.nameStack, ["run", "vmap(chain)"]);
  const body = (loop.params as { body: { eqns: readonly { prim: string; nameStack: readonly string[] }[] } }).body;
  const stacks = stacksOf(body.eqns.filter((e) => e.prim === "sin" || e.prim === "cos"));
  assert.deepEqual(stacks, ["sin: run/vmap(chain)/scan", "cos: run/vmap(chain)/scan"]);
});
