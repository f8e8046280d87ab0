import { quote } from '../errors.js';
import { parseAnalysisTemplate } from './kinds/analysisTemplate.js';
import { parseDeployment } from './kinds/deployment.js';
import { parseDestinationRule } from './kinds/destinationRule.js';
import { parseGateway } from './kinds/gateway.js';
import { INERT_KINDS } from './kinds/inert.js';
import { parseIngress } from './kinds/ingress.js';
import type { KindEntry } from './kinds/KindEntry.js';
import type { ManifestObject } from './kinds/ManifestObject.js';
import { REJECTED_KINDS } from './kinds/rejectedKinds.js';
import { parseRollout } from './kinds/rollout.js';
import { parseService } from './kinds/service.js';
import { parseVirtualService } from './kinds/virtualService.js';
import { ManifestError, type IssueSink } from './ManifestIssues.js';
import { ManifestNode } from './ManifestNode.js';
import type { YamlDoc } from './YamlSource.js';

const ISTIO_VERSIONS = [
  'networking.istio.io/v1alpha3',
  'networking.istio.io/v1beta1',
  'networking.istio.io/v1',
];
const ARGO = ['argoproj.io/v1alpha1'];
const SPEC = ['spec', 'status'];
const spec =
  (parse: (spec: ManifestNode) => unknown) =>
  (root: ManifestNode): unknown =>
    parse(root.req('spec'));

/** Every kind canarysim accepts: the simulated ones, then the inert ones (kinds/inert.ts). */
export const KINDS: readonly KindEntry[] = [
  { kind: 'Namespace', apiVersions: ['v1'], namespaced: false, role: 'simulated', fields: SPEC },
  {
    kind: 'Deployment',
    apiVersions: ['apps/v1'],
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseDeployment),
  },
  {
    kind: 'Service',
    apiVersions: ['v1'],
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseService),
  },
  {
    kind: 'Rollout',
    apiVersions: ARGO,
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseRollout),
  },
  {
    kind: 'AnalysisTemplate',
    apiVersions: ARGO,
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseAnalysisTemplate),
  },
  {
    kind: 'ClusterAnalysisTemplate',
    apiVersions: ARGO,
    namespaced: false,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseAnalysisTemplate),
  },
  {
    kind: 'VirtualService',
    apiVersions: ISTIO_VERSIONS,
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseVirtualService),
  },
  {
    kind: 'DestinationRule',
    apiVersions: ISTIO_VERSIONS,
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseDestinationRule),
  },
  {
    kind: 'Gateway',
    apiVersions: ISTIO_VERSIONS,
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: spec(parseGateway),
  },
  {
    kind: 'Ingress',
    apiVersions: ['networking.k8s.io/v1'],
    namespaced: true,
    role: 'simulated',
    fields: SPEC,
    parse: parseIngress,
  },
  ...INERT_KINDS,
];

const METADATA = [
  'name',
  'namespace',
  'labels',
  'annotations',
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'finalizers',
  'ownerReferences',
  'managedFields',
  'selfLink',
];

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/** The entry for kind and apiVersion, or the error that says why there is none. */
function lookup(
  kind: string,
  apiVersion: string,
  kindNode: ManifestNode,
  apiNode: ManifestNode,
  name: string | undefined,
): KindEntry {
  const group = groupOf(apiVersion);
  const rejected = REJECTED_KINDS.find((r) => r.kind === kind && r.groups.includes(group));
  if (rejected)
    throw new ManifestError(
      `${kind}${name !== undefined ? ` ${quote(name)}` : ''}: not supported by canarysim: kind ${kind} (${apiVersion}): ${rejected.why}`,
      kindNode.pos(),
      'not-simulated',
    );
  const entries = KINDS.filter((k) => k.kind === kind);
  const entry = entries.find((k) => k.apiVersions.includes(apiVersion));
  if (entry) return entry;
  if (entries.length > 0)
    throw new ManifestError(
      `${kind}: apiVersion ${quote(apiVersion)} is not supported (expected ${entries.flatMap((e) => e.apiVersions).join(' or ')})`,
      apiNode.pos(),
      'invalid',
    );
  if (kind === 'Kustomization' || kind === 'Component')
    throw new ManifestError(
      `this is a kustomization (kind ${kind}), not a manifest: build it as a folder (kubectl apply -k <dir>, canarysim lint -k <dir>, or apply: {kustomize: <dir>} in a scenario)`,
      kindNode.pos(),
      'invalid',
    );
  const supported = [...new Set(KINDS.map((k) => k.kind))].join(', ');
  throw new ManifestError(
    `kind ${quote(kind)} is not supported by canarysim (supported: ${supported})`,
    kindNode.pos(),
    'invalid',
  );
}

/**
 * A mapping used as a key (an unquoted `{{args.x}}`) is reported once, by YamlSource; the type
 * error the same value then causes where a string was expected is its echo, dropped.
 */
function dropEchoes(sink: IssueSink, from: number, doc: YamlDoc): void {
  const at = new Set(doc.problems.map((p) => `${p.pos?.line}:${p.pos?.col}`));
  if (at.size === 0) return;
  for (let i = sink.issues.length - 1; i >= from; i--) {
    const p = sink.issues[i]!.pos;
    if (p && at.has(`${p.line}:${p.col}`)) sink.issues.splice(i, 1);
  }
}

function read(doc: YamlDoc, value: unknown, sink: IssueSink | undefined): ManifestObject | undefined {
  const before = sink?.issues.length ?? 0;
  const root = new ManifestNode(doc, [], value, 'manifest', sink);
  for (const p of doc.problems) root.report(p);
  const id = root.guard(() => {
    root.map();
    const kindNode = root.req('kind');
    const kind = kindNode.nonEmptyStr();
    const apiNode = root.req('apiVersion');
    const apiVersion = apiNode.nonEmptyStr();
    const written = root.child('metadata').child('name').value;
    const entry = lookup(
      kind,
      apiVersion,
      kindNode,
      apiNode,
      typeof written === 'string' ? written : undefined,
    );
    const meta = root.req('metadata');
    meta.only(METADATA);
    const name = meta.req('name').nonEmptyStr();
    return { kind, apiVersion, entry, meta, name };
  }, undefined);
  if (!id) return undefined;
  const { kind, apiVersion, entry, meta, name } = id;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253)
    meta.report(
      meta.child('name').error(`invalid name ${JSON.stringify(name)}: expected a lowercase RFC 1123 name`),
    );
  const node = new ManifestNode(doc, [], value, `${kind} ${JSON.stringify(name)}`, sink);
  node.only(['apiVersion', 'kind', 'metadata', ...entry.fields]);
  const namespace = meta.child('namespace').exists
    ? meta.guard(() => meta.child('namespace').str(), undefined)
    : undefined;
  if (namespace !== undefined && !entry.namespaced)
    meta.report(
      meta.child('namespace').error(`${kind} is cluster-scoped: metadata.namespace is not allowed`),
    );
  const strings = (k: string) =>
    meta.child(k).exists ? meta.guard(() => meta.child(k).stringMap(), {}) : {};
  const labels = strings('labels');
  const annotations = strings('annotations');
  const parsed = entry.parse ? node.guard(() => ({ spec: entry.parse!(node) }), undefined) : { spec: {} };
  if (sink) dropEchoes(sink, before + doc.problems.length, doc);
  if (!parsed) return undefined;
  const partial = (sink?.issues.length ?? 0) > before;
  return {
    kind,
    apiVersion,
    name,
    namespace,
    namespaced: entry.namespaced,
    labels,
    annotations,
    spec: parsed.spec,
    raw: value as Record<string, unknown>,
    node,
    ...(entry.role === 'inert' ? { inert: true as const } : {}),
    ...(partial ? { partial: true as const } : {}),
  };
}

/**
 * Validates one YAML document as a Kubernetes object of a kind canarysim knows, throwing the
 * first problem. `value` is the document's data after any kustomize transforms (positions still
 * come from the document).
 */
export function parseManifest(doc: YamlDoc, value: unknown = doc.doc.toJS()): ManifestObject {
  return read(doc, value, undefined)!;
}

/**
 * Lint's reading of a document: every problem goes to `sink` and what could be read is returned
 * (marked `partial` when anything was wrong), or undefined when not even the object's kind and
 * name could be.
 */
export function collectManifest(doc: YamlDoc, value: unknown, sink: IssueSink): ManifestObject | undefined {
  return read(doc, value, sink);
}
