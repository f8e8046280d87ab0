import type { ControlClient, RolloutDetail } from '../../cli/live/controlApi.js';
import type { RolloutState } from '../../cli/scenario/state.js';
import type { RolloutView } from '../../cli/views/RolloutView.js';

/** Where the fake rollout is: before the update, paused at the canary's first step, after a promote. */
export type FakeStage = 'stable' | 'canary' | 'promoted';

/** An in-memory ControlClient for the TUI tests: one rollout (a-team/silly-demo) and its traffic. */
export interface FakeControlClient extends ControlClient {
  stage: FakeStage;
  /** Every command, in order. */
  readonly commands: { action: string; body?: Record<string, unknown> }[];
  /** How many times the rollout was read. */
  reads: number;
  /** Errors the next calls of a kind throw (kept until cleared). */
  fail: { rollout?: Error; command?: Error; queryRange?: Error };
}

export const T0 = Date.UTC(2024, 10, 11, 12, 0, 0);
const STABLE_RS = 'silly-demo-6b8f9c7d54';
const CANARY_RS = 'silly-demo-7d9b8c6f5';
const IMAGE = 'ghcr.io/vfarcic/silly-demo';

/** `now` is the simulated clock the fake reports (defaults to T0 plus wall time since creation). */
export function fakeControlClient(now?: () => number): FakeControlClient {
  const started = Date.now();
  const clock = now ?? (() => T0 + 10 * 60_000 + (Date.now() - started));
  const client: FakeControlClient = {
    stage: 'stable',
    commands: [],
    reads: 0,
    fail: {},
    status: () =>
      Promise.resolve({
        now: clock(),
        speed: 1,
        ingress: 'http://127.0.0.1:8080',
        api: 'http://127.0.0.1:9090',
      }),
    rollouts: () => Promise.resolve([{ namespace: 'a-team', name: 'silly-demo' }]),
    pods: () => Promise.resolve([]),
    rollout(namespace, name) {
      client.reads++;
      if (client.fail.rollout) return Promise.reject(client.fail.rollout);
      if (namespace !== 'a-team' || name !== 'silly-demo')
        return Promise.reject(new Error(`rollout ${namespace}/${name} not found`));
      return Promise.resolve(fakeDetail(client.stage, clock()));
    },
    apply: () => Promise.resolve([]),
    delete: () => Promise.resolve([]),
    command(_namespace, name, action, body) {
      if (client.fail.command) return Promise.reject(client.fail.command);
      client.commands.push(body === undefined ? { action } : { action, body });
      if (action === 'promote') client.stage = 'promoted';
      return Promise.resolve(`rollout '${name}' ${action === 'promote' ? 'promoted' : action}`);
    },
    setImage: () => Promise.resolve(''),
    setFault: () => Promise.resolve(''),
    clearFaults: () => Promise.resolve('0 faults cleared'),
    faults: () => Promise.resolve([]),
    clock(change) {
      client.commands.push({ action: 'clock', body: { ...change } });
      return client.status();
    },
    hold(_namespace, name, step) {
      client.commands.push({ action: 'hold', body: { step } });
      return Promise.resolve(`rollout '${name}' held at step ${step}/8`);
    },
    reset: () => Promise.resolve('reset'),
    analysisRuns: () => Promise.resolve([]),
    virtualServices: () => Promise.resolve([]),
    queryRange(query, startMs, endMs, stepMs) {
      if (client.fail.queryRange) return Promise.reject(client.fail.queryRange);
      const ok = query.includes('response_code!~');
      const series = (service: string, value: (t: number) => number | undefined) => {
        const values: [number, number][] = [];
        for (let t = startMs; t <= endMs; t += stepMs) {
          const v = value(t);
          if (v !== undefined) values.push([t, v]);
        }
        return { metric: { destination_service_name: service }, values };
      };
      const canaryFrom = endMs - 2 * 60_000;
      return Promise.resolve([
        series('silly-demo-stable', () => 8),
        // The canary started two minutes ago and fails 40 % of its requests.
        ...(client.stage === 'stable'
          ? []
          : [series('silly-demo-canary', (t) => (t < canaryFrom ? undefined : ok ? 1.2 : 2))]),
      ]);
    },
  };
  return client;
}

/** The rollout at `stage`, as the control API would return it at `now`. */
export function fakeDetail(stage: FakeStage, now: number): RolloutDetail {
  const created = T0;
  const updated = now - 2 * 60_000;
  const pod = (rs: string, suffix: string, at: number) => ({
    name: `${rs}-${suffix}`,
    status: 'Running',
    createdAt: at,
    ready: '1/1',
    restarts: 0,
  });
  const stableRevision = {
    revision: 1,
    replicaSets: [
      {
        name: STABLE_RS,
        status: 'Healthy',
        createdAt: created,
        stable: true,
        canary: false,
        pods: [pod(STABLE_RS, 'x2x4z', created), pod(STABLE_RS, 'k8mpq', created)],
      },
    ],
    analysisRuns: [],
  };
  const canaryWeight = stage === 'promoted' ? 40 : 20;
  const view: RolloutView =
    stage === 'stable'
      ? {
          name: 'silly-demo',
          namespace: 'a-team',
          status: 'Healthy',
          message: '',
          strategy: 'Canary',
          step: '8/8',
          setWeight: '100',
          actualWeight: '100',
          images: [{ image: `${IMAGE}:1.4.126`, tags: ['stable'] }],
          replicas: { desired: 2, current: 2, updated: 2, ready: 2, available: 2 },
          createdAt: created,
          revisions: [stableRevision],
        }
      : {
          name: 'silly-demo',
          namespace: 'a-team',
          status: stage === 'canary' ? 'Paused' : 'Progressing',
          message: stage === 'canary' ? 'CanaryPauseStep' : 'more replicas need to be updated',
          strategy: 'Canary',
          step: stage === 'canary' ? '1/8' : '2/8',
          setWeight: String(canaryWeight),
          actualWeight: String(canaryWeight),
          images: [
            { image: `${IMAGE}:1.4.126`, tags: ['stable'] },
            { image: `${IMAGE}:1.4.127`, tags: ['canary'] },
          ],
          replicas: { desired: 2, current: 3, updated: 1, ready: 3, available: 3 },
          createdAt: created,
          revisions: [
            {
              revision: 2,
              replicaSets: [
                {
                  name: CANARY_RS,
                  status: 'Healthy',
                  createdAt: updated,
                  stable: false,
                  canary: true,
                  pods: [pod(CANARY_RS, 'q7w2n', updated)],
                },
              ],
              analysisRuns: [
                {
                  name: `${CANARY_RS}-2-1`,
                  status: 'Running',
                  createdAt: updated,
                  successful: 2,
                  failed: 1,
                  inconclusive: 0,
                  error: 0,
                },
              ],
            },
            stableRevision,
          ],
        };
  const state: RolloutState = {
    name: 'silly-demo',
    namespace: 'a-team',
    phase: view.status,
    message: view.message,
    step: view.step,
    stepIndex: stage === 'stable' ? 8 : stage === 'canary' ? 1 : 2,
    steps: 8,
    setWeight: Number(view.setWeight),
    actualWeight: Number(view.actualWeight),
    images: { stable: `${IMAGE}:1.4.126`, canary: stage === 'stable' ? null : `${IMAGE}:1.4.127` },
    replicas: view.replicas,
    revision: stage === 'stable' ? 1 : 2,
    aborted: false,
    healthyAt: 0,
    abortedAt: null,
    canaryRequestsBeforeAbort: null,
    canaryErrorsBeforeAbort: null,
    history: [{ t: 0, phase: 'Healthy', message: '' }],
    revisions: [],
    analysisRuns: [],
  };
  const runs: RolloutDetail['runs'] =
    stage === 'stable'
      ? []
      : [
          {
            name: `${CANARY_RS}-2-1`,
            rollout: 'silly-demo',
            revision: 2,
            kind: 'Background',
            phase: 'Running',
            message: '',
            startedAt: new Date(updated).toISOString(),
            completedAt: null,
            metrics: [
              {
                name: 'success-rate',
                dryRun: false,
                phase: 'Running',
                count: 3,
                successful: 2,
                failed: 1,
                inconclusive: 0,
                error: 0,
                lastValue: '[0.6]',
                lastMessage: null,
                message: '',
                consecutiveError: 0,
                consecutiveSuccess: 0,
                limits: {
                  failureLimit: 1,
                  inconclusiveLimit: 0,
                  consecutiveErrorLimit: 4,
                  consecutiveSuccessLimit: 0,
                  count: null,
                },
                measurements: [],
                measurementsDropped: 0,
                decided: null,
              },
            ],
            runSummary: { count: 1, successful: 0, failed: 0, inconclusive: 0, error: 0 },
            dryRunSummary: null,
            measurements: [
              { metric: 'success-rate', phase: 'Successful', value: '[1]', at: updated + 10_000 },
              {
                metric: 'success-rate',
                phase: 'Successful',
                value: '[0.9743589743589743]',
                at: updated + 70_000,
              },
              { metric: 'success-rate', phase: 'Failed', value: '[0.6]', at: updated + 110_000 },
            ],
          },
        ];
  const weights: RolloutDetail['weights'] = [
    {
      virtualService: 'silly-demo',
      route: 'primary',
      destinations: [
        { host: 'silly-demo-stable', weight: stage === 'stable' ? 100 : 100 - canaryWeight },
        { host: 'silly-demo-canary', weight: stage === 'stable' ? 0 : canaryWeight },
      ],
    },
  ];
  return { now, view, state, runs, weights };
}
