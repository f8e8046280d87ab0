import type { Container, PodTemplate, Probe } from '../../cluster/index.js';
import { isKnownRepository, KNOWN_SILLY_DEMO_TAGS, SILLY_DEMO_REPOSITORY } from '../../../app/index.js';
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
  'ports',
  'resources',
  'imagePullPolicy',
  'command',
  'args',
  'volumeMounts',
  'securityContext',
  'workingDir',
  'livenessProbe',
  'terminationMessagePath',
  'terminationMessagePolicy',
];
const CONTAINER_NOT_SIMULATED = ['envFrom', 'startupProbe', 'lifecycle', 'stdin', 'tty', 'volumeDevices'];

function probe(n: ManifestNode): Probe {
  n.only(
    [
      'httpGet',
      'tcpSocket',
      'initialDelaySeconds',
      'periodSeconds',
      'timeoutSeconds',
      'failureThreshold',
      'successThreshold',
    ],
    ['exec', 'grpc', 'terminationGracePeriodSeconds'],
  );
  const http = n.child('httpGet');
  const tcp = n.child('tcpSocket');
  if (!http.exists && !tcp.exists) throw n.error('expected httpGet or tcpSocket');
  let path = '/';
  let port: number | string;
  if (http.exists) {
    http.only(['path', 'port', 'scheme', 'host'], ['httpHeaders']);
    path = http.optStr('path') ?? '/';
    const p = http.req('port');
    port = typeof p.value === 'number' ? p.int({ min: 1, max: 65535 }) : p.nonEmptyStr();
  } else {
    tcp.only(['port', 'host']);
    const p = tcp.req('port');
    port = typeof p.value === 'number' ? p.int({ min: 1, max: 65535 }) : p.nonEmptyStr();
  }
  return {
    path,
    port,
    initialDelaySeconds: n.optInt('initialDelaySeconds', { min: 0 }) ?? 0,
    periodSeconds: n.optInt('periodSeconds', { min: 1 }) ?? 10,
    timeoutSeconds: n.optInt('timeoutSeconds', { min: 1 }) ?? 1,
    failureThreshold: n.optInt('failureThreshold', { min: 1 }) ?? 3,
    successThreshold: n.optInt('successThreshold', { min: 1 }) ?? 1,
  };
}

function container(n: ManifestNode): Container {
  n.only(['name', 'image', 'env', 'readinessProbe', ...CONTAINER_INERT], CONTAINER_NOT_SIMULATED);
  const imageNode = n.req('image');
  const image = imageNode.nonEmptyStr();
  if (!isKnownRepository(image)) {
    throw imageNode.error(
      `image ${JSON.stringify(image)} is not in canarysim's app catalogue: expected ${SILLY_DEMO_REPOSITORY}:<tag> (tags ${KNOWN_SILLY_DEMO_TAGS[0]}…${KNOWN_SILLY_DEMO_TAGS[KNOWN_SILLY_DEMO_TAGS.length - 1]})`,
    );
  }
  const env: Record<string, string> = {};
  const envNode = n.child('env');
  if (envNode.exists) {
    for (const e of envNode.list()) {
      e.only(['name', 'value'], ['valueFrom']);
      const v = e.child('value');
      env[e.req('name').nonEmptyStr()] = v.exists ? (typeof v.value === 'string' ? v.value : v.str()) : '';
    }
  }
  const rp = n.child('readinessProbe');
  return { name: n.req('name').nonEmptyStr(), image, env, readinessProbe: rp.exists ? probe(rp) : undefined };
}

/** A pod template (`spec.template` of a Deployment or Rollout). */
export function parsePodTemplate(n: ManifestNode): PodTemplate {
  n.only(['metadata', 'spec']);
  const meta = n.child('metadata');
  if (meta.exists) meta.only(['labels', 'annotations'], ['name', 'namespace']);
  const labels = meta.child('labels').exists ? meta.child('labels').stringMap() : {};
  const annotations = meta.child('annotations').exists ? meta.child('annotations').stringMap() : {};
  const spec = n.req('spec');
  spec.only(['containers', ...POD_SPEC_INERT], POD_SPEC_NOT_SIMULATED);
  const containers = spec.req('containers').list().map(container);
  if (containers.length === 0) throw spec.child('containers').error('expected at least one container');
  return { labels, annotations, containers, raw: n.value };
}
