import type { ManifestNode } from '../ManifestNode.js';
import type { KindEntry } from './KindEntry.js';

/** The spec of an inert kind, as written (nothing reads it but `kubectl apply`'s comparison). */
export type InertSpec = Record<string, unknown>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** A Secret or ConfigMap key (`IsConfigMapKey`). */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** `data`, `stringData`, `binaryData`: a mapping of valid keys to strings (base64 where said). */
function dataMap(n: ManifestNode, base64: boolean): void {
  if (!n.exists) return;
  for (const k of Object.keys(n.map())) {
    const v = n.child(k);
    n.guard(() => {
      if (!DATA_KEY.test(k))
        throw v.error(
          `invalid key ${JSON.stringify(k)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
          true,
        );
      const s = v.exists ? v.str() : '';
      if (base64 && (s.replace(/\s/g, '').length % 4 !== 0 || !BASE64.test(s.replace(/\s/g, ''))))
        throw v.error(
          `illegal base64 data: ${n.path.at(-1) === 'binaryData' ? 'binaryData' : 'data'} values are base64 (put plain text under stringData)`,
        );
    }, undefined);
  }
}

const optBool = (n: ManifestNode, key: string) => {
  if (n.child(key).exists) n.guard(() => n.child(key).bool(), false);
};

/** The spec mapping, required or not, returned as written. */
function specOf(root: ManifestNode, required: boolean): InertSpec {
  const s = required ? root.req('spec') : root.child('spec');
  return s.exists ? s.map() : {};
}

function secret(root: ManifestNode): InertSpec {
  if (root.child('type').exists) root.guard(() => root.child('type').str(), '');
  dataMap(root.child('data'), true);
  dataMap(root.child('stringData'), false);
  optBool(root, 'immutable');
  return {};
}

function configMap(root: ManifestNode): InertSpec {
  dataMap(root.child('data'), false);
  dataMap(root.child('binaryData'), true);
  optBool(root, 'immutable');
  return {};
}

function serviceAccount(root: ManifestNode): InertSpec {
  for (const k of ['secrets', 'imagePullSecrets'])
    if (root.child(k).exists) root.guard(() => root.child(k).list(), []);
  optBool(root, 'automountServiceAccountToken');
  return {};
}

function rules(root: ManifestNode): InertSpec {
  if (root.child('rules').exists) root.guard(() => root.child('rules').list(), []);
  return {};
}

function binding(root: ManifestNode): InertSpec {
  const ref = root.req('roleRef');
  ref.only(['apiGroup', 'kind', 'name']);
  ref.req('kind').nonEmptyStr();
  ref.req('name').nonEmptyStr();
  if (root.child('subjects').exists) root.guard(() => root.child('subjects').list(), []);
  return {};
}

/**
 * A HorizontalPodAutoscaler changes replicas under load. On a Rollout that is behaviour canarysim
 * does not model, so it is refused. On anything else it is inert: a Deployment canarysim accepts
 * has `replicas: 0` (a workloadRef target), and Kubernetes does not autoscale a target at zero;
 * other targets are not simulated at all.
 */
function hpa(root: ManifestNode): InertSpec {
  const spec = root.req('spec');
  const ref = spec.req('scaleTargetRef');
  const kind = ref.req('kind').nonEmptyStr();
  ref.req('name').nonEmptyStr();
  spec.req('maxReplicas').int({ min: 1 });
  if (kind === 'Rollout')
    root.report(
      ref
        .child('kind')
        .notSimulated(
          `a HorizontalPodAutoscaler of Rollout ${JSON.stringify(ref.optStr('name'))}: it would change the Rollout's replicas with the load, and canarysim keeps spec.replicas`,
        ),
    );
  return spec.map();
}

/**
 * PrometheusRule alerting rules are inert (alerts go to an Alertmanager a rehearsal has none of);
 * a recording rule is not: canarysim's Prometheus does not evaluate rules, so a query of the
 * recorded series would find nothing.
 */
function prometheusRule(root: ManifestNode): InertSpec {
  const spec = root.req('spec');
  const groups = spec.child('groups');
  if (groups.exists)
    for (const g of groups.list()) {
      const rs = g.child('rules');
      if (!rs.exists) continue;
      for (const r of rs.list()) {
        const rec = r.child('record');
        if (rec.exists)
          r.report(
            rec.notSimulated(
              `recording rule ${JSON.stringify(rec.value)}: canarysim's Prometheus does not evaluate rules, so a query of this series finds nothing`,
              true,
            ),
          );
      }
    }
  return spec.map();
}

const CORE = ['v1'];
const RBAC = ['rbac.authorization.k8s.io/v1'];
const MONITORING = ['monitoring.coreos.com/v1'];

/** Kinds a cluster accepts and a rehearsal cannot observe (README "Fields: simulated, inert, rejected"). */
export const INERT_KINDS: readonly KindEntry[] = [
  {
    kind: 'Secret',
    apiVersions: CORE,
    namespaced: true,
    role: 'inert',
    fields: ['type', 'data', 'stringData', 'immutable'],
    parse: secret,
  },
  {
    kind: 'ConfigMap',
    apiVersions: CORE,
    namespaced: true,
    role: 'inert',
    fields: ['data', 'binaryData', 'immutable'],
    parse: configMap,
  },
  {
    kind: 'ServiceAccount',
    apiVersions: CORE,
    namespaced: true,
    role: 'inert',
    fields: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
    parse: serviceAccount,
  },
  { kind: 'Role', apiVersions: RBAC, namespaced: true, role: 'inert', fields: ['rules'], parse: rules },
  {
    kind: 'ClusterRole',
    apiVersions: RBAC,
    namespaced: false,
    role: 'inert',
    fields: ['rules', 'aggregationRule'],
    parse: rules,
  },
  {
    kind: 'RoleBinding',
    apiVersions: RBAC,
    namespaced: true,
    role: 'inert',
    fields: ['subjects', 'roleRef'],
    parse: binding,
  },
  {
    kind: 'ClusterRoleBinding',
    apiVersions: RBAC,
    namespaced: false,
    role: 'inert',
    fields: ['subjects', 'roleRef'],
    parse: binding,
  },
  {
    kind: 'HorizontalPodAutoscaler',
    apiVersions: ['autoscaling/v2', 'autoscaling/v1'],
    namespaced: true,
    role: 'inert',
    fields: ['spec', 'status'],
    parse: hpa,
  },
  {
    // Only evictions consult it; canarysim evicts only in `restart`, which Argo already limits
    // to maxUnavailable pods at a time.
    kind: 'PodDisruptionBudget',
    apiVersions: ['policy/v1'],
    namespaced: true,
    role: 'inert',
    fields: ['spec', 'status'],
    parse: (r) => specOf(r, true),
  },
  {
    // Pod resources are inert, so defaults and limits on them are too.
    kind: 'LimitRange',
    apiVersions: CORE,
    namespaced: true,
    role: 'inert',
    fields: ['spec'],
    parse: (r) => specOf(r, true),
  },
  {
    kind: 'ResourceQuota',
    apiVersions: CORE,
    namespaced: true,
    role: 'inert',
    fields: ['spec', 'status'],
    parse: (r) => specOf(r, true),
  },
  {
    // canarysim's Prometheus scrapes every proxy's Istio metrics whatever selects them.
    kind: 'PodMonitor',
    apiVersions: MONITORING,
    namespaced: true,
    role: 'inert',
    fields: ['spec'],
    parse: (r) => specOf(r, true),
  },
  {
    kind: 'ServiceMonitor',
    apiVersions: MONITORING,
    namespaced: true,
    role: 'inert',
    fields: ['spec'],
    parse: (r) => specOf(r, true),
  },
  {
    kind: 'PrometheusRule',
    apiVersions: MONITORING,
    namespaced: true,
    role: 'inert',
    fields: ['spec'],
    parse: prometheusRule,
  },
];
