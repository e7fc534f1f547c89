/**
 * A tiny benchmark harness. These machines are noisy (2 shared cores), so absolute
 * numbers mean little: every case runs beside a baseline in the same process and run,
 * interleaved, and the report is the ratio (case time / baseline time), median of rounds.
 */
export interface Case {
  name: string;
  /** What the case is compared with, e.g. the raw operation without our layer. */
  baseline: { name: string; fn: () => unknown | Promise<unknown> };
  fn: () => unknown | Promise<unknown>;
  /** Operations per round. */
  ops?: number;
  rounds?: number;
}

export interface Result {
  name: string;
  baseline: string;
  ratio: number;
  caseUsPerOp: number;
  baselineUsPerOp: number;
}

async function time(fn: () => unknown | Promise<unknown>, ops: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    const r = fn();
    if (r instanceof Promise) await r;
  }
  return Number(process.hrtime.bigint() - t0) / 1e3 / ops; // µs per op
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(c: Case): Promise<Result> {
  const ops = c.ops ?? 2000;
  const rounds = c.rounds ?? 7;
  await time(c.fn, Math.min(ops, 200)); // warm-up (JIT, connections)
  await time(c.baseline.fn, Math.min(ops, 200));
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    b.push(await time(c.baseline.fn, ops));
    a.push(await time(c.fn, ops));
  }
  const caseUs = median(a);
  const baseUs = median(b);
  return { name: c.name, baseline: c.baseline.name, ratio: caseUs / baseUs, caseUsPerOp: caseUs, baselineUsPerOp: baseUs };
}

export function report(results: Result[]): void {
  const w = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    console.log(
      `${r.name.padEnd(w)}  ${r.ratio.toFixed(2).padStart(7)}× ${r.baseline}  (${r.caseUsPerOp.toFixed(2)} µs/op vs ${r.baselineUsPerOp.toFixed(2)} µs/op)`,
    );
  }
}
