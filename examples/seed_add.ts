// The experiment of "Just-in-time compilation and JAX" (the seed post): add two scalars N times,
// eagerly and through jit, and see after how many calls jit's compile time has paid for itself.
// Run: npx jitscope profile examples/seed_add.ts
import { np, jit, profile } from "jitscope";

function add(a: np.ArrayLike, b: np.ArrayLike) {
  return np.add(a, b);
}

const a = np.array(1.0);
const b = np.array(2.0);

const addJitted = jit(add);
console.log("add(1, 2) =", await addJitted(a, b).toArray());

const result = await profile.sweep("add", add, [a, b], { calls: [10, 100, 1000, 10000] });

console.log("calls      eager ms    jit ms (incl. compile)");
for (const p of result.points) {
  console.log(`${String(p.calls).padEnd(10)} ${p.eagerMs.toFixed(2).padStart(9)} ${p.jitMs.toFixed(2).padStart(9)}`);
}
console.log(`compile: ${result.compileMs.toFixed(2)} ms; jit pays off after ${result.breakEvenCalls ?? "never"} calls`);
