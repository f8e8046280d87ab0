import { stringify } from 'yaml';
import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import type { HeyResult } from '../../loadgen/HeyResult.js';
import { VirtualHey } from '../../loadgen/virtualHey.js';
import { describeTraffic } from '../../loadgen/describeTraffic.js';
import { OpenTraffic } from '../../loadgen/openTraffic.js';
import { TrafficPump } from '../../loadgen/pacer.js';
import type { TrafficResult } from '../../loadgen/TrafficResult.js';
import { RemotePrometheusProvider } from '../providers/RemotePrometheusProvider.js';
import { evaluateBoolCondition, parseCondition } from '../../sim/analysis/condition/index.js';
import { answerOf, type ProviderAnswer } from '../../sim/analysis/index.js';
import { Rng } from '../../sim/clock/index.js';
import { formatPos, InputError, type SourcePos } from '../../sim/errors.js';
import {
  joinPath,
  kustomizeBuild,
  kustomizeSetImage,
  loadManifestFile,
  type ManifestObject,
  type OverlayFileSystem,
} from '../../sim/manifests/index.js';
import { parseRequestUrl } from '../../sim/mesh/index.js';
import type { QueryResult } from '../../sim/promql/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import type { Fault } from '../../sim/apps/index.js';
import { RunBudget } from './runBounds.js';
import { observe, type Observed } from './observe.js';
import { buildState, partsOf, type SimState, type StatePart } from './state.js';
import type { Action, Scenario } from './types.js';

/** What a run tells its renderers, in order. Renderers read `world` synchronously inside the callback. */
export type RunEvent =
  | { type: 'say'; text: string }
  /** Something the run says once (an image run as the generic service…). */
  | { type: 'notice'; text: string }
  | { type: 'command'; text: string; output: string[] }
  | { type: 'getRollout'; namespace: string; name: string; id?: string }
  | { type: 'yaml'; command: string; text: string }
  | { type: 'heyStarted'; id: string; command: string }
  | { type: 'trafficStarted'; id: string; description: string }
  | { type: 'trafficStopped'; id: string; result: TrafficResult; stopped: boolean }
  | { type: 'heySummary'; id: string; command: string; result: HeyResult; stopped: boolean }
  | { type: 'curl'; command: string; bodies: string[] }
  | { type: 'query'; expr: string; result: QueryResult | { error: string } }
  | { type: 'wait'; fromMs: number; toMs: number; until?: string; timedOut?: boolean }
  | { type: 'expect'; result: ExpectationResult };

export interface ExpectationResult {
  condition: string;
  source: string;
  /** Simulated seconds since the start when it was checked. */
  t: number;
  passed: boolean;
  error?: string;
  /**
   * For a failed expectation (or waitUntil): the state paths its condition read and their values
   * when it was last evaluated (observe.ts; at most 10, values cut at 200 characters of JSON).
   */
  observed?: Observed[];
}

export interface RunResult {
  world: World;
  state: SimState;
  expectations: ExpectationResult[];
  passed: boolean;
  hey: Map<string, HeyRun>;
  traffic: Map<string, OpenTraffic>;
}

interface HeyRun {
  hey: VirtualHey;
  command: string;
  summary: boolean;
  running: boolean;
  sent: number;
  result?: HeyResult;
}

const fmtPos = formatPos;

/**
 * Plays a validated scenario on the virtual clock: each timeline action in order, waits by
 * advancing the clock, expectations checked where they stand and at the end. Emits what a user
 * would see; the result holds the final state for the JSON report.
 */
export async function runScenario(
  scenario: Scenario,
  fs: OverlayFileSystem,
  opts: {
    seed?: number;
    emit: (e: RunEvent, world: World) => void;
    /** Keep the analysis trace (default true): the bench turns it off to weigh it. */
    traceAnalysis?: boolean;
    /** Sees the world before anything happens in it, its clock's hooks set (the HTML report's recorder). */
    onWorld?: (world: World) => void;
  },
): Promise<RunResult> {
  const s = scenario.settings;
  const world = new World({
    ...DEFAULT_WORLD_OPTIONS,
    seed: opts.seed ?? s.seed,
    startMs: s.startMs,
    argo: s.argo,
    namespaces: s.namespaces,
    podTimings: s.pods,
    scrapeIntervalMs: s.scrapeIntervalMs,
    prometheusAddresses: s.prometheusAddresses,
    trafficTickMs: s.trafficTickMs,
    retentionMs: s.retentionMs,
    remoteProvider: s.allowRemote ? new RemotePrometheusProvider() : undefined,
    apps: s.apps,
    traceAnalysis: opts.traceAnalysis ?? true,
  });
  const emit = (e: RunEvent) => opts.emit(e, world);
  // Load sends whole stationary intervals: it catches up before every event of the clock, every
  // step of the timeline and every read of its counters (see Pacer).
  const pump = new TrafficPump();
  world.clock.beforeTimer = (id) => pump.catchUp(true, id);
  const steadyUntil = () => world.steadyUntil();
  world.onNotice = (text) => emit({ type: 'notice', text });
  opts.onWorld?.(world);
  const loadRng = new Rng(`${opts.seed ?? s.seed}/load`);
  const heys = new Map<string, HeyRun>();
  const traffic = new Map<string, OpenTraffic>();
  const queries: Record<string, ProviderAnswer | null> = {};
  const expectations: ExpectationResult[] = [];
  const state = (parts?: ReadonlySet<StatePart>) => {
    if (!parts || parts.has('hey') || parts.has('traffic')) pump.catchUp(false);
    return buildState(
      world,
      new Map(
        [...heys].map(([id, h]) => [
          id,
          {
            running: h.running,
            sent: h.hey.sent,
            statusCounts: h.hey.statusCounts,
            errorCount: h.hey.errorCount,
          },
        ]),
      ),
      queries,
      parts,
      traffic,
    );
  };

  const check = (condition: string, pos: SourcePos): ExpectationResult => {
    const t = (world.now() - s.startMs) / 1000;
    const st = state(partsOf(condition));
    try {
      const passed = evaluateBoolCondition(parseCondition(condition), st as never);
      if (passed) return { condition, source: fmtPos(pos), t, passed };
      return { condition, source: fmtPos(pos), t, passed, observed: observe(condition, st) };
    } catch (e) {
      const error = (e as Error).message;
      return { condition, source: fmtPos(pos), t, passed: false, error, observed: observe(condition, st) };
    }
  };
  const fail = (a: Action, message: string, observed?: Observed[]) => {
    const r: ExpectationResult = {
      condition: `(${a.type})`,
      source: fmtPos(a.pos),
      t: (world.now() - s.startMs) / 1000,
      passed: false,
      error: message,
      ...(observed ? { observed } : {}),
    };
    expectations.push(r);
    emit({ type: 'expect', result: r });
  };
  const load = (a: { kustomize?: string; file?: string }): ManifestObject[] =>
    a.kustomize !== undefined
      ? kustomizeBuild(fs, joinPath(scenario.dir, a.kustomize))
      : loadManifestFile(fs, joinPath(scenario.dir, a.file!));
  const nsFlag = (ns: string) => `--namespace ${ns} `;
  const settle = () => world.clock.runUntil(world.now());
  const budget = new RunBudget(world.now());

  for (const a of scenario.timeline) {
    pump.catchUp(true);
    switch (a.type) {
      case 'say':
        emit({ type: 'say', text: a.text });
        break;
      case 'apply': {
        const objs = load(a);
        const out = world.apply(objs, a.namespace);
        emit({
          type: 'command',
          text: `kubectl ${nsFlag(a.namespace)}apply ${a.kustomize !== undefined ? `--kustomize ${a.kustomize}` : `--filename ${a.file}`}`,
          output: out,
        });
        break;
      }
      case 'delete': {
        const out = world.delete(load(a), a.namespace);
        emit({
          type: 'command',
          text: `kubectl ${nsFlag(a.namespace)}delete ${a.kustomize !== undefined ? `--kustomize ${a.kustomize}` : `--filename ${a.file}`}`,
          output: out,
        });
        break;
      }
      case 'setImage':
        kustomizeSetImage(fs, joinPath(scenario.dir, a.kustomization), a.image);
        emit({
          type: 'command',
          text: `(cd ${a.kustomization} && kustomize edit set image ${a.image})`,
          output: [],
        });
        break;
      case 'setRolloutImage': {
        const cmd = `kubectl argo rollouts ${nsFlag(a.namespace)}set image ${a.rollout} ${a.container}=${a.image}`;
        try {
          emit({
            type: 'command',
            text: cmd,
            output: [world.setImage(a.namespace, a.rollout, a.container, a.image)],
          });
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          emit({ type: 'command', text: cmd, output: [`Error: ${e.message}`] });
          fail(a, e.message);
        }
        break;
      }
      case 'fault':
        emit({
          type: 'command',
          text: `canarysim fault set ${describeFault(a.fault)}`,
          output: [world.setFault(a.fault)],
        });
        break;
      case 'clearFault':
        emit({
          type: 'command',
          text: `canarysim fault clear${a.target ? ` ${describeFault(a.target)}` : ' --all'}`,
          output: [world.clearFaults(a.target)],
        });
        break;
      case 'prometheus':
        emit({
          type: 'command',
          text: `(prometheus: ${a.fault ?? 'up'})`,
          output: [world.setPrometheusFault(a.fault)],
        });
        break;
      case 'restartGateway':
        emit({ type: 'command', text: '(restartGateway: istio-ingress)', output: [world.restartGateway()] });
        break;
      case 'promote':
      case 'abort':
      case 'retry':
      case 'pause': {
        const r = world.rollout(a.namespace, a.rollout);
        const cmd = `kubectl argo rollouts ${nsFlag(a.namespace)}${a.type}${a.type === 'promote' && a.full ? ' --full' : ''} ${a.rollout}`;
        if (!r) {
          emit({
            type: 'command',
            text: cmd,
            output: [`Error: rollouts.argoproj.io "${a.rollout}" not found`],
          });
          fail(a, `rollout ${a.namespace}/${a.rollout} not found`);
          break;
        }
        if (a.type === 'promote') r.actor.send({ type: 'PROMOTE', full: a.full });
        else if (a.type === 'abort') r.actor.send({ type: 'ABORT' });
        else if (a.type === 'retry') r.actor.send({ type: 'RETRY' });
        else r.actor.send({ type: 'PAUSE' });
        const past = {
          promote: a.type === 'promote' && a.full ? 'fully promoted' : 'promoted',
          abort: 'aborted',
          retry: 'retried',
          pause: 'paused',
        }[a.type];
        emit({ type: 'command', text: cmd, output: [`rollout '${a.rollout}' ${past}`] });
        break;
      }
      case 'undo':
      case 'restart': {
        const flag =
          a.type === 'undo'
            ? a.toRevision > 0
              ? ` --to-revision=${a.toRevision}`
              : ''
            : a.in !== undefined
              ? ` --in ${a.in}`
              : '';
        const cmd = `kubectl argo rollouts ${nsFlag(a.namespace)}${a.type} ${a.rollout}${flag}`;
        try {
          const out =
            a.type === 'undo'
              ? world.undo(a.namespace, a.rollout, a.toRevision)
              : world.restart(a.namespace, a.rollout, a.inMs, a.in);
          emit({ type: 'command', text: cmd, output: [out] });
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          emit({ type: 'command', text: cmd, output: [`Error: ${e.message}`] });
          fail(a, e.message);
        }
        break;
      }
      case 'get':
        if (!world.rollout(a.namespace, a.rollout)) {
          emit({
            type: 'command',
            text: `kubectl argo rollouts ${nsFlag(a.namespace)}get rollout ${a.rollout}`,
            output: [`Error: rollouts.argoproj.io "${a.rollout}" not found`],
          });
          fail(a, `rollout ${a.namespace}/${a.rollout} not found`);
        } else {
          emit({ type: 'getRollout', namespace: a.namespace, name: a.rollout, id: a.id });
        }
        break;
      case 'getVirtualService': {
        const vs = world.mesh.virtualServices.get(`${a.namespace}/${a.name}`);
        const command = `kubectl ${nsFlag(a.namespace)}get virtualservice ${a.name} --output yaml`;
        if (!vs) {
          emit({
            type: 'command',
            text: command,
            output: [
              `Error from server (NotFound): virtualservices.networking.istio.io "${a.name}" not found`,
            ],
          });
          fail(a, `virtualservice ${a.namespace}/${a.name} not found`);
          break;
        }
        const doc = {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: a.name, namespace: a.namespace },
          spec: vs.rawSpec,
        };
        emit({ type: 'yaml', command, text: stringify(doc, { indentSeq: false }) });
        break;
      }
      case 'hey': {
        if (heys.get(a.id)?.running) {
          fail(a, `hey "${a.id}" is already running`);
          break;
        }
        const options = parseHeyArgs(a.argv);
        const hey = new VirtualHey(
          {
            now: () => world.now(),
            setTimeout: (fn, ms) => world.clock.setTimeout(fn, ms),
            clearTimeout: (id) => world.clock.clearTimeout(id),
            dispatch: (req, count) => {
              budget.send(a, a.id, count);
              return world.dispatch(req, count, a.namespace);
            },
            steadyUntil,
            pump,
          },
          options,
          loadRng.fork(a.id),
          s.trafficTickMs,
        );
        const run: HeyRun = { hey, command: `hey ${a.command}`, summary: a.summary, running: true, sent: 0 };
        hey.onDone = (result) => {
          run.running = false;
          run.result = result;
          if (run.summary)
            emit({ type: 'heySummary', id: a.id, command: run.command, result, stopped: false });
        };
        heys.set(a.id, run);
        hey.start();
        emit({ type: 'heyStarted', id: a.id, command: run.command });
        break;
      }
      case 'traffic': {
        const id = a.spec.id;
        if (traffic.get(id)?.running) {
          fail(a, `traffic "${id}" is already running`);
          break;
        }
        const t = new OpenTraffic(
          {
            now: () => world.now(),
            setTimeout: (fn, ms) => world.clock.setTimeout(fn, ms),
            clearTimeout: (tid) => world.clock.clearTimeout(tid),
            dispatch: (req, count) => {
              budget.send(a, id, count);
              return world.dispatch(req, count, a.spec.namespace);
            },
            steadyUntil,
            pump,
          },
          a.spec,
          loadRng.fork(`traffic/${id}`),
          s.trafficTickMs,
        );
        t.onDone = (result) => emit({ type: 'trafficStopped', id, result, stopped: false });
        traffic.set(id, t);
        t.start();
        emit({ type: 'trafficStarted', id, description: describeTraffic(a.spec) });
        break;
      }
      case 'stopTraffic': {
        const t = traffic.get(a.id);
        if (!t || !t.running) {
          fail(a, `no running traffic "${a.id}"`);
          break;
        }
        t.onDone = undefined;
        emit({ type: 'trafficStopped', id: a.id, result: t.stop(), stopped: true });
        break;
      }
      case 'stopHey': {
        const run = heys.get(a.id);
        if (!run || !run.running) {
          fail(a, `no running hey "${a.id}"`);
          break;
        }
        run.summary = false;
        const result = run.hey.stop();
        emit({ type: 'heySummary', id: a.id, command: run.command, result, stopped: true });
        break;
      }
      case 'curl': {
        const url = parseRequestUrl(a.url);
        const bodies: string[] = [];
        if (typeof url === 'string') {
          fail(a, url);
          break;
        }
        // curl's own headers, then -H ones (which replace them); a Host header is what routes.
        const headers: Record<string, string> = { 'user-agent': 'curl/7.88.1', accept: '*/*' };
        for (const [k, v] of Object.entries(a.headers ?? {})) headers[k.toLowerCase()] = v;
        const host = a.headers ? headers['host'] : undefined;
        const req = {
          url: host ? { ...url, host: host.replace(/:\d+$/, '').toLowerCase() } : url,
          method: 'GET',
          headers,
        };
        for (let i = 0; i < a.count; i++) {
          for (const o of world.dispatch(req, 1, a.namespace)) {
            bodies.push(
              o.status === 0 ? `curl: (7) Failed to connect to ${url.host} port ${url.port}` : o.body,
            );
          }
        }
        const flags = Object.entries(a.headers ?? {})
          .map(([k, v]) => `-H "${k}: ${v}" `)
          .join('');
        const cmd =
          a.count === 1
            ? `curl ${flags}"${a.url}"`
            : `for i in {1..${a.count}}; do curl ${flags}"${a.url}"; done`;
        emit({ type: 'curl', command: cmd, bodies });
        break;
      }
      case 'query': {
        let result: QueryResult | { error: string };
        try {
          result = world.query(a.expr);
        } catch (e) {
          result = { error: (e as Error).message };
        }
        if (a.id !== undefined) queries[a.id] = 'error' in result ? null : (answerOf(result) ?? null);
        emit({ type: 'query', expr: a.expr, result });
        break;
      }
      case 'wait': {
        const from = world.now();
        budget.advanceTo(a, from + a.ms);
        await world.clock.advance(a.ms);
        emit({ type: 'wait', fromMs: from, toMs: world.now() });
        break;
      }
      case 'waitUntil': {
        const from = world.now();
        budget.advanceTo(a, from + a.timeoutMs);
        const ast = parseCondition(a.condition);
        const parts = partsOf(a.condition);
        // Conditions over rollouts, runs and routes only change when the world does; time and load change every tick.
        const volatile = /\b(time|hey|queries|traffic)\b/.test(a.condition);
        let ok = false;
        let error: string | undefined;
        let stamp: string | undefined;
        let seen: SimState | undefined;
        for (;;) {
          const now = world.changeStamp();
          if (volatile || now !== stamp) {
            stamp = now;
            try {
              seen = state(parts);
              ok = evaluateBoolCondition(ast, seen as never);
              error = undefined;
            } catch (e) {
              ok = false;
              error = (e as Error).message;
            }
          }
          if (ok || world.now() - from >= a.timeoutMs) break;
          const end = from + a.timeoutMs;
          let to = Math.min(world.now() + a.pollMs, end);
          if (!volatile) {
            // Nothing such a condition reads changes before the clock's next event: skip to the
            // first poll at or after it (the polls between would see what this one saw).
            const next = world.clock.peek();
            const poll = next === undefined ? end : from + Math.ceil((next - from) / a.pollMs) * a.pollMs;
            to = Math.max(to, Math.min(poll, end));
          }
          await world.clock.runUntil(to);
        }
        emit({ type: 'wait', fromMs: from, toMs: world.now(), until: a.condition, timedOut: !ok });
        if (!ok)
          fail(
            a,
            `timed out after ${(a.timeoutMs / 1000).toFixed(0)}s waiting for ${a.condition}${error ? ` (${error})` : ''}`,
            seen && observe(a.condition, seen),
          );
        break;
      }
      case 'expect': {
        const r = check(a.condition, a.pos);
        expectations.push(r);
        emit({ type: 'expect', result: r });
        break;
      }
    }
    await settle();
  }
  for (const e of scenario.expect) {
    const r = check(e.condition, e.pos);
    expectations.push(r);
    emit({ type: 'expect', result: r });
  }
  for (const run of heys.values()) {
    if (run.running) {
      run.summary = false;
      run.result = run.hey.stop();
      run.running = false;
    }
  }
  for (const t of traffic.values()) {
    t.onDone = undefined;
    if (t.running) t.stop();
  }
  const final = state();
  return {
    world,
    state: final,
    expectations,
    passed: expectations.every((e) => e.passed),
    hey: heys,
    traffic,
  };
}

/** A fault's target as the CLI writes it (`--image repo:tag --pod name -n ns`). */
export function describeFault(f: Pick<Fault, 'image' | 'pod' | 'namespace'>): string {
  return [
    f.image ? `--image ${f.image.text}` : '',
    f.pod ? `--pod ${f.pod}` : '',
    f.namespace ? `-n ${f.namespace}` : '',
  ]
    .filter((x) => x)
    .join(' ');
}
