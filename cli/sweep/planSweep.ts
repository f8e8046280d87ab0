import { Rng } from '../../sim/clock/index.js';
import { InputError, quote } from '../../sim/errors.js';
import type { Mutant } from './mutants.js';
import type { CellChanges } from './playSweepRun.js';
import { SWEEP_LIMITS, type VaryKey } from './varyFlag.js';

/** One cell of the grid before it runs: its values and what it changes. */
export interface CellPlan {
  index: number;
  values: Record<string, string>;
  mutant?: string;
  healthy: boolean;
  changes: CellChanges;
}

/** The cell's change for one value of one `--vary`: a scenario override or a manifest edit. */
export function changeOf(v: VaryKey, i: number): CellChanges {
  const flag = `--vary ${v.key}=${v.texts[i]}`;
  const value = v.values[i];
  return v.target.kind === 'scenario'
    ? { overrides: [{ path: v.target.path, value, flag }], edits: [] }
    : {
        overrides: [],
        edits: [{ objectKind: v.target.objectKind, name: v.target.name, path: v.target.path, value, flag }],
      };
}

/** `--healthy KEY=V1,V2`: a cell is healthy when, for every KEY named, its value is among those given. */
export interface HealthyRule {
  key: string;
  values: string[];
}

/**
 * The grid: every combination of the `--vary` values (the first flag varies slowest), crossed
 * with the mutants when there are any (mutants slowest). Bounded by SWEEP_LIMITS.
 */
export function planCells(
  vary: readonly VaryKey[],
  mutants: readonly Mutant[] | undefined,
  healthy: readonly HealthyRule[],
): CellPlan[] {
  if (vary.length > SWEEP_LIMITS.keys)
    throw new InputError(
      `${vary.length} --vary flags: expected at most ${SWEEP_LIMITS.keys} (canarysim's limit)`,
    );
  const seen = vary.find((v, i) => vary.findIndex((w) => w.key === v.key) !== i);
  if (seen)
    throw new InputError(
      `${seen.flag}: the key ${quote(seen.key)} is varied twice; give its values in one --vary`,
    );
  for (const h of healthy) {
    const v = vary.find((x) => x.key === h.key);
    if (!v)
      throw new InputError(
        `--healthy ${h.key}=${h.values.join(',')}: ${quote(h.key)} is not a --vary key; expected one of ${vary.map((x) => quote(x.key)).join(', ') || '(none: --vary a key first)'}`,
      );
    const bad = h.values.find((x) => !v.texts.includes(x));
    if (bad !== undefined)
      throw new InputError(
        `--healthy ${h.key}=${h.values.join(',')}: ${quote(bad)} is not one of its --vary values (${v.texts.join(', ')})`,
      );
  }
  const count = vary.reduce((n, v) => n * v.values.length, 1) * (mutants?.length ?? 1);
  if (count > SWEEP_LIMITS.cells)
    throw new InputError(
      `${count.toLocaleString('en-US')} cells: a sweep has at most ${SWEEP_LIMITS.cells.toLocaleString('en-US')} (canarysim's limit); vary fewer values`,
    );
  const cells: CellPlan[] = [];
  for (const m of mutants ?? [undefined]) {
    const pick = new Array<number>(vary.length).fill(0);
    for (;;) {
      const values: Record<string, string> = {};
      const changes: CellChanges = { overrides: [...(m?.override ? [m.override] : [])], edits: [] };
      vary.forEach((v, k) => {
        values[v.key] = v.texts[pick[k]!]!;
        const c = changeOf(v, pick[k]!);
        changes.overrides.push(...c.overrides);
        changes.edits.push(...c.edits);
      });
      const healthyByRule = healthy.length > 0 && healthy.every((h) => h.values.includes(values[h.key]!));
      cells.push({
        index: cells.length,
        values,
        ...(m ? { mutant: m.name } : {}),
        healthy: m ? m.healthy && (healthy.length === 0 || healthyByRule) : healthyByRule,
        changes,
      });
      let k = vary.length - 1;
      for (; k >= 0; k--) {
        if (++pick[k]! < vary[k]!.values.length) break;
        pick[k] = 0;
      }
      if (k < 0) break;
    }
  }
  return cells;
}

/** The seed of a cell's `i`-th run: derived from the sweep's seed, the cell and `i` (any shard, any thread). */
export function runSeed(sweepSeed: number, cell: number, i: number): number {
  return new Rng(`sweep/${sweepSeed}/${cell}/${i}`).int(2 ** 31);
}

/** `--shard i/n` (1-based), or `--shard n` with i from `JOB_COMPLETION_INDEX` (0-based, as a Kubernetes Indexed Job sets it). */
export function parseShard(
  text: string,
  env: Record<string, string | undefined>,
): { index: number; count: number } {
  const m = /^(?:(\d+)\/)?(\d+)$/.exec(text);
  const expected = 'expected i/n such as 2/3 (1 ≤ i ≤ n ≤ 1000), or n with JOB_COMPLETION_INDEX set';
  if (!m) throw new InputError(`invalid --shard ${quote(text)}: ${expected}`);
  const count = Number(m[2]);
  let index: number;
  if (m[1] !== undefined) index = Number(m[1]);
  else {
    const j = env['JOB_COMPLETION_INDEX'];
    if (j === undefined)
      throw new InputError(
        `--shard ${text}: JOB_COMPLETION_INDEX is not set; expected i/n such as 1/${count}, or run in a Kubernetes Indexed Job`,
      );
    if (!/^\d+$/.test(j))
      throw new InputError(
        `--shard ${text}: invalid JOB_COMPLETION_INDEX ${quote(j)}: expected 0 to ${count - 1}`,
      );
    index = Number(j) + 1;
    if (index > count)
      throw new InputError(
        `--shard ${text}: JOB_COMPLETION_INDEX ${j} is not below ${count} (completions must equal the shard count)`,
      );
  }
  if (count < 1 || count > 1000 || index < 1 || index > count)
    throw new InputError(`invalid --shard ${quote(text)}: ${expected}`);
  return { index, count };
}

/** Whether run `cell`×`i` belongs to a shard: every n-th run of the whole list, so each shard gets every cell. */
export const inShard = (
  shard: { index: number; count: number } | undefined,
  seeds: number,
  cell: number,
  i: number,
) => !shard || (cell * seeds + i) % shard.count === shard.index - 1;
