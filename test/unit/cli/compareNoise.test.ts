// A CNN-sized `--compare`: each mode runs 3 times, interleaved; every compared function carries the
// median and spread of its cost of a call in both modes, a speedup only when the spreads do not
// overlap, and one per-call cost and break-even that the report, the CLI table, the CodeLens and
// the hover all state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { breakEvenCalls } from "../../../runtime/src/profile/stats.js";
import { lensTitle } from "../../../extension/src/model/codeLens.js";
import { formatMs } from "@jitscope/contract";
import { speedupText } from "@jitscope/contract";
import { fixture, runCli } from "./runCli.js";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

test("a CNN-sized --compare runs each mode 3 times interleaved and reports spreads, significance, one cost and one break-even", () => {
  const script = fixture("cnn_small.ts");
  const r = runCli(script, ["--compare"], { timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  // eager, jit, eager, jit, eager, jit: the same loss every time.
  assert.deepEqual(
    [...r.stderr.matchAll(/── run (\d) of 3: (eager|jit)/g)].map((m) => `${m[1]} ${m[2]}`),
    ["1 eager", "1 jit", "2 eager", "2 jit", "3 eager", "3 jit"],
  );
  const losses = r.stdout.split("\n").filter((l) => /^loss \d/.test(l));
  assert.equal(losses.length, 6, losses.join("\n"));
  assert.equal(new Set(losses).size, 1, `eager and jit agree: ${losses}`);
  // …and with the CPU reference backend.
  const cpu = runCli(script, ["--backend", "cpu"]);
  const cpuLoss = Number(cpu.report.console.find((l) => l.text.startsWith("loss "))!.text.slice(5));
  assert.ok(Math.abs(Number(losses[0]!.slice(5)) - cpuLoss) < 1e-4, `WebGPU ${losses[0]} vs CPU ${cpuLoss}`);

  const compared = r.report.comparison!.functions;
  assert.deepEqual(compared.map((c) => c.name).sort(), ["loss", "score"]);
  for (const c of compared) {
    for (const m of [c.eager, c.jit]) {
      assert.equal(m.runs!.length, 3, `${c.name}: one cost per run`);
      assert.ok(
        close(m.p10!, Math.min(...m.runs!)) && close(m.p90!, Math.max(...m.runs!)),
        `${c.name}: spread is lowest–highest run`,
      );
      assert.ok(m.p10! <= m.msPerCall && m.msPerCall <= m.p90!, `${c.name}: median within its spread`);
      assert.ok(close(m.msPerCall, m.hostMs! + m.gpuMs!) || m.runs!.length > 1, "cost = host + GPU");
    }
    assert.ok(c.eager.dispatchesPerCall > c.jit.dispatchesPerCall, `${c.name}: eager dispatches more`);
    assert.ok(close(c.speedup, c.eager.msPerCall / c.jit.msPerCall));
    assert.ok(
      close(c.speedupRange![0], c.eager.p10! / c.jit.p90!) && close(c.speedupRange![1], c.eager.p90! / c.jit.p10!),
    );
    assert.equal(
      c.significant,
      c.eager.p10! > c.jit.p90! || c.jit.p10! > c.eager.p90!,
      `${c.name}: significant only outside both spreads`,
    );
    assert.equal(
      c.breakEvenCalls,
      breakEvenCalls(c.compileMs, c.eager.msPerCall, c.jit.msPerCall),
      `${c.name}: break-even from the two costs`,
    );

    // One cost and one break-even everywhere: report function, CLI table, CodeLens, sweep.
    const fn = r.report.functions.find((f) => f.name === c.name)!;
    assert.equal(fn.cost!.ms, c.jit.msPerCall, `${c.name}: the function's cost of a call is the compared jit cost`);
    // The row under the compare table's header: other tables also start rows with the function's
    // name, and one of their times may print the same as the eager cost.
    const lines = r.stdout.split("\n");
    const header = lines.findIndex((l) => /^function\s+eager\/call\s/.test(l));
    assert.ok(header >= 0, `the compare table's header:\n${r.stdout}`);
    const row = lines.slice(header + 1).find((l) => l.startsWith(`${c.name} `))!;
    assert.ok(row?.includes(formatMs(c.eager.msPerCall)), `${c.name}: a compare row in the CLI table: ${row}`);
    assert.ok(
      row.includes(formatMs(c.jit.msPerCall)) &&
        row.includes(String(c.breakEvenCalls ?? "never")) &&
        row.includes(speedupText(c)),
      row,
    );
    const fnRow = r.stdout.split("\n").find((l) => l.startsWith(`${c.name} `) && l.includes(".ts:"))!;
    assert.ok(fnRow.includes(formatMs(c.jit.msPerCall)), `the jitted-functions row states the same cost: ${fnRow}`);
    assert.ok(lensTitle(fn, c).includes(`${formatMs(c.jit.msPerCall)}/call`), lensTitle(fn, c));
    const sweep = r.report.comparison!.sweeps.find((s) => s.name === c.name)!;
    assert.equal(sweep.modeled, true);
    assert.equal(sweep.breakEvenCalls, c.breakEvenCalls);
    assert.match(
      r.stdout,
      new RegExp(
        `sweep ${c.name}: total time for N calls, PROJECTED[^\\n]*${c.breakEvenCalls === null ? "never catches up" : `break-even after ${c.breakEvenCalls} calls`}`,
      ),
    );
    if (!c.significant) assert.ok(row.includes("no significant difference"), row);
  }
  assert.match(r.stdout, /median over 3 runs of each mode/);
});
