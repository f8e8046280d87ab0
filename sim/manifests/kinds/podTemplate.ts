import type { Container, PodTemplate, Probe } from '../../cluster/index.js';
import type { ManifestNode } from '../ManifestNode.js';

/** PodSpec fields that do not change what the simulation does (scheduling, security, volumes). */
const POD_SPEC_INERT = [
  'serviceAccountName',
  'serviceAccount',
  'nodeSelector',
  'tolerations',
  'affinity',
  'securityContext',
  'volumes',
  'imagePullSecrets',
  'terminationGracePeriodSeconds',
  'dnsPolicy',
  'restartPolicy',
  'priorityClassName',
  'topologySpreadConstraints',
  'schedulerName',
  'enableServiceLinks',
  'automountServiceAccountToken',
];
const POD_SPEC_NOT_SIMULATED = [
  'initContainers',
  'hostNetwork',
  'ephemeralContainers',
  'readinessGates',
  'runtimeClassName',
  'overhead',
  'hostAliases',
  'dnsConfig',
  'shareProcessNamespace',
  'os',
];
const CONTAINER_INERT = [
  'resources',
  'imagePullPolicy',
  'volumeMounts',
  'securityContext',
  'workingDir',
  'terminationMessagePath',
  'terminationMessagePolicy',
];
const CONTAINER_NOT_SIMULATED = ['envFrom', 'startupProbe', 'lifecycle', 'stdin', 'tty', 'volumeDevices'];

const HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'];

/**
 * A readiness or liveness probe. Only its timings are simulated: whether it passes is the app
 * model's (`ready`, `unhealthy`), whatever it checks — so `exec` and `grpc` probes are accepted
 * like `httpGet` and `tcpSocket`. An exec probe has no path or port (recorded as ""); a gRPC one
 * records its port and service.
 */
function probe(n: ManifestNode): Probe {
  n.only(
    [
      ...HANDLERS,
      'initialDelaySeconds',
      'periodSeconds',
      'timeoutSeconds',
      'failureThreshold',
      'successThreshold',
    ],
    ['terminationGracePeriodSeconds'],
  );
  const set = HANDLERS.filter((h) => n.child(h).exists);
  if (set.length === 0)
    throw n.error('must specify a handler type (one of httpGet, tcpSocket, exec or grpc)');
  if (set.length > 1) throw n.error(`may not specify more than 1 handler type (found ${set.join(', ')})`);
  const portOf = (p: ManifestNode) =>
    typeof p.value === 'number' ? p.int({ min: 1, max: 65535 }) : p.nonEmptyStr();
  let path = '';
  let port: number | string = '';
  const h = n.child(set[0]!);
  if (set[0] === 'httpGet') {
    h.only(['path', 'port', 'scheme', 'host'], ['httpHeaders']);
    path = h.optStr('path') ?? '/';
    port = portOf(h.req('port'));
  } else if (set[0] === 'tcpSocket') {
    h.only(['port', 'host']);
    port = portOf(h.req('port'));
  } else if (set[0] === 'grpc') {
    h.only(['port', 'service']);
    port = h.req('port').int({ min: 1, max: 65535 });
    path = h.optStr('service') ?? '';
  } else {
    h.only(['command']);
    h.req('command')
      .list()
      .forEach((c) => c.str());
  }
  const timing = (k: string, min: number, dflt: number) => n.guard(() => n.optInt(k, { min }) ?? dflt, dflt);
  return {
    path,
    port,
    initialDelaySeconds: timing('initialDelaySeconds', 0, 0),
    periodSeconds: timing('periodSeconds', 1, 10),
    timeoutSeconds: timing('timeoutSeconds', 1, 1),
    failureThreshold: timing('failureThreshold', 1, 3),
    successThreshold: timing('successThreshold', 1, 1),
  };
}

/** `command` / `args`: a list of strings (numbers and booleans are kubectl errors). */
function argv(n: ManifestNode): string[] {
  return n.exists ? n.list().map((a) => a.str()) : [];
}

function container(n: ManifestNode): Container {
  n.only(
    [
      'name',
      'image',
      'env',
      'readinessProbe',
      'livenessProbe',
      'command',
      'args',
      'ports',
      ...CONTAINER_INERT,
    ],
    CONTAINER_NOT_SIMULATED,
  );
  const image = n.req('image').nonEmptyStr();
  const env: Record<string, string> = {};
  const envNode = n.child('env');
  if (envNode.exists) {
    for (const e of envNode.list()) {
      e.guard(() => {
        e.only(['name', 'value'], ['valueFrom']);
        const v = e.child('value');
        env[e.req('name').nonEmptyStr()] = v.exists ? (typeof v.value === 'string' ? v.value : v.str()) : '';
      }, undefined);
    }
  }
  const ports = n.child('ports').exists
    ? n
        .child('ports')
        .list()
        .flatMap((p) =>
          p.guard(() => {
            p.only(['name', 'containerPort', 'protocol', 'hostPort', 'hostIP']);
            const name = p.optStr('name');
            return [
              {
                ...(name !== undefined ? { name } : {}),
                containerPort: p.req('containerPort').int({ min: 1, max: 65535 }),
              },
            ];
          }, []),
        )
    : [];
  const rp = n.child('readinessProbe');
  const lp = n.child('livenessProbe');
  return {
    name: n.req('name').nonEmptyStr(),
    image,
    env,
    command: n.guard(() => argv(n.child('command')), []),
    args: n.guard(() => argv(n.child('args')), []),
    ports,
    readinessProbe: rp.exists ? n.guard(() => probe(rp), undefined) : undefined,
    livenessProbe: lp.exists ? n.guard(() => probe(lp), undefined) : undefined,
  };
}

/** A pod template (`spec.template` of a Deployment or Rollout). */
export function parsePodTemplate(n: ManifestNode): PodTemplate {
  n.only(['metadata', 'spec']);
  const meta = n.child('metadata');
  // A template's name and namespace are ignored: pods get generated names in their owner's namespace.
  if (meta.exists) meta.only(['labels', 'annotations', 'name', 'namespace']);
  const labels = meta.child('labels').exists ? meta.guard(() => meta.child('labels').stringMap(), {}) : {};
  const annotations = meta.child('annotations').exists
    ? meta.guard(() => meta.child('annotations').stringMap(), {})
    : {};
  const spec = n.req('spec');
  spec.only(['containers', ...POD_SPEC_INERT], POD_SPEC_NOT_SIMULATED);
  const list = spec.req('containers').list();
  if (list.length === 0) throw spec.child('containers').error('expected at least one container');
  // A container that cannot be read is left out in lint (the template is then partial anyway).
  const containers = list.flatMap((c) => c.guard(() => [container(c)], []));
  return { labels, annotations, containers, raw: n.value };
}
