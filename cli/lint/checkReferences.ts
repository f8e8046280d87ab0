import type { ManifestNode, ManifestObject, VirtualServiceSpec } from '../../sim/manifests/index.js';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import type { Unresolved } from './checkTemplateSyntax.js';
import { findingAt, type Finding } from './Finding.js';
import { didYouMean, lookup, namesOf, type Known } from './Known.js';
import { resolveAnalysis, type AnalysisUse } from './resolveAnalysis.js';

export type RolloutObject = ManifestObject<string, RolloutSpec>;

export interface RolloutReferences {
  findings: Finding[];
  analyses: AnalysisUse[];
}

const hint = (known: Known, timeline: string, inputs = ' among the inputs'): string =>
  known.missing === 'timeline' ? timeline : inputs;

function checkService(
  node: ManifestNode,
  name: string | undefined,
  ns: string,
  known: Known,
  findings: Finding[],
): void {
  if (name === undefined || lookup(known, 'Service', ns, name)) return;
  findings.push(
    findingAt(
      'service-not-found',
      node,
      `Service ${JSON.stringify(name)} not found in namespace ${ns}${hint(known, '', ' among the inputs')}${didYouMean(name, namesOf(known, 'Service', ns))}`,
    ),
  );
}

function checkVirtualServices(ro: RolloutObject, ns: string, known: Known, findings: Finding[]): void {
  const c = ro.spec.strategy.canary!;
  if (!c.trafficRouting) return;
  const istio = ro.node
    .child('spec')
    .child('strategy')
    .child('canary')
    .child('trafficRouting')
    .child('istio');
  const refsNode = istio.child('virtualServices').exists
    ? istio.child('virtualServices')
    : istio.child('virtualService');
  c.trafficRouting.istio.virtualServices.forEach((ref, i) => {
    const refNode = Array.isArray(refsNode.value) ? refsNode.child(i) : refsNode;
    const [name, vsNs] = ref.name.includes('.') ? ref.name.split('.', 2) : [ref.name, ns];
    const vs = lookup<VirtualServiceSpec>(known, 'VirtualService', vsNs, name!);
    if (!vs) {
      findings.push(
        findingAt(
          'virtualservice-not-found',
          refNode.child('name'),
          `VirtualService ${JSON.stringify(ref.name)} not found${hint(known, '')}${didYouMean(name!, namesOf(known, 'VirtualService', vsNs))}`,
        ),
      );
      return;
    }
    const routes = ref.routes.length > 0 ? ref.routes : undefined;
    if (!routes && vs.spec.http.length !== 1) {
      findings.push(
        findingAt(
          'route-not-found',
          refNode,
          'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes',
        ),
      );
      return;
    }
    (routes ?? [undefined]).forEach((r, j) => {
      const route = r === undefined ? vs.spec.http[0]! : vs.spec.http.find((h) => h.name === r);
      const at = r === undefined ? refNode : refNode.child('routes').child(j);
      if (!route) {
        const names = vs.spec.http.flatMap((h) => (h.name === undefined ? [] : [h.name]));
        findings.push(
          findingAt(
            'route-not-found',
            at,
            `HTTP Route '${r}' is not found in the defined Virtual Service.${didYouMean(r!, names)}`,
          ),
        );
        return;
      }
      if (route.name !== undefined && c.trafficRouting!.managedRoutes.includes(route.name))
        findings.push(
          findingAt(
            'managed-route-weighted',
            at,
            `route '${route.name}' is both rewritten by setWeight and listed in trafficRouting.managedRoutes: Argo removes every managed route when the rollout ends (and a header or mirror step of that name replaces it), so the VirtualService would lose its weighted route`,
          ),
        );
      const hosts = route.route.map((d) => d.destination.host.split('.')[0]);
      if (!hosts.includes(c.canaryService))
        findings.push(
          findingAt('service-not-in-route', at, `Canary Service '${c.canaryService}' not found in route`),
        );
      if (!hosts.includes(c.stableService))
        findings.push(
          findingAt('service-not-in-route', at, `Stable Service '${c.stableService}' not found in route`),
        );
    });
  });
}

/**
 * A Rollout's references — workload, Services, VirtualServices and routes, templates and args of
 * every analysis — checked against `known`, with each analysis resolved for the checks that
 * follow. Findings come in the order the scenario runner used to throw them.
 */
export function checkRolloutReferences(
  ro: RolloutObject,
  ns: string,
  known: Known,
  unresolved: Unresolved,
  /**
   * `background`: only the background analysis (the scenario runner: Argo's own validation of
   * step / pre- / post-promotion analyses makes the Rollout InvalidSpec, which the simulator plays).
   */
  analyses: 'all' | 'background' = 'all',
): RolloutReferences {
  const findings: Finding[] = [];
  const uses: AnalysisUse[] = [];
  const spec = ro.spec;
  const node = ro.node.child('spec');
  if (spec.workloadRef && !lookup(known, 'Deployment', ns, spec.workloadRef.name)) {
    findings.push(
      findingAt(
        'workload-not-found',
        node.child('workloadRef').child('name'),
        `Deployment ${JSON.stringify(spec.workloadRef.name)} not found in namespace ${ns}${hint(known, ' (apply it before or with the Rollout)')}${didYouMean(spec.workloadRef.name, namesOf(known, 'Deployment', ns))}`,
      ),
    );
  }
  const c = spec.strategy.canary;
  if (c) {
    const cn = node.child('strategy').child('canary');
    checkService(cn.child('canaryService'), c.canaryService, ns, known, findings);
    checkService(cn.child('stableService'), c.stableService, ns, known, findings);
    checkVirtualServices(ro, ns, known, findings);
    if (c.analysis)
      uses.push(
        resolveAnalysis('background', cn.child('analysis'), c.analysis, ns, known, unresolved, findings),
      );
    c.steps.forEach((st, i) => {
      if (st.kind !== 'analysis' || analyses === 'background') return;
      const an = cn.child('steps').child(i).child('analysis');
      uses.push(resolveAnalysis('step', an, st.analysis, ns, known, unresolved, findings, i));
    });
  }
  const bg = spec.strategy.blueGreen;
  if (bg) {
    const bn = node.child('strategy').child('blueGreen');
    checkService(bn.child('activeService'), bg.activeService, ns, known, findings);
    checkService(bn.child('previewService'), bg.previewService, ns, known, findings);
    for (const [k, kind] of [
      ['prePromotionAnalysis', 'prePromotion'],
      ['postPromotionAnalysis', 'postPromotion'],
    ] as const) {
      const a = bg[k];
      if (a && analyses === 'all')
        uses.push(resolveAnalysis(kind, bn.child(k), a, ns, known, unresolved, findings));
    }
  }
  return { findings, analyses: uses };
}
