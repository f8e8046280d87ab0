import { InputError } from '../errors.js';
import { parseAnalysisTemplate } from './kinds/analysisTemplate.js';
import { parseDeployment } from './kinds/deployment.js';
import { parseGateway } from './kinds/gateway.js';
import type { ManifestObject } from './kinds/ManifestObject.js';
import { parseRollout } from './kinds/rollout.js';
import { parseService } from './kinds/service.js';
import { parseVirtualService } from './kinds/virtualService.js';
import { ManifestNode } from './ManifestNode.js';
import type { YamlDoc } from './YamlSource.js';

interface KindEntry {
  apiVersions: readonly string[];
  namespaced: boolean;
  /** Parses `spec` (absent for Namespace). */
  parse?: (spec: ManifestNode) => unknown;
}

const ISTIO_VERSIONS = [
  'networking.istio.io/v1alpha3',
  'networking.istio.io/v1beta1',
  'networking.istio.io/v1',
];

/** The kinds canarysim simulates (or, for Gateway, accepts), by kind. */
export const KINDS: Readonly<Record<string, KindEntry>> = {
  Namespace: { apiVersions: ['v1'], namespaced: false },
  Deployment: { apiVersions: ['apps/v1'], namespaced: true, parse: parseDeployment },
  Service: { apiVersions: ['v1'], namespaced: true, parse: parseService },
  Rollout: { apiVersions: ['argoproj.io/v1alpha1'], namespaced: true, parse: parseRollout },
  AnalysisTemplate: { apiVersions: ['argoproj.io/v1alpha1'], namespaced: true, parse: parseAnalysisTemplate },
  ClusterAnalysisTemplate: {
    apiVersions: ['argoproj.io/v1alpha1'],
    namespaced: false,
    parse: parseAnalysisTemplate,
  },
  VirtualService: { apiVersions: ISTIO_VERSIONS, namespaced: true, parse: parseVirtualService },
  Gateway: { apiVersions: ISTIO_VERSIONS, namespaced: true, parse: parseGateway },
};

/**
 * Validates one YAML document as a Kubernetes object of a kind canarysim knows. `value` is the
 * document's data after any kustomize transforms (positions still come from the document).
 */
export function parseManifest(doc: YamlDoc, value: unknown = doc.doc.toJS()): ManifestObject {
  const root = new ManifestNode(doc, [], value, 'manifest');
  root.map();
  const kindNode = root.req('kind');
  const kind = kindNode.nonEmptyStr();
  const entry = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (!entry) {
    throw new InputError(
      `kind ${JSON.stringify(kind)} is not supported by canarysim (supported: ${Object.keys(KINDS).join(', ')})`,
      kindNode.pos(),
    );
  }
  const apiNode = root.req('apiVersion');
  const apiVersion = apiNode.nonEmptyStr();
  if (!entry.apiVersions.includes(apiVersion)) {
    throw new InputError(
      `${kind}: apiVersion ${JSON.stringify(apiVersion)} is not supported (expected ${entry.apiVersions.join(' or ')})`,
      apiNode.pos(),
    );
  }
  const meta = root.req('metadata');
  meta.only([
    'name',
    'namespace',
    'labels',
    'annotations',
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'generation',
  ]);
  const name = meta.req('name').nonEmptyStr();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw meta
      .child('name')
      .error(`invalid name ${JSON.stringify(name)}: expected a lowercase RFC 1123 name`);
  }
  const subject = `${kind} ${JSON.stringify(name)}`;
  const node = new ManifestNode(doc, [], value, subject);
  node.only(
    entry.parse
      ? ['apiVersion', 'kind', 'metadata', 'spec', 'status']
      : ['apiVersion', 'kind', 'metadata', 'status'],
  );
  const namespace = meta.optStr('namespace');
  if (namespace !== undefined && !entry.namespaced)
    throw meta.child('namespace').error(`${kind} is cluster-scoped: metadata.namespace is not allowed`);
  const spec = entry.parse ? entry.parse(node.req('spec')) : {};
  return {
    kind,
    apiVersion,
    name,
    namespace,
    namespaced: entry.namespaced,
    labels: meta.child('labels').exists ? meta.child('labels').stringMap() : {},
    annotations: meta.child('annotations').exists ? meta.child('annotations').stringMap() : {},
    spec,
    raw: value as Record<string, unknown>,
    node,
  };
}
