import path from 'node:path';
import { InputError } from '../../sim/errors.js';
import { OverlayFileSystem } from '../../sim/manifests/index.js';
import type { World } from '../../sim/world.js';
import { NodeFileSystem } from '../io/NodeFileSystem.js';
import { scenarioSandbox } from '../io/sandboxes.js';
import { scenarioPath } from '../scenario/loadScenario.js';
import type { Override } from '../scenario/overrides.js';
import { parseScenario } from '../scenario/parseScenario.js';
import { runScenario } from '../scenario/runScenario.js';
import type { Scenario } from '../scenario/types.js';
import { validateScenario } from '../scenario/validateScenario.js';
import { buildApplied, manifestEdits, type ManifestEdit } from './manifestEdits.js';
import { SnapshotFileSystem } from './SnapshotFileSystem.js';

/** What one cell of a sweep changes: scenario values (as `--set`) and manifest fields. */
export interface CellChanges {
  overrides: Override[];
  edits: ManifestEdit[];
}

/** One rollout of a sweep, as plain data (it crosses to a worker thread). */
export interface SweepRunTask {
  /** Absolute path of the scenario file. */
  file: string;
  root?: string;
  /** `--set` and `--env`, before the cell's own changes. */
  base: Override[];
  cell: number;
  changes: CellChanges;
  seedIndex: number;
  seed: number;
  /** `--rollout`: the Rollout whose update the sweep measures (default: the only one). */
  rollout?: string;
}

/** How one rollout of a sweep ended: simulated facts only, the same for the same task. */
export interface RunRecord {
  cell: number;
  seedIndex: number;
  seed: number;
  /** abort: the update was aborted; promote: it ended Healthy; stuck: anything else (paused, progressing). */
  outcome: 'abort' | 'promote' | 'stuck';
  /** The Rollout's phase when the scenario ended. */
  phase: string;
  /** Simulated seconds from the update to the abort. */
  timeToAbort: number | null;
  /** User requests the canary answered before the abort, and with a 5xx. */
  canaryRequests: number | null;
  canaryErrors: number | null;
  /** canaryRequests over all user requests the Rollout's ReplicaSets answered since the update. */
  canaryShare: number | null;
}

export type SweepRunOutcome = { kind: 'ran'; record: RunRecord } | { kind: 'invalid'; error: string };

export interface Prepared {
  scenario: Scenario;
  snap: SnapshotFileSystem;
  edits: Map<string, string>;
}

/** Cells this thread has read, by their task's file and changes: a cell is read once per thread. */
const prepared = new Map<string, Prepared>();

/** A file system over the cell's snapshot with its manifest edits: one per run (setImage writes to it). */
export function overlay(p: Prepared): OverlayFileSystem {
  const fs = new OverlayFileSystem(p.snap);
  for (const [file, text] of p.edits) fs.write(file, text);
  return fs;
}

/**
 * Reads, changes and validates a cell's scenario and manifests, as `run` would with the same
 * `--set` flags and edited files: every problem is an InputError naming the flag that made it.
 */
export function prepareCell(task: Pick<SweepRunTask, 'file' | 'root' | 'base' | 'changes'>): Prepared {
  const key = JSON.stringify([task.file, task.root ?? null, task.base, task.changes]);
  const hit = prepared.get(key);
  if (hit) return hit;
  const abs = scenarioPath(task.file);
  const snap = new SnapshotFileSystem(
    new NodeFileSystem(path.dirname(abs), { sandbox: scenarioSandbox(abs, task.root) }),
  );
  const scenario = parseScenario(new OverlayFileSystem(snap), path.basename(abs), [
    ...task.base,
    ...task.changes.overrides,
  ]);
  const edits = manifestEdits(scenario, snap, task.changes.edits);
  const p = { scenario, snap, edits };
  const flags = task.changes.edits.map((e) => e.flag).join(', ');
  try {
    validateScenario(scenario, overlay(p));
    buildApplied(scenario, overlay(p));
  } catch (e) {
    // A value an edit wrote is at a line of the edited text, not of the user's file: say which flag.
    if (e instanceof InputError && flags) throw new InputError(`${flags}: ${e.format()}`);
    throw e;
  }
  if (prepared.size > 100) prepared.clear();
  prepared.set(key, p);
  return p;
}

/** The Rollout a sweep measures: `--rollout`, else the only one the run created. */
function measured(world: World, name: string | undefined) {
  const all = [...world.rollouts.values()];
  const hit =
    name === undefined ? (all.length === 1 ? all[0] : undefined) : all.find((r) => r.ro.meta.name === name);
  if (hit) return hit;
  const names = all.map((r) => r.ro.meta.name).sort();
  throw new InputError(
    name === undefined
      ? `the scenario has ${names.length} Rollouts (${names.join(', ') || 'none'}): name the one to measure with --rollout`
      : `--rollout ${name}: the scenario has no such Rollout; expected one of ${names.join(', ') || '(none)'}`,
  );
}

/** Plays one rollout of a sweep on its seed and says how the update ended. */
export async function playSweepRun(task: SweepRunTask): Promise<SweepRunOutcome> {
  try {
    const p = prepareCell(task);
    const result = await runScenario(p.scenario, overlay(p), {
      seed: task.seed,
      emit: () => {},
      traceAnalysis: false,
    });
    const { ro, history } = measured(result.world, task.rollout);
    const update = history.lastUpdate;
    if (!update)
      throw new InputError(
        `the scenario never updates Rollout ${ro.meta.name} (seed ${task.seed}): a sweep measures an update; change its image (setImage) after it is Healthy`,
      );
    const abort = history.lastAbort && history.lastAbort.time >= update.time ? history.lastAbort : undefined;
    const outcome = abort ? 'abort' : ro.status.phase === 'Healthy' ? 'promote' : 'stuck';
    const since = abort?.sinceUpdate?.requests;
    return {
      kind: 'ran',
      record: {
        cell: task.cell,
        seedIndex: task.seedIndex,
        seed: task.seed,
        outcome,
        phase: ro.status.phase,
        timeToAbort: abort ? (abort.time - update.time) / 1000 : null,
        canaryRequests: abort ? abort.answered.requests : null,
        canaryErrors: abort ? abort.answered.errors : null,
        canaryShare: abort && since ? abort.answered.requests / since : abort ? 0 : null,
      },
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { kind: 'invalid', error: e.format() };
  }
}
