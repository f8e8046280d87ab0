import { parseGoDuration } from '../../go/duration.js';
import { InputError } from '../../sim/errors.js';
import { parseManifest, type ManifestObject } from '../../sim/manifests/index.js';
import { ManifestNode } from '../../sim/manifests/ManifestNode.js';
import { parseYamlFile } from '../../sim/manifests/YamlSource.js';
import type { Fault } from '../../sim/apps/index.js';
import { isPodReady, type Pod } from '../../sim/cluster/index.js';
import type { AnyWorld } from '../../sim/world.js';
import { parseFault, parseFaultTarget } from '../scenario/parseApps.js';
import { buildState, runState } from '../scenario/state.js';
import type { ApiResponse } from '../server/prometheusApi.js';
import { projectRollout } from '../views/projectRollout.js';
import {
  CONTROL_PREFIX,
  type FaultInfo,
  type PodInfo,
  type RolloutDetail,
  type ServerStatus,
} from './controlApi.js';

const json = (status: number, body: unknown): ApiResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});
const error = (status: number, message: string): ApiResponse => json(status, { error: message });

const APPLY_EXPECTED =
  'expected {"objects": [<Kubernetes object>, ...], "namespace": "..."}: the objects a kustomize build or a manifest file gives';

/**
 * The objects of an apply or delete, validated as the files they came from would be. The server
 * reads no files: a client sends what it built (canarysim apply -k/-f does), so a request cannot
 * make serve read a path on its machine.
 */
function load(body: Record<string, unknown>): { objects: ManifestObject[]; namespace: string } {
  if ('file' in body || 'kustomize' in body)
    throw new InputError(
      `the control API reads no files: send the manifests themselves, ${APPLY_EXPECTED} (canarysim apply -k DIR / -f FILE builds them)`,
    );
  const ns = body['namespace'] ?? 'default';
  if (typeof ns !== 'string' || ns === '')
    throw new InputError(`invalid namespace ${JSON.stringify(ns)}: expected a namespace name`);
  const list = body['objects'];
  if (!Array.isArray(list) || list.length === 0) throw new InputError(APPLY_EXPECTED);
  const objects = list.map((o: unknown, i) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw new InputError(`objects[${i}]: expected a Kubernetes object (a mapping)`);
    try {
      const doc = parseYamlFile(`objects[${i}]`, JSON.stringify(o, null, 1))[0]!;
      return parseManifest(doc, doc.doc.toJS());
    } catch (e) {
      // A position in the JSON sent says nothing to the user: the object's index does.
      if (e instanceof InputError)
        throw new InputError(`objects[${i}]: ${e.message}`, undefined, { cause: e });
      throw e;
    }
  });
  return { objects, namespace: ns };
}

/** The app container's image: what its process runs, else its ReplicaSet's template (`<owner>-<hash>`). */
function podImage(world: AnyWorld, p: Pod): string | null {
  if (p.process) return p.process.image;
  const owner = p.rs.slice(0, p.rs.lastIndexOf('-'));
  const rs = world.cluster.listReplicaSets(p.meta.namespace, owner).find((r) => r.meta.name === p.rs);
  return rs?.template.containers[0]?.image ?? null;
}

/** A fault's target fields; the rest of a POSTed fault is what it sets. */
const TARGET_KEYS = ['image', 'pod', 'namespace'];

/** The fields each fault was POSTed with (its behaviour as the client wrote it), for GET /faults. */
const givenFields = new WeakMap<Fault, Record<string, unknown>>();

/**
 * Reads a JSON body with the scenario's parsers, so a bad fault gets the scenario's message naming
 * the field and value (`fault: errors: invalid share "2": …`). The body was re-serialised by the
 * HTTP layer, so the message carries no line:col.
 */
function readBody<T>(body: Record<string, unknown>, read: (n: ManifestNode) => T): T {
  try {
    const doc = parseYamlFile('request', JSON.stringify(body, null, 1))[0]!;
    return read(new ManifestNode(doc, [], doc.doc.toJS(), 'fault'));
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.message, undefined, { cause: e });
    throw e;
  }
}

/** A fault as GET /faults lists it: its target, and what it sets as it was given. */
function faultInfo(f: Fault): FaultInfo {
  const parsed = {
    ...f.set,
    ...(f.crashNow ? { crash: 'now' } : {}),
    ...(f.crash ? { crash: f.crash } : {}),
  };
  return {
    ...(f.image ? { image: f.image.text } : {}),
    ...(f.pod !== undefined ? { pod: f.pod } : {}),
    ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
    set: givenFields.get(f) ?? parsed,
  };
}

type FaultRoute = (world: AnyWorld, body: Record<string, unknown>, defaultNamespace: string) => ApiResponse;

/** The fault endpoints, by method and path under the prefix. */
const FAULT_ROUTES: ReadonlyMap<string, FaultRoute> = new Map<string, FaultRoute>([
  ['GET /faults', (world) => json(200, { faults: faultInfos(world) })],
  [
    'POST /faults',
    (world, body, ns) => {
      const fault = readBody(body, (n) => parseFault(n, ns));
      givenFields.set(
        fault,
        Object.fromEntries(Object.entries(body).filter(([k]) => !TARGET_KEYS.includes(k))),
      );
      return json(200, { message: world.setFault(fault) });
    },
  ],
  [
    'POST /faults/clear',
    (world, body, ns) =>
      json(200, { message: world.clearFaults(readBody(body, (n) => parseFaultTarget(n, ns))) }),
  ],
]);

/** Every pod, as GET /pods and the browser view list them. */
export function podInfos(world: AnyWorld): PodInfo[] {
  return world.cluster.allPods().map((p) => ({
    namespace: p.meta.namespace,
    name: p.meta.name,
    replicaSet: p.rs,
    ip: p.ip,
    status: p.status,
    ready: isPodReady(p),
    url: p.endpoint ? `http://${p.endpoint.host}:${p.endpoint.port}` : null,
    restarts: p.restarts,
    image: podImage(world, p),
  }));
}

/** The faults in force, as GET /faults and the browser view list them. */
export function faultInfos(world: AnyWorld): FaultInfo[] {
  return world.apps.activeFaults().map(faultInfo);
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
      ...runState(run, world.options.startMs),
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
 * plugin's commands, faults, and reads for `get rollout`, `status` and the dashboard. Bad input
 * answers 400 with the one-line message the CLI prints; a missing rollout 404. A pod named
 * without a namespace is in `defaultNamespace` (serve's, as kubectl's).
 */
export async function handleControl(
  method: string,
  pathname: string,
  body: Record<string, unknown>,
  world: AnyWorld,
  status: () => ServerStatus,
  defaultNamespace = 'default',
): Promise<ApiResponse | undefined> {
  if (!pathname.startsWith(CONTROL_PREFIX)) return undefined;
  const rest = pathname.slice(CONTROL_PREFIX.length);
  try {
    if (method === 'GET' && rest === '/status') return json(200, status());
    const faultRoute = FAULT_ROUTES.get(`${method} ${rest}`);
    if (faultRoute) return faultRoute(world, body, defaultNamespace);
    if (method === 'GET' && rest === '/rollouts') {
      return json(200, {
        rollouts: [...world.rollouts.values()].map((r) => ({
          namespace: r.ro.meta.namespace,
          name: r.ro.meta.name,
        })),
      });
    }
    if (method === 'GET' && rest === '/pods') return json(200, { pods: podInfos(world) });
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
      if (method === 'GET' && action === undefined) {
        const { speed, paused, offsetMs } = status();
        return json(200, { ...rolloutDetail(world, ns, name), clock: { speed, paused, offsetMs } });
      }
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
