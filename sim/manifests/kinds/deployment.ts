import type { PodTemplate } from '../../cluster/index.js';
import type { ManifestNode } from '../ManifestNode.js';
import { parsePodTemplate } from './podTemplate.js';

export interface DeploymentSpec {
  replicas: number;
  selector: Record<string, string>;
  template: PodTemplate;
}

/** selector.matchLabels (matchExpressions are not simulated). */
export function parseSelector(n: ManifestNode): Record<string, string> {
  n.only(['matchLabels'], ['matchExpressions']);
  // Only matchExpressions: reported above (in lint), read as no labels.
  if (!n.child('matchLabels').exists && n.child('matchExpressions').exists && n.collecting) return {};
  return n.req('matchLabels').stringMap();
}

/**
 * apps/v1 Deployment, as the target of a Rollout's workloadRef. Its own pods are not simulated,
 * so it must have `replicas: 0` (the blog's pattern: Argo Rollouts decides how many run).
 */
export function parseDeployment(spec: ManifestNode): DeploymentSpec {
  spec.only(
    [
      'replicas',
      'selector',
      'template',
      'strategy',
      'revisionHistoryLimit',
      'progressDeadlineSeconds',
      'minReadySeconds',
    ],
    ['paused'],
  );
  const replicas = spec.optInt('replicas', { min: 0 }) ?? 1;
  if (replicas !== 0)
    spec.report(
      spec
        .child('replicas')
        .notSimulated(
          `a Deployment with replicas ${replicas} (its own pods are not simulated); set replicas: 0 and reference it from a Rollout's workloadRef`,
        ),
    );
  const selector = spec.guard(() => parseSelector(spec.req('selector')), {});
  const template = parsePodTemplate(spec.req('template'));
  for (const [k, v] of Object.entries(selector)) {
    if (template.labels[k] !== v) {
      spec.report(
        spec.child('template').error(`\`selector\` does not match template \`labels\` (${k}=${v})`),
      );
      break;
    }
  }
  return { replicas, selector, template };
}
