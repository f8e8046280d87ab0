import { compileRegexp, RegexpError } from '../../../go/regexp.js';
import type { AnalysisArg, RetentionRule, RolloutAnalysis } from '../../rollout/index.js';
import { NOT_SUPPORTED, type ManifestNode } from '../ManifestNode.js';

function arg(a: ManifestNode): AnalysisArg {
  a.only(['name', 'value', 'valueFrom']);
  const name = a.req('name').nonEmptyStr();
  const v = a.child('value');
  const vf = a.child('valueFrom');
  if (v.exists && vf.exists) throw a.error('expected one of value or valueFrom, not both');
  if (!vf.exists) return { name, value: v.exists ? v.str() : undefined };
  vf.only(['podTemplateHashValue', 'fieldRef']);
  const keys = Object.keys(vf.map());
  if (keys.length !== 1) throw vf.error('expected exactly one of podTemplateHashValue or fieldRef');
  if (keys[0] === 'podTemplateHashValue') {
    const h = vf.child('podTemplateHashValue').str();
    if (h !== 'Stable' && h !== 'Latest')
      throw vf
        .child('podTemplateHashValue')
        .error(`invalid value ${JSON.stringify(h)}: expected Stable or Latest`);
    return { name, valueFrom: { podTemplateHashValue: h } };
  }
  const fr = vf.child('fieldRef');
  fr.only(['fieldPath']);
  return { name, valueFrom: { fieldRef: { fieldPath: fr.req('fieldPath').nonEmptyStr() } } };
}

function rules(an: ManifestNode, key: string, withLimit: boolean): { metricName: string; limit?: number }[] {
  const n = an.child(key);
  if (!n.exists) return [];
  return n.list().flatMap((r) =>
    r.guard(() => {
      r.only(withLimit ? ['metricName', 'limit'] : ['metricName']);
      const metricName = r.req('metricName').nonEmptyStr();
      const re = compileRegexp(metricName);
      if (re instanceof RegexpError && re.kind === 'limit')
        throw r
          .child('metricName')
          .error(
            `${NOT_SUPPORTED}regex ${JSON.stringify(metricName)}: ${re.message}`,
            false,
            'not-simulated',
          );
      if (re instanceof RegexpError)
        throw r.child('metricName').error(`invalid regex ${JSON.stringify(metricName)}: ${re.message}`);
      return [withLimit ? { metricName, limit: r.optInt('limit', { min: 0 }) ?? 0 } : { metricName }];
    }, []),
  );
}

/**
 * `analysis` of a step, of strategy.canary (`background`: with `startingStep`), or a blue-green
 * pre/post-promotion analysis. In lint each template reference, arg and rule is read on its own.
 */
export function rolloutAnalysis(an: ManifestNode, background: boolean): RolloutAnalysis {
  an.only(
    ['templates', 'args', 'dryRun', 'measurementRetention', ...(background ? ['startingStep'] : [])],
    ['analysisRunMetadata'],
  );
  const templates = an
    .req('templates')
    .list()
    .flatMap((t) =>
      t.guard(() => {
        t.only(['templateName', 'clusterScope']);
        const cs = t.child('clusterScope');
        return [
          { templateName: t.req('templateName').nonEmptyStr(), clusterScope: cs.exists ? cs.bool() : false },
        ];
      }, []),
    );
  if (an.child('templates').list().length === 0)
    an.report(an.child('templates').error('expected at least one template'));
  const args = an.child('args').exists
    ? an
        .child('args')
        .list()
        .flatMap((a) => a.guard(() => [arg(a)], []))
    : [];
  return {
    templates,
    args,
    startingStep: background ? an.guard(() => an.optInt('startingStep', { min: 0 }) ?? 0, 0) : 0,
    dryRun: rules(an, 'dryRun', false).map((r) => ({ metricName: r.metricName })),
    measurementRetention: rules(an, 'measurementRetention', true) as RetentionRule[],
  };
}

/**
 * Argo's check of a step analysis's args (`InvalidAnalysisArgsMessage`): a `fieldRef` into
 * `metadata` must be one the downward API can read — `metadata.name`, `.namespace`, `.uid`,
 * `.labels`, `.annotations`, or `metadata.labels['k']` / `metadata.annotations['k']`.
 */
export function downwardApiPath(fieldPath: string): boolean {
  if (!fieldPath.startsWith('metadata')) return true;
  const sub = /^(.*)\['(.*)'\]$/.exec(fieldPath);
  if (sub) return (sub[1] === 'metadata.labels' || sub[1] === 'metadata.annotations') && sub[2] !== '';
  return [
    'metadata.annotations',
    'metadata.labels',
    'metadata.name',
    'metadata.namespace',
    'metadata.uid',
  ].includes(fieldPath);
}
