import path from 'node:path';
import { parseGoDuration } from '../../sim/duration.js';
import { InputError } from '../../sim/errors.js';
import { kustomizeBuild, loadManifestFile, type ManifestObject } from '../../sim/manifests/index.js';
import { isPodReady } from '../../sim/cluster/index.js';
import type { AnyWorld } from '../../sim/world.js';
import { NodeFileSystem } from '../io/NodeFileSystem.js';
import { buildState, runState } from '../scenario/state.js';
import type { ApiResponse } from '../server/prometheusApi.js';
import { projectRollout } from '../views/projectRollout.js';
import { CONTROL_PREFIX, type RolloutDetail, type ServerStatus } from './controlApi.js';

const json = (status: number, body: unknown): ApiResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});
const error = (status: number, message: string): ApiResponse => json(status, { error: message });

/** Reads manifests the client named by absolute path (serve and its clients share a machine). */
function load(body: Record<string, unknown>): { objects: ManifestObject[]; namespace: string } {
  const namespace = typeof body['namespace'] === 'string' ? body['namespace'] : 'default';
  const k = body['kustomize'];
  const f = body['file'];
  if (typeof k === 'string' && path.isAbsolute(k))
    return { objects: kustomizeBuild(new NodeFileSystem(path.dirname(k)), path.basename(k)), namespace };
  if (typeof f === 'string' && path.isAbsolute(f))
    return { objects: loadManifestFile(new NodeFileSystem(path.dirname(f)), path.basename(f)), namespace };
  throw new InputError('expected an absolute "kustomize" directory or "file" path');
}

/** What `get rollout` and the dashboard need about one rollout, now. */
export function rolloutDetail(world: AnyWorld, ns: string, name: string): RolloutDetail | undefined {
  const r = world.rollout(ns, name);
  if (!r) return undefined;
  const state = buildState(world, new Map(), {}, new Set(['rollouts']));
  return {
    now: world.now(),
    view: projectRollout(world, r.ro),
    state: state.rollouts[name]!,
    runs: world.analysis.runsOf(ns, name).map((run) => ({
      ...runState(run),
      measurements: run.metricResults.flatMap((m) =>
        m.measurements.map((x) => ({
          metric: m.name,
          phase: x.phase,
          value: x.value ?? '',
          at: x.finishedAt ?? x.startedAt ?? 0,
        })),
      ),
    })),
    weights: [...world.mesh.virtualServices.values()]
      .filter((vs) => vs.meta.namespace === ns)
      .flatMap((vs) =>
        vs.http.map((h) => ({
          virtualService: vs.meta.name,
          route: h.name ?? null,
          destinations: h.route.map((d, _i, all) => ({
            host: d.destination.host,
            weight: d.weight ?? (all.length === 1 ? 100 : 0),
          })),
        })),
      ),
  };
}

/**
 * The control API of `canarysim serve` (see controlApi.ts): kubectl-style apply/delete, the
 * plugin's commands, and reads for `get rollout`, `status` and the dashboard. Bad input answers
 * 400 with the one-line message the CLI prints; a missing rollout 404.
 */
export async function handleControl(
  method: string,
  pathname: string,
  body: Record<string, unknown>,
  world: AnyWorld,
  status: () => ServerStatus,
): Promise<ApiResponse | undefined> {
  if (!pathname.startsWith(CONTROL_PREFIX)) return undefined;
  const rest = pathname.slice(CONTROL_PREFIX.length);
  try {
    if (method === 'GET' && rest === '/status') return json(200, status());
    if (method === 'GET' && rest === '/rollouts') {
      return json(200, {
        rollouts: [...world.rollouts.values()].map((r) => ({
          namespace: r.ro.meta.namespace,
          name: r.ro.meta.name,
        })),
      });
    }
    if (method === 'GET' && rest === '/pods') {
      return json(200, {
        pods: world.cluster.allPods().map((p) => ({
          namespace: p.meta.namespace,
          name: p.meta.name,
          replicaSet: p.rs,
          ip: p.ip,
          status: p.status,
          ready: isPodReady(p),
          url: p.endpoint ? `http://${p.endpoint.host}:${p.endpoint.port}` : null,
        })),
      });
    }
    if (method === 'POST' && (rest === '/apply' || rest === '/delete')) {
      const { objects, namespace } = load(body);
      const lines = rest === '/apply' ? world.apply(objects, namespace) : world.delete(objects, namespace);
      return json(200, { lines });
    }
    const m = /^\/rollouts\/([^/]+)\/([^/]+)(?:\/(promote|abort|retry|pause|image|undo|restart))?$/.exec(
      rest,
    );
    if (m) {
      const [, ns, name, action] = m as unknown as [string, string, string, string | undefined];
      const r = world.rollout(ns, name);
      if (!r) return error(404, `rollouts.argoproj.io "${name}" not found`);
      if (method === 'GET' && action === undefined) return json(200, rolloutDetail(world, ns, name));
      if (method !== 'POST' || action === undefined)
        return error(405, `${method} not allowed on ${pathname}`);
      if (action === 'image') {
        const container = body['container'];
        const image = body['image'];
        if (typeof container !== 'string' || typeof image !== 'string' || image === '')
          throw new InputError('expected {"container": "...", "image": "..."}');
        return json(200, { message: world.setImage(ns, name, container, image) });
      }
      if (action === 'undo') {
        const to = body['toRevision'] ?? 0;
        if (typeof to !== 'number' || !Number.isInteger(to) || to < 0)
          throw new InputError(`invalid toRevision ${JSON.stringify(to)}: expected a non-negative integer`);
        return json(200, { message: world.undo(ns, name, to) });
      }
      if (action === 'restart') {
        const inRaw = body['in'] ?? '';
        // Go's time.ParseDuration, as the plugin's --in: a unit is required, no sign.
        const inMs = typeof inRaw === 'string' ? (inRaw === '' ? 0 : parseGoDuration(inRaw)) : undefined;
        if (typeof inRaw !== 'string' || inMs === undefined || inMs < 0)
          throw new InputError(
            `invalid in ${JSON.stringify(inRaw)}: expected a duration such as 30s, 5m or 1h`,
          );
        return json(200, { message: world.restart(ns, name, inMs, inRaw) });
      }
      if (action === 'promote') r.actor.send({ type: 'PROMOTE', full: body['full'] === true });
      else if (action === 'abort') r.actor.send({ type: 'ABORT' });
      else if (action === 'retry') r.actor.send({ type: 'RETRY' });
      else r.actor.send({ type: 'PAUSE' });
      const past = {
        promote: body['full'] === true ? 'fully promoted' : 'promoted',
        abort: 'aborted',
        retry: 'retried',
        pause: 'paused',
      }[action];
      return json(200, { message: `rollout '${name}' ${past}` });
    }
    return error(404, `no such endpoint: ${method} ${pathname}`);
  } catch (e) {
    if (e instanceof InputError) return error(400, e.format());
    throw e;
  }
}
