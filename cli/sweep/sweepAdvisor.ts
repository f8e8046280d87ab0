import { lintManifests } from '../lint/lintManifests.js';
import { scenarioRate } from '../lint/scenarioRate.js';
import { buildApplied } from './manifestEdits.js';
import type { CellPlan } from './planSweep.js';
import { overlay, type Prepared } from './playSweepRun.js';

/** What the advisor needs of a sweep: its grid, and each cell's scenario and manifests as they run. */
export interface AdvisorInput {
  cells: readonly CellPlan[];
  /** The `--vary` keys with their values as typed, in flag order (the grid's axes). */
  vary: readonly { key: string; values: readonly string[] }[];
  /** The cell's scenario and files with its values applied (prepareCell). */
  prepare: (cell: CellPlan) => Prepared;
  /** How messages name the scenario: the rate's source says `the traffic "users" of <this>`. */
  shown: string;
  /** `--rollout`: advise on that Rollout's analyses only. */
  rollout?: string;
}

/**
 * The `low-sample-size` messages `lint` gives for one cell's manifests, at the rate the cell's
 * scenario declares (lint's own reading of a scenario: its constant traffic, or a rate-limited
 * hey) and under its settings (scrape interval, Argo Rollouts version, pod timings). Empty when
 * the scenario declares no rate, or every window resolves its threshold.
 */
function cellAdvice(p: Prepared, shown: string, rollout: string | undefined): string[] {
  const rate = scenarioRate(p.scenario, shown);
  if (!rate) return [];
  const objects = buildApplied(p.scenario, overlay(p)).filter(
    (o) => rollout === undefined || o.kind !== 'Rollout' || o.name === rollout,
  );
  const s = p.scenario.settings;
  return lintManifests(objects, {
    namespace: s.namespace,
    namespaceGiven: true,
    argo: s.argo,
    scrape: { ms: s.scrapeIntervalMs, source: `the scrape interval of ${shown}` },
    podTimings: s.pods,
    rate,
  })
    .findings.filter((f) => f.rule === 'low-sample-size')
    .map((f) => f.message);
}

type Axis = { key: string; values: readonly string[]; of: (c: CellPlan) => string };

/**
 * The cells of a group, as briefly as they are exactly: when the group is every combination of
 * some values of each axis, the axes it does not span whole (`apps[0].errors=1%,5%`), or `every
 * cell`; otherwise each cell's values in turn (`a=1, b=2; a=5, b=3`).
 */
export function describeCells(
  group: readonly CellPlan[],
  all: readonly CellPlan[],
  axes: readonly Axis[],
): string {
  const label = (c: CellPlan) => axes.map((a) => `${a.key}=${a.of(c)}`).join(', ') || 'the scenario';
  const seen = axes.map((a) => new Set(group.map(a.of)));
  const product = all.filter((c) => axes.every((a, i) => seen[i]!.has(a.of(c)))).length === group.length;
  if (!product) return group.map(label).join('; ');
  const parts = axes.flatMap((a, i) =>
    seen[i]!.size === new Set(all.map(a.of)).size
      ? []
      : [`${a.key}=${a.values.filter((v) => seen[i]!.has(v)).join(',')}`],
  );
  return parts.length > 0 ? parts.join(', ') : all.length > 1 ? 'every cell' : label(group[0]!);
}

/**
 * The sample-size advisor of a sweep: lint's `low-sample-size` warnings for every cell, its
 * varied values applied (a swept threshold or traffic rate changes the advice), each distinct
 * warning once, led by the cells it holds for — `apps[0].errors=0%,5%, …successCondition=0.99:
 * ClusterAnalysisTemplate "success-rate": … at 5 req/s …`. Every cell, whatever the shard, so
 * each shard holds the whole advice and `sweep merge` carries it. Empty when every window is
 * large enough. Deterministic: cells in grid order, warnings in lint's order.
 */
export function sweepAdvisor(input: AdvisorInput): string[] {
  const axes: Axis[] = [];
  if (input.cells.some((c) => c.mutant !== undefined)) {
    const names = [...new Set(input.cells.map((c) => c.mutant ?? ''))];
    axes.push({ key: 'mutant', values: names, of: (c) => c.mutant ?? '' });
  }
  for (const v of input.vary) axes.push({ key: v.key, values: v.values, of: (c) => c.values[v.key]! });
  const groups = new Map<string, CellPlan[]>();
  // Cells that change only `apps:` (how images behave: an error share, a mutant) give lint the
  // same manifests, rate and settings: one lint serves them all, read once.
  const memo = new Map<string, string[]>();
  for (const cell of input.cells) {
    const key = JSON.stringify([
      cell.changes.edits,
      cell.changes.overrides.filter((o) => o.path[0] !== 'apps'),
    ]);
    let advice = memo.get(key);
    if (!advice) {
      advice = cellAdvice(input.prepare(cell), input.shown, input.rollout);
      memo.set(key, advice);
    }
    for (const m of advice) groups.set(m, [...(groups.get(m) ?? []), cell]);
  }
  return [...groups].map(([message, cells]) => `${describeCells(cells, input.cells, axes)}: ${message}`);
}
