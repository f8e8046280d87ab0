import { lookupImage } from '../../app/index.js';
import { containerConfig, type PodTemplate } from '../cluster/index.js';
import type { ManifestNode, ManifestObject } from '../manifests/index.js';

/** A container whose built-in app is configured in a way canarysim cannot simulate, and where it is written. */
export interface UnsupportedContainer {
  message: string;
  node: ManifestNode;
}

/**
 * The containers of a Rollout's or Deployment's pod template that ask a built-in app for what
 * canarysim does not simulate (podinfo `--backend-url`, rollouts-demo `-tls`): a run refuses
 * them, naming the flag, as it refuses an unsimulated field.
 */
export function unsupportedContainers(o: ManifestObject): UnsupportedContainer[] {
  if (o.kind !== 'Rollout' && o.kind !== 'Deployment') return [];
  const template = (o.spec as { template?: PodTemplate } | undefined)?.template;
  const out: UnsupportedContainer[] = [];
  template?.containers.forEach((c, i) => {
    const found = lookupImage(containerConfig(c));
    if (found.kind !== 'builtin' || !found.app.unsupported) return;
    const node = o.node.child('spec').child('template').child('spec').child('containers').child(i);
    out.push({ message: `not supported by canarysim: ${found.app.unsupported}`, node });
  });
  return out;
}
