import { InputError } from '../../sim/errors.js';
import { readRequired, type SizeLimit } from '../../sim/manifests/index.js';
import { ReadBudget } from '../io/NodeFileSystem.js';
import { inputFileSystem } from '../io/sandboxes.js';
import { assemble, SWEEP_SCHEMA_VERSION, type SweepResult } from './sweepResult.js';

/** A shard file `sweep merge` reads at most (README, Limits): 100,000 runs take ~20 MB. */
export const SWEEP_FILE_LIMIT: SizeLimit = { bytes: 64 * 1024 * 1024, what: 'a sweep --json file' };
/** All the files of one merge together (README, Limits). */
export const MERGE_LIMIT_BYTES = 512 * 1024 * 1024;
/** Files of one merge: as many as a sweep has shards at most. */
export const MAX_MERGE_FILES = 1000;

const OUTCOMES = new Set(['abort', 'promote', 'stuck']);
const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
const isNumOrNull = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));

/** What is wrong with a shard's cells or runs (a file edited by hand, or cut short), or undefined. */
function problem(r: SweepResult): string | undefined {
  for (const [i, c] of r.cells.entries()) {
    if (c === null || typeof c !== 'object' || c.index !== i || typeof c.healthy !== 'boolean')
      return `cells[${i}] is not a sweep's cell (index ${i}, values, healthy)`;
    if (
      c.values === null ||
      typeof c.values !== 'object' ||
      Object.values(c.values).some((v) => typeof v !== 'string')
    )
      return `cells[${i}].values is not a mapping of KEY to value`;
  }
  for (const [i, x] of r.runs.entries()) {
    const ok =
      x !== null &&
      typeof x === 'object' &&
      isCount(x.cell) &&
      x.cell < r.cells.length &&
      isCount(x.seedIndex) &&
      x.seedIndex < r.seedsPerCell &&
      isCount(x.seed) &&
      OUTCOMES.has(x.outcome) &&
      typeof x.phase === 'string' &&
      [x.timeToAbort, x.canaryRequests, x.canaryErrors, x.canaryShare].every(isNumOrNull) &&
      (x.outcome === 'abort') === (x.timeToAbort !== null);
    if (!ok) return `runs[${i}] is not a run of this sweep (cell, seedIndex, seed, outcome, phase, figures)`;
  }
  return undefined;
}

/** What must be the same in every shard of one sweep: all but the slice and its figures. */
const identity = (r: SweepResult) => {
  const { shard: _s, cells, runs: _r, ...rest } = r;
  return JSON.stringify({ ...rest, cells: cells.map((c) => [c.index, c.values, c.mutant, c.healthy]) });
};

function readShard(file: string, budget: ReadBudget): SweepResult {
  const fs = inputFileSystem(file, { budget });
  const text = readRequired(fs, file, SWEEP_FILE_LIMIT);
  let r: SweepResult;
  try {
    r = JSON.parse(text) as SweepResult;
  } catch (e) {
    throw new InputError(
      `${file}: not JSON (${(e as Error).message}); expected a file written by sweep --json`,
    );
  }
  if (
    r === null ||
    typeof r !== 'object' ||
    r.kind !== 'canarysim-sweep' ||
    !Array.isArray(r.runs) ||
    !Array.isArray(r.cells)
  )
    throw new InputError(
      `${file}: not a canarysim sweep (no "kind": "canarysim-sweep"); expected a file written by sweep --json`,
    );
  if (r.schemaVersion !== SWEEP_SCHEMA_VERSION)
    throw new InputError(
      `${file}: schemaVersion ${JSON.stringify(r.schemaVersion)}: expected ${SWEEP_SCHEMA_VERSION}`,
    );
  if (!isCount(r.seedsPerCell)) throw new InputError(`${file}: seedsPerCell is not a count`);
  const why = problem(r);
  if (why) throw new InputError(`${file}: ${why}; expected a file written by sweep --json`);
  return r;
}

/**
 * Joins the `--json` files of a sweep's shards (`--shard 1/n` … `n/n`, each once) into the
 * result the whole sweep gives: the runs of every shard, each cell's figures computed again from
 * all its runs — the same bytes as one unsharded sweep.
 */
export function mergeSweeps(files: readonly string[]): SweepResult {
  if (files.length > MAX_MERGE_FILES)
    throw new InputError(
      `${files.length} files: sweep merge joins at most ${MAX_MERGE_FILES} (a sweep has at most ${MAX_MERGE_FILES} shards)`,
    );
  const budget = new ReadBudget(MERGE_LIMIT_BYTES);
  const shards = files.map((f) => ({ file: f, r: readShard(f, budget) }));
  const first = shards[0]!;
  const count = first.r.shard?.count;
  if (count === undefined)
    throw new InputError(
      `${first.file}: not a shard (written without --shard); expected the files of --shard 1/n … n/n`,
    );
  const seen = new Map<number, string>();
  for (const s of shards) {
    if (identity(s.r) !== identity(first.r) || s.r.shard?.count !== count)
      throw new InputError(
        `${s.file}: a shard of another sweep than ${first.file} (scenario, keys, values, seeds or shard count differ)`,
      );
    const i = s.r.shard!.index;
    if (seen.has(i)) throw new InputError(`${s.file}: shard ${i}/${count} again (also ${seen.get(i)})`);
    seen.set(i, s.file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new InputError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: expected all ${count} shards of the sweep`,
    );
  const { cells, runs: _r, ...head } = first.r;
  return assemble(
    { ...head, shard: null },
    cells,
    shards.flatMap((s) => s.r.runs),
  );
}
