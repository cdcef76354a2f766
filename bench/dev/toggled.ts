// What the dev benches of one compiler choice share: the same jitted call compiled with the choice
// off and on, both results checked equal bit for bit (the choice must not change a value), then
// timed by the bench's rules (bench/measure.ts timeAll: balanced order, settled heap) and printed
// as one row, off / on (> 1: the choice won).

import { formatRow, latestResult, ratioRow, timeAll } from "../measure.js";

interface Result {
  dispose(): void;
  blockUntilReady(): Promise<unknown>;
  data(): Promise<ArrayLike<number>>;
}

/** `set(on)` sets the choice and returns what puts the previous setting back; `compile()` returns
 *  a fresh jitted call (compiled at its first call, under the setting in force). */
export async function toggledRow<T extends Result>(
  title: string,
  labels: readonly [off: string, on: string],
  set: (on: boolean) => () => void,
  compile: () => () => T,
  runs: number,
  iters: number,
): Promise<string> {
  const sides = [];
  const values: ArrayLike<number>[] = [];
  for (const on of [false, true]) {
    const restore = set(on);
    const call = compile();
    values.push(await call().data());
    restore();
    sides.push(latestResult(labels[on ? 1 : 0], call));
  }
  const [off, on] = values as [ArrayLike<number>, ArrayLike<number>];
  if (off.length !== on.length || !Array.from(off).every((v, i) => Object.is(v, on[i])))
    throw new Error(`${title}: ${labels[1]} computes a different value from ${labels[0]}`);
  const ms = await timeAll(
    sides.map((s) => ({ ...s, iters })),
    runs,
  );
  const side = (name: string) => ({ name, ms: ms.get(name)! });
  return formatRow(ratioRow(title, side(labels[0]), side(labels[1]), null));
}
