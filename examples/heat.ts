// Heat diffusion on a 64×64 plate: each step replaces the interior with the average of its four
// neighbours (shifted slices of the padded grid) while the hot left edge stays fixed: one
// `.at("1:-1", "1:-1").set(...)` per step, fused with the stencil into one kernel under jit.
import { np, jit } from "jitscope";

const N = 64;
let u = np.zeros([N, N]).at(null, 0).set(100); // the left edge is held at 100°

const step = jit(
  (u: np.ArrayLike) => {
    const g = u as ReturnType<typeof np.zeros>;
    const up = g.at(":-2", "1:-1").get(),
      down = g.at("2:", "1:-1").get();
    const left = g.at("1:-1", ":-2").get(),
      right = g.at("1:-1", "2:").get();
    const mean = np.multiply(np.add(np.add(up, down), np.add(left, right)), 0.25);
    return g.at("1:-1", "1:-1").set(mean);
  },
  { donate_argnums: 0 }, // each step's grid replaces the last's
);

for (let i = 1; i <= 200; i++) {
  u = step(u);
  if (i % 50 === 0) {
    const row = (await u
      .at(N / 2)
      .get()
      .toArray()) as number[];
    console.log(
      `step ${i}: temperature 1, 2, 4 cells from the edge: ${row[1]!.toFixed(3)}, ${row[2]!.toFixed(3)}, ${row[4]!.toFixed(3)}`,
    );
  }
}
