import cliProgress from 'cli-progress';
import path from 'node:path';
import { InputError } from '../../sim/errors.js';
import { parseYamlFile, onlyDocument } from '../../sim/manifests/index.js';
import { renderSweepHtml, sweepGridOfJson } from '../html/renderSweepHtml.js';
import { isStdout, outputFiles } from '../io/outputFiles.js';
import { writeAtomically } from '../io/writeAtomically.js';
import { scenarioPath } from '../scenario/loadScenario.js';
import { applyOverrides, type Override } from '../scenario/overrides.js';
import { displayPath } from '../suite/playScenario.js';
import { openPool } from '../suite/workerPool.js';
import { standardMutants, type Mutant } from '../sweep/mutants.js';
import { inShard, parseShard, planCells, runSeed, changeOf, type HealthyRule } from '../sweep/planSweep.js';
import { prepareCell, type SweepRunOutcome, type SweepRunTask } from '../sweep/playSweepRun.js';
import { sweepAdvisor } from '../sweep/sweepAdvisor.js';
import { renderSweepCsv, renderSweepMarkdown, renderSweepTable } from '../sweep/renderSweep.js';
import { assemble, sweepJson, SWEEP_SCHEMA_VERSION, type SweepResult } from '../sweep/sweepResult.js';
import { SWEEP_LIMITS, splitValues, type VaryKey } from '../sweep/varyFlag.js';

export interface SweepFlags {
  vary?: VaryKey[];
  seeds: number;
  seed?: number;
  rollout?: string;
  healthy?: string[];
  mutants?: boolean;
  canaryImage?: string;
  mutantErrors?: string;
  mutantPath?: string;
  mutantLoad?: string;
  shard?: string;
  jobs: number;
  csv?: string;
  json?: string;
  markdown?: string;
  html?: string;
  root?: string;
  set?: Override[];
  env?: Override[];
}

export interface Stream {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** `--healthy KEY=V1,V2` (repeatable). */
function healthyRules(args: readonly string[]): HealthyRule[] {
  return args.map((a) => {
    const eq = a.lastIndexOf('=');
    const values = eq > 0 ? splitValues(a.slice(eq + 1)) : 'no =';
    if (eq <= 0 || typeof values === 'string')
      throw new InputError(
        `invalid --healthy ${JSON.stringify(a)}: expected KEY=VALUE, a --vary key and one of its values`,
      );
    return { key: a.slice(0, eq), values };
  });
}

/** The outputs asked for, checked before anything runs. */
function outputs(flags: Pick<SweepFlags, 'csv' | 'json' | 'markdown' | 'html'>) {
  return outputFiles([
    ['--json', flags.json],
    ['--csv', flags.csv],
    ['--markdown', flags.markdown],
    ['--html', flags.html],
  ] as const);
}

/** Writes the outputs and prints the table (on stderr when an output is standard output). */
function finish(
  result: SweepResult,
  flags: Pick<SweepFlags, 'csv' | 'json' | 'markdown' | 'html'>,
  io: { stdout: Stream; stderr: Stream },
): void {
  const outs = outputs(flags);
  const human = outs.some((o) => isStdout(o.file)) ? io.stderr : io.stdout;
  human.write(renderSweepTable(result));
  const render = {
    '--json': sweepJson,
    '--csv': renderSweepCsv,
    '--markdown': renderSweepMarkdown,
    '--html': (r: SweepResult) => renderSweepHtml(sweepGridOfJson(r)),
  };
  for (const o of outs) writeAtomically(o.file, render[o.flag](result), o.flag);
}

/** The scenario's `apps:` as written (after `--set`), for the mutants to put theirs before. */
function rawApps(
  abs: string,
  snapRead: (p: string) => string | undefined,
  display: string,
  base: readonly Override[],
): unknown[] {
  const doc = onlyDocument(parseYamlFile(display, snapRead(path.basename(abs)) ?? ''), display, 'a scenario');
  const apps = (applyOverrides(doc, base).value as { apps?: unknown } | null)?.apps;
  return Array.isArray(apps) ? apps : [];
}

/**
 * `canarysim sweep SCENARIO --vary KEY=V1,V2,… --seeds N`: plays the scenario's update N times in
 * every cell of the grid, each run on a seed derived from the sweep's seed, the cell and its
 * index, on `--jobs` worker threads; prints a table per cell (P(abort), P(promote), P(stuck),
 * time to abort, blast radius, false-abort rate) and writes `--json`, `--csv`, `--markdown`, `--html`.
 * Every cell's values are checked before anything runs (exit 2, naming the flag). Exit 0.
 */
export async function sweepCommand(
  file: string,
  flags: SweepFlags,
  io: { stdout: Stream; stderr: Stream },
): Promise<number> {
  outputs(flags);
  const vary = flags.vary ?? [];
  const base = [...(flags.set ?? []), ...(flags.env ?? [])];
  const abs = scenarioPath(file);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard, process.env);
  const seeds = flags.seeds;
  // The scenario as it is, then each value of each key alone: a bad key or value is named before anything runs.
  const plain = prepareCell({ file: abs, root: flags.root, base, changes: { overrides: [], edits: [] } });
  let mutants: Mutant[] | undefined;
  if (flags.mutants) {
    const errorShares = splitValues(flags.mutantErrors ?? '1%,5%');
    if (typeof errorShares === 'string') throw new InputError(`invalid --mutant-errors: ${errorShares}`);
    mutants = standardMutants(
      plain.scenario,
      rawApps(abs, (p) => plain.snap.read(p), displayPath(abs), base),
      {
        canaryImage: flags.canaryImage,
        errorShares,
        path: flags.mutantPath,
        load: flags.mutantLoad ?? '20/s',
      },
    );
  }
  const cells = planCells(vary, mutants, healthyRules(flags.healthy ?? []));
  if (cells.length * seeds > SWEEP_LIMITS.runs)
    throw new InputError(
      `${cells.length} cells × ${seeds} seeds = ${(cells.length * seeds).toLocaleString('en-US')} rollouts: a sweep runs at most ${SWEEP_LIMITS.runs.toLocaleString('en-US')} (canarysim's limit); shard it over fewer seeds per cell or fewer values`,
    );
  for (const v of vary)
    for (let i = 0; i < v.values.length; i++)
      prepareCell({ file: abs, root: flags.root, base, changes: changeOf(v, i) });
  for (const m of mutants ?? [])
    if (m.override)
      prepareCell({ file: abs, root: flags.root, base, changes: { overrides: [m.override], edits: [] } });

  // lint's sample-size advice for every cell (not only this shard's): each shard carries it whole.
  const advisor = sweepAdvisor({
    cells,
    vary: vary.map((v) => ({ key: v.key, values: v.texts })),
    prepare: (c) => prepareCell({ file: abs, root: flags.root, base, changes: c.changes }),
    shown: displayPath(abs),
    rollout: flags.rollout,
  });

  const sweepSeed = flags.seed ?? plain.scenario.settings.seed;
  const tasks: SweepRunTask[] = [];
  for (const c of cells)
    for (let i = 0; i < seeds; i++)
      if (inShard(shard, seeds, c.index, i))
        tasks.push({
          file: abs,
          root: flags.root,
          base,
          cell: c.index,
          changes: c.changes,
          seedIndex: i,
          seed: runSeed(sweepSeed, c.index, i),
          rollout: flags.rollout,
        });

  const pool = openPool(Math.min(flags.jobs, tasks.length));
  const bar =
    io.stderr.isTTY === true && tasks.length > 1
      ? new cliProgress.SingleBar(
          {
            format: '{bar} {value}/{total} rollouts | {eta_formatted} left',
            stream: io.stderr as unknown as NodeJS.WriteStream,
            clearOnComplete: true,
            hideCursor: false,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(tasks.length, 0);
  const outcomes: SweepRunOutcome[] = [];
  try {
    const play = async (t: SweepRunTask, k: number) => {
      outcomes[k] = (await pool.run({ kind: 'sweep', task: t })) as SweepRunOutcome;
      bar?.increment();
    };
    if (pool.threads > 1) await Promise.all(tasks.map(play));
    else for (const [k, t] of tasks.entries()) await play(t, k);
  } finally {
    bar?.stop();
    await pool.destroy();
  }
  const invalid = outcomes.flatMap((o, k) =>
    o.kind === 'invalid' ? [`cell ${tasks[k]!.cell + 1}, seed ${tasks[k]!.seed}: ${o.error}`] : [],
  );
  if (invalid.length > 0) {
    // Nothing is written: one line per distinct problem (the same one in every run says it once).
    for (const line of [...new Set(invalid.map((l) => l.replace(/^cell \d+, seed \d+: /, '')))].slice(0, 10))
      io.stderr.write(`canarysim: ${displayPath(abs)}: ${line}\n`);
    return 2;
  }
  const result = assemble(
    {
      schemaVersion: SWEEP_SCHEMA_VERSION,
      kind: 'canarysim-sweep',
      scenario: displayPath(abs),
      rollout: flags.rollout ?? null,
      seed: sweepSeed,
      seedsPerCell: seeds,
      vary: vary.map((v) => ({ key: v.key, values: v.texts })),
      set: base.map((o) => o.flag),
      healthy: flags.healthy ?? [],
      mutants: mutants ? mutants.map((m) => ({ name: m.name, description: m.description })) : null,
      shard: shard ?? null,
      advisor,
    },
    cells,
    outcomes.map((o) => (o as Extract<SweepRunOutcome, { kind: 'ran' }>).record),
  );
  finish(result, flags, io);
  return 0;
}

/** `canarysim sweep merge FILES…`: the shards' `--json` files joined, as the whole sweep writes them. */
export async function sweepMergeCommand(
  files: readonly string[],
  flags: Pick<SweepFlags, 'csv' | 'json' | 'markdown' | 'html'>,
  io: { stdout: Stream; stderr: Stream },
): Promise<number> {
  outputs(flags);
  const { mergeSweeps } = await import('../sweep/mergeSweep.js');
  finish(mergeSweeps(files), flags, io);
  return 0;
}
