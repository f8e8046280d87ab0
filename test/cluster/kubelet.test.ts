import { describe, expect, it } from 'vitest';
import { parseImagePattern, type AppModel } from '../../sim/apps/index.js';
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, isPodReady, type Pod } from '../../sim/cluster/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { projectRollout } from '../../cli/views/projectRollout.js';
import { renderGetRollout } from '../../cli/views/renderGetRollout.js';
import { manifests } from '../commands/worldHarness.js';

const POS = { file: 't.yaml', line: 1, col: 1 };

function model(over: Partial<AppModel>): AppModel {
  return {
    match: parseImagePattern('ghcr.io/acme/app'),
    behaviour: {},
    changes: [],
    neverReady: false,
    pullFails: false,
    exact: false,
    pos: POS,
    ...over,
  };
}

const ROLLOUT = (
  probe: string,
  image = 'ghcr.io/acme/app:1.0.0',
  extra = '',
) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: app}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: ${image}
${probe}
${extra}
  strategy: {canary: {steps: [{setWeight: 50}, {pause: {}}]}}
`;

const READINESS = `          readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5, failureThreshold: 3}`;

function world(apps: AppModel[], injected = false): World {
  return new World({
    ...DEFAULT_WORLD_OPTIONS,
    namespaces: { shop: { istioInjection: injected } },
    podTimings: { ...DEFAULT_WORLD_OPTIONS.podTimings, jitter: 0 },
    apps,
  });
}

const thePod = (w: World): Pod => w.cluster.allPods().find((p) => !p.terminating)!;

/** Applies and lets the controller create the pod (its first syncs run at once on the clock). */
async function applyRollout(w: World, yaml: string): Promise<void> {
  w.apply(manifests(yaml), 'shop');
  await w.clock.advance(0);
}

/** Steps the clock a second at a time, recording each change of the pod's status / restarts / readiness. */
async function trace(
  w: World,
  seconds: number,
): Promise<{ t: number; status: string; restarts: number; ready: boolean }[]> {
  const out: { t: number; status: string; restarts: number; ready: boolean }[] = [];
  const t0 = w.now();
  for (let i = 0; i <= seconds; i++) {
    const p = thePod(w);
    const row = { t: (w.now() - t0) / 1000, status: p.status, restarts: p.restarts, ready: isPodReady(p) };
    const last = out[out.length - 1];
    if (!last || last.status !== row.status || last.restarts !== row.restarts || last.ready !== row.ready)
      out.push(row);
    await w.clock.advance(1000);
  }
  return out;
}

describe('kubelet: crash loops', () => {
  it("restarts at once after the first crash, then after Kubernetes' back-off: 10 s, 20 s, 40 s … 300 s", async () => {
    const w = world([model({ crash: { afterMs: 30_000, exitCode: 1 } })]);
    await applyRollout(w, ROLLOUT(''));
    const rows = await trace(w, 1500);
    const starts = rows
      .filter((r, i) => r.status === 'Running' && rows[i - 1]?.status !== 'Running')
      .map((r) => r.t);
    const crashes = rows.filter((r) => r.status === 'Error').map((r) => r.t);
    // Pulled in 3 s; each run lasts 30 s.
    expect(starts[0]).toBe(3);
    crashes.forEach((c, i) => expect(c - starts[i]!).toBe(30));
    const waits = starts.slice(1).map((s, i) => s - crashes[i]!);
    // The first restart waits only for the kubelet's next sync (a second).
    expect(waits.slice(0, 7)).toEqual([1, 10, 20, 40, 80, 160, 300]);
    expect(BACKOFF_INITIAL_MS).toBe(10_000);
    expect(BACKOFF_MAX_MS).toBe(300_000);
    // Between a crash and a delayed restart the pod shows CrashLoopBackOff (after a second of Error).
    const secondCrash = crashes[1]!;
    expect(rows.find((r) => r.t === secondCrash + 1)?.status).toBe('CrashLoopBackOff');
    expect(rows[rows.length - 1]!.restarts).toBe(starts.length - 1);
  });

  it('the back-off resets after ten minutes of running', async () => {
    const w = world([model({ crash: { afterMs: 11 * 60_000, exitCode: 1 } })]);
    await applyRollout(w, ROLLOUT(''));
    const rows = await trace(w, 3 * 11 * 60 + 60);
    const starts = rows
      .filter((r, i) => r.status === 'Running' && rows[i - 1]?.status !== 'Running')
      .map((r) => r.t);
    const crashes = rows.filter((r) => r.status === 'Error').map((r) => r.t);
    const waits = starts.slice(1).map((s, i) => s - crashes[i]!);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    // Each crash comes more than ten minutes after the last restart: it counts as the first.
    expect(waits.every((x) => x === 1)).toBe(true);
  });

  it('a crashing pod is not ready: it leaves the endpoints while down and shows restarts in the tree', async () => {
    const w = world([model({ crash: { afterMs: 30_000, exitCode: 1 } })], true);
    await applyRollout(w, ROLLOUT(READINESS));
    await w.clock.advance(70_000);
    const pod = thePod(w);
    expect(pod.restarts).toBeGreaterThanOrEqual(1);
    const view = projectRollout(w, w.rollout('shop', 'app')!.ro);
    const text = renderGetRollout(view, w.now());
    expect(text).toMatch(
      new RegExp(
        `${pod.meta.name}\\s+Pod\\s+\\S+ (Error|CrashLoopBackOff|Running)\\s+\\S+\\s+ready:[012]/2,restarts:${pod.restarts}`,
      ),
    );
  });
});

describe('kubelet: images that do not exist', () => {
  it('ErrImagePull, then ImagePullBackOff, retried with the back-off; the tree shows it with ⚠', async () => {
    const w = world([model({ pullFails: true })]);
    await applyRollout(w, ROLLOUT(''));
    const rows = await trace(w, 200);
    expect(rows.map((r) => [r.t, r.status])).toEqual([
      [0, 'ContainerCreating'],
      [3, 'ErrImagePull'],
      [4, 'ImagePullBackOff'],
      [13, 'ErrImagePull'],
      [14, 'ImagePullBackOff'],
      [33, 'ErrImagePull'],
      [34, 'ImagePullBackOff'],
      [73, 'ErrImagePull'],
      [74, 'ImagePullBackOff'],
      [153, 'ErrImagePull'],
      [154, 'ImagePullBackOff'],
    ]);
    const text = renderGetRollout(projectRollout(w, w.rollout('shop', 'app')!.ro), w.now());
    expect(text).toMatch(/Pod\s+⚠ ImagePullBackOff/);
  });

  it("a built-in app's tag that was never released does not exist (silly-demo 1.4.130)", async () => {
    const w = world([]);
    await applyRollout(w, ROLLOUT('', 'ghcr.io/vfarcic/silly-demo:1.4.130'));
    await w.clock.advance(10_000);
    expect(thePod(w).status).toBe('ImagePullBackOff');
  });
});

describe('kubelet: readiness', () => {
  it('never ready with a readiness probe: Running, 0/1 ready, no endpoints', async () => {
    const w = world([model({ neverReady: true })]);
    await applyRollout(w, ROLLOUT(READINESS));
    await w.clock.advance(120_000);
    const p = thePod(w);
    expect([p.status, p.readyContainers, isPodReady(p)]).toEqual(['Running', 0, false]);
  });

  it('never ready without a probe: Kubernetes counts it ready, and the run says so once', async () => {
    const w = world([model({ neverReady: true })]);
    await applyRollout(w, ROLLOUT(''));
    await w.clock.advance(60_000);
    expect(isPodReady(thePod(w))).toBe(true);
    expect(w.notices.filter((n) => n.includes('has no readinessProbe'))).toHaveLength(1);
  });

  it('a start-up time delays readiness to the first probe after the app listens', async () => {
    const w = world([model({ readyAfterMs: 20_000 })]);
    await applyRollout(w, ROLLOUT(READINESS));
    const rows = await trace(w, 60);
    // Pulled at 3 s; first probe 1 s later, then every 5 s: the first at or after 20 s of start-up is at 21 s.
    expect(rows.find((r) => r.ready)?.t).toBe(3 + 21);
  });

  it('a fault that makes the app unready takes failureThreshold probes; clearing it, one', async () => {
    const w = world([model({})]);
    await applyRollout(w, ROLLOUT(READINESS));
    await w.clock.advance(30_000);
    expect(isPodReady(thePod(w))).toBe(true);
    const at = w.now();
    w.setFault({ image: parseImagePattern('ghcr.io/acme/app'), set: { ready: false } });
    const rows = await trace(w, 40);
    const down = rows.find((r) => !r.ready)!.t;
    // Probes every 5 s from 4 s after the pod started: the next probe, then two more failures.
    expect(down).toBeGreaterThanOrEqual(10);
    expect(down).toBeLessThanOrEqual(15);
    w.clearFaults();
    const back = await trace(w, 20);
    const up = back.find((r) => r.ready)!.t;
    expect(up).toBeLessThanOrEqual(5);
    void at;
  });

  it('an unhealthy app with a livenessProbe is killed after failureThreshold probes and restarted', async () => {
    const liveness = `          livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 10, failureThreshold: 3}`;
    const w = world([model({ behaviour: { unhealthy: true } })]);
    await applyRollout(w, ROLLOUT(liveness));
    const rows = await trace(w, 120);
    const firstError = rows.find((r) => r.status === 'Error')!;
    // Started at 3 s; probes at 3, 13, 23 s fail: killed at the third.
    expect(firstError.t).toBe(3 + 20);
    expect(rows[rows.length - 1]!.restarts).toBeGreaterThanOrEqual(1);
    expect(
      w.events.events.some((e) => e.reason === 'Killing' && e.message.includes('failed liveness probe')),
    ).toBe(true);
  });
});
