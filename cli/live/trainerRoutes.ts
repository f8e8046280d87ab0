import { MAX_SPEED, type RealClock } from '../../sim/clock/index.js';
import { InputError } from '../../sim/errors.js';
import type { AnyWorld } from '../../sim/world.js';
import type { ApiResponse } from '../server/prometheusApi.js';
import {
  CONTROL_PREFIX,
  type AnalysisRunRow,
  type ServerStatus,
  type VirtualServiceRow,
} from './controlApi.js';
import type { StepHolds } from './stepHolds.js';

/** What the trainer controls act on: serve's clock, its holds, and its reset. */
export interface Trainer {
  clock: RealClock;
  holds: StepHolds;
  /** Starts the world again; resolves to the line the CLI prints. */
  reset(): Promise<string>;
  status(): ServerStatus;
}

const json = (status: number, body: unknown): ApiResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

/** `POST /clock`: `{speed?, paused?}`, each checked before either applies. */
function changeClock(trainer: Trainer, body: Record<string, unknown>): ApiResponse {
  const { speed, paused } = body;
  if (speed === undefined && paused === undefined)
    throw new InputError('expected {"speed": <number>} and/or {"paused": true|false}');
  if (speed !== undefined && (typeof speed !== 'number' || !(speed > 0) || speed > MAX_SPEED))
    throw new InputError(`invalid speed ${JSON.stringify(speed)}: expected a number in (0, ${MAX_SPEED}]`);
  if (paused !== undefined && typeof paused !== 'boolean')
    throw new InputError(`invalid paused ${JSON.stringify(paused)}: expected true or false`);
  if (speed !== undefined) trainer.clock.setSpeed(speed);
  if (paused === true) trainer.clock.pause();
  if (paused === false) trainer.clock.resume();
  return json(200, trainer.status());
}

function analysisRunRows(world: AnyWorld, ns: string, name?: string): AnalysisRunRow[] {
  return world.analysis
    .allRuns()
    .filter((r) => r.namespace === ns && (name === undefined || r.name === name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((r) => ({ name: r.name, namespace: r.namespace, phase: r.phase, createdAt: r.createdAt }));
}

function virtualServiceRows(world: AnyWorld, ns: string, name?: string): VirtualServiceRow[] {
  return [...world.mesh.virtualServices.values()]
    .filter((vs) => vs.meta.namespace === ns && (name === undefined || vs.meta.name === name))
    .sort((a, b) => (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0))
    .map((vs) => ({
      name: vs.meta.name,
      namespace: vs.meta.namespace,
      gateways: [...vs.gateways],
      hosts: [...vs.hosts],
      createdAt: vs.meta.creationTimestamp,
    }));
}

/** `kubectl get KIND NAME`'s answer when there is no such object (exit 1 in the CLI). */
const notFound = (resource: string, name: string): ApiResponse =>
  json(404, { error: `${resource} "${name}" not found` });

/**
 * The trainer's endpoints of the control API (see controlApi.ts): the clock, holds, reset, and
 * the kubectl reads of AnalysisRuns and VirtualServices. Undefined for any other path, so the
 * control API's own handler answers it. Bad input is 400 with one line naming the value.
 */
export async function handleTrainer(
  method: string,
  pathname: string,
  body: Record<string, unknown>,
  world: AnyWorld,
  trainer: Trainer,
): Promise<ApiResponse | undefined> {
  if (!pathname.startsWith(CONTROL_PREFIX)) return undefined;
  const rest = pathname.slice(CONTROL_PREFIX.length);
  try {
    if (method === 'POST' && rest === '/clock') return changeClock(trainer, body);
    if (method === 'POST' && rest === '/reset') return json(200, { message: await trainer.reset() });
    const hold = /^\/rollouts\/([^/]+)\/([^/]+)\/hold$/.exec(rest);
    if (hold && method === 'POST') {
      const [, ns, name] = hold as unknown as [string, string, string];
      if (!world.rollout(ns, name)) return json(404, { error: `rollouts.argoproj.io "${name}" not found` });
      const step = body['step'];
      if (step !== null && typeof step !== 'number')
        throw new InputError(
          `invalid step ${JSON.stringify(step)}: expected a step number, or null to clear the hold`,
        );
      return json(200, { message: trainer.holds.set(ns, name, step) });
    }
    const get = /^\/(analysisruns|virtualservices)\/([^/]+)(?:\/([^/]+))?$/.exec(rest);
    if (get && method === 'GET') {
      const [, kind, ns, name] = get as unknown as [string, string, string, string | undefined];
      const items =
        kind === 'analysisruns' ? analysisRunRows(world, ns, name) : virtualServiceRows(world, ns, name);
      if (name !== undefined && items.length === 0)
        return notFound(
          kind === 'analysisruns' ? 'analysisruns.argoproj.io' : 'virtualservices.networking.istio.io',
          name,
        );
      return json(200, { items });
    }
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return json(400, { error: e.format() });
    throw e;
  }
}
