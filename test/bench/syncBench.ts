// The rollout controller's syncs in a `run` of the blog and of each drill: how many, how many
// changed nothing (a no-op: the status and the ReplicaSets' scale and annotations as they were),
// the time of a no-op sync's body, and what the XState machine adds to each SYNC event around the
// sync it runs. Each scenario is played once to warm up, then BENCH_RUNS times in this process.
//
//   node dist/test/bench/syncBench.js
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Actor } from 'xstate';
import { packageRoot } from '../../cli/runCli.js';
import { loadScenario } from '../../cli/scenario/loadScenario.js';
import { runScenario } from '../../cli/scenario/runScenario.js';
import { BlueGreenController } from '../../sim/rollout/BlueGreenController.js';
import { ControllerBase, type BaseDeps } from '../../sim/rollout/ControllerBase.js';
import { RolloutController } from '../../sim/rollout/RolloutController.js';
import { fmt, stats } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const root = packageRoot();

const count = { syncs: 0, noop: 0, noopMs: 0, changedMs: 0, sends: 0, sendMs: 0, scheduleMs: 0 };
for (const C of [RolloutController, BlueGreenController] as const) {
  const sync = C.prototype.sync;
  C.prototype.sync = function (this: RolloutController | BlueGreenController): boolean {
    const t0 = performance.now();
    const changed = sync.call(this);
    const ms = performance.now() - t0;
    count.syncs++;
    if (changed) count.changedMs += ms;
    else {
      count.noop++;
      count.noopMs += ms;
    }
    return changed;
  };
}
let inSend = 0;
const syncAndSchedule = ControllerBase.prototype.syncAndSchedule;
ControllerBase.prototype.syncAndSchedule = function (this: ControllerBase<BaseDeps>): void {
  const t0 = performance.now();
  try {
    syncAndSchedule.call(this);
  } finally {
    if (inSend > 0) count.scheduleMs += performance.now() - t0;
  }
};
const send = Actor.prototype.send;
Actor.prototype.send = function (this: Actor<never>, event: never): void {
  const t0 = performance.now();
  inSend++;
  try {
    send.call(this, event);
  } finally {
    inSend--;
    count.sends++;
    count.sendMs += performance.now() - t0;
  }
};

const files = [
  'scenarios/blog/scenario.yaml',
  ...readdirSync(path.join(root, 'scenarios/drills')).map((d) => `scenarios/drills/${d}/scenario.yaml`),
];
console.log(
  'controller syncs per run (blog and drills; one warm-up, then each run in one process): min / median / max',
);
for (const file of files) {
  const per: (typeof count)[] = [];
  for (let i = 0; i <= RUNS; i++) {
    Object.assign(count, { syncs: 0, noop: 0, noopMs: 0, changedMs: 0, sends: 0, sendMs: 0, scheduleMs: 0 });
    const { scenario, fs } = loadScenario(path.join(root, file), {});
    await runScenario(scenario, fs, { seed: scenario.settings.seed, emit: () => {} });
    if (i > 0) per.push({ ...count });
  }
  const c = per[0]!;
  const noopUs = stats(per.map((x) => (1000 * x.noopMs) / x.noop));
  const machineUs = stats(per.map((x) => (1000 * (x.sendMs - x.scheduleMs)) / x.sends));
  const share = stats(
    per.map(
      (x) =>
        (100 * (x.noopMs + x.sendMs - x.scheduleMs)) / (x.noopMs + x.changedMs + x.sendMs - x.scheduleMs),
    ),
  );
  console.log(`  ${path.dirname(file).replace(/^scenarios\//, '')}: ${c.syncs} syncs, ${c.noop} no-ops`);
  console.log(
    `    a no-op sync's body: ${fmt(noopUs, 'µs')}; XState per event, beyond its sync: ${fmt(machineUs, 'µs')}`,
  );
  console.log(`    no-op bodies + XState, share of all controller time: ${fmt(share, '%')}`);
}
