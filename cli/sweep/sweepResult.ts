import type { RunRecord } from './playSweepRun.js';

/** `--json`'s schema version (docs/sweep.md). */
export const SWEEP_SCHEMA_VERSION = 1;

/** A probability estimated from `k` of `n` runs, with its Wilson score interval at 95 %. */
export interface Proportion {
  k: number;
  p: number;
  /** Wilson score interval at 95 % (z = 1.96): where the true probability lies, for these runs. */
  low: number;
  high: number;
}

/** Median and 95th percentile (nearest rank) of a quantity over the runs that have it. */
export interface Spread {
  median: number;
  p95: number;
}

/** One cell of the grid: its values, and what its runs did. */
export interface CellResult {
  index: number;
  /** The value of each `--vary` KEY, as typed (key → text), in the order the flags came. */
  values: Record<string, string>;
  /** `--mutants`: the mutant's name (`healthy`, `5xx +1%`, `p99 ×2`, …); otherwise absent. */
  mutant?: string;
  /** Marked healthy (`--healthy`, or the healthy mutant): its P(abort) is a false-abort rate. */
  healthy: boolean;
  runs: number;
  abort: Proportion;
  promote: Proportion;
  stuck: Proportion;
  /** Simulated seconds from the update to the abort, over the aborted runs; null: none aborted. */
  timeToAbort: Spread | null;
  /** Blast radius over the aborted runs: user requests the canary answered with a 5xx before the abort… */
  errorsBeforeAbort: Spread | null;
  /** …and its share of all user requests since the update (0.2 = 20 %). */
  shareBeforeAbort: Spread | null;
  /** For a healthy cell, P(abort); null otherwise. */
  falseAbortRate: number | null;
  /** `--mutants`: caught (aborted in at least half the runs), survived, or the healthy one. */
  verdict?: 'caught' | 'survived' | 'healthy';
}

/** The sweep as `--json` writes it: a plain object (docs/sweep.md), the same bytes for the same sweep. */
export interface SweepResult {
  schemaVersion: number;
  kind: 'canarysim-sweep';
  /** The scenario file, as messages name it. */
  scenario: string;
  rollout: string | null;
  /** The seed every run's seed derives from (with the cell and the run's index). */
  seed: number;
  seedsPerCell: number;
  vary: { key: string; values: string[] }[];
  /** `--set`/`--env`, as typed. */
  set: string[];
  healthy: string[];
  mutants: { name: string; description: string }[] | null;
  /** `--shard i/n`: this file holds the runs of one slice; null: all of them. */
  shard: { index: number; count: number } | null;
  /** Lines of the sample-size advisor (lint's), for the template and traffic swept; empty when it has none. */
  advisor: string[];
  cells: CellResult[];
  /** Every run, by cell then seed index. */
  runs: RunRecord[];
}

const Z = 1.959963984540054;

/** k of n as a proportion with its Wilson score interval (95 %). */
export function proportion(k: number, n: number): Proportion {
  if (n === 0) return { k, p: 0, low: 0, high: 1 };
  const p = k / n;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At k = 0 (k = n) the interval's end is exactly 0 (1); the formula leaves a rounding error.
  return { k, p, low: k === 0 ? 0 : centre - half, high: k === n ? 1 : centre + half };
}

/** Nearest-rank percentile of sorted values (q in (0, 1]). */
function rank(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

function spread(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return { median: rank(s, 0.5), p95: rank(s, 0.95) };
}

/** A cell's figures from its runs (any order: they are sorted by seed index first). */
export function aggregateCell(
  base: Pick<CellResult, 'index' | 'values' | 'mutant' | 'healthy'>,
  runs: readonly RunRecord[],
): CellResult {
  const rs = [...runs].sort((a, b) => a.seedIndex - b.seedIndex);
  const n = rs.length;
  const count = (o: RunRecord['outcome']) => rs.filter((r) => r.outcome === o).length;
  const aborted = rs.filter((r) => r.outcome === 'abort');
  const abort = proportion(count('abort'), n);
  const cell: CellResult = {
    ...base,
    runs: n,
    abort,
    promote: proportion(count('promote'), n),
    stuck: proportion(count('stuck'), n),
    timeToAbort: spread(aborted.map((r) => r.timeToAbort!)),
    errorsBeforeAbort: spread(aborted.map((r) => r.canaryErrors!)),
    shareBeforeAbort: spread(aborted.map((r) => r.canaryShare!)),
    falseAbortRate: base.healthy ? abort.p : null,
  };
  if (base.mutant !== undefined)
    cell.verdict = base.healthy ? 'healthy' : abort.k * 2 >= n && n > 0 ? 'caught' : 'survived';
  return cell;
}

/** The JSON text of a result: two-space indented, one run per line (a large sweep stays readable). */
export function sweepJson(r: SweepResult): string {
  const { runs, ...rest } = r;
  const head = JSON.stringify(rest, null, 2);
  const lines = runs.map((x) => `    ${JSON.stringify(x)}`).join(',\n');
  return `${head.slice(0, -2)},\n  "runs": [${runs.length ? `\n${lines}\n  ` : ''}]\n}\n`;
}

/**
 * The result from its cells and runs (any order): what `sweep` and `sweep merge` both write, so
 * the merged shards and the whole sweep give the same bytes. `head`'s keys keep their order.
 */
export function assemble(
  head: Omit<SweepResult, 'cells' | 'runs'>,
  cells: readonly Pick<CellResult, 'index' | 'values' | 'mutant' | 'healthy'>[],
  runs: readonly RunRecord[],
): SweepResult {
  const sorted = [...runs].sort((a, b) => a.cell - b.cell || a.seedIndex - b.seedIndex);
  const byCell = new Map<number, RunRecord[]>();
  for (const r of sorted) {
    let list = byCell.get(r.cell);
    if (!list) byCell.set(r.cell, (list = []));
    list.push(r);
  }
  return {
    ...head,
    cells: cells.map((c) =>
      aggregateCell(
        {
          index: c.index,
          values: c.values,
          ...(c.mutant !== undefined ? { mutant: c.mutant } : {}),
          healthy: c.healthy,
        },
        byCell.get(c.index) ?? [],
      ),
    ),
    runs: sorted,
  };
}
