import type {
  DestinationRuleSpec,
  IngressSpec,
  ManifestNode,
  ManifestObject,
  VirtualServiceSpec,
} from '../../sim/manifests/index.js';
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
    // A VirtualService that could not be read whole has its own findings; its routes are not judged.
    if (vs.partial) return;
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
      // Argo's ValidateHTTPRoutes: subsets with a DestinationRule, else the Services by short host.
      const dr = c.trafficRouting!.istio.destinationRule;
      const check = (present: boolean, message: string) => {
        if (!present) findings.push(findingAt('service-not-in-route', at, message));
      };
      if (dr) {
        const subsets = route.route.map((d) => d.destination.subset);
        check(
          subsets.includes(dr.canarySubsetName),
          `Canary DestinationRule subset '${dr.canarySubsetName}' not found in route`,
        );
        check(
          subsets.includes(dr.stableSubsetName),
          `Stable DestinationRule subset '${dr.stableSubsetName}' not found in route`,
        );
        return;
      }
      const hosts = route.route.map((d) => d.destination.host.split('.')[0]);
      // A missing Service name is already Argo's "must to be set" error.
      if (c.canaryService !== undefined)
        check(hosts.includes(c.canaryService), `Canary Service '${c.canaryService}' not found in route`);
      if (c.stableService !== undefined)
        check(hosts.includes(c.stableService), `Stable Service '${c.stableService}' not found in route`);
    });
  });
}

/**
 * `istio.destinationRule`: the rule, looked up by name in the Rollout's namespace as Argo does,
 * must exist and have the canary, stable and additional subsets the Rollout names.
 */
function checkDestinationRule(ro: RolloutObject, ns: string, known: Known, findings: Finding[]): void {
  const dr = ro.spec.strategy.canary?.trafficRouting?.istio.destinationRule;
  if (!dr) return;
  const node = ro.node
    .child('spec')
    .child('strategy')
    .child('canary')
    .child('trafficRouting')
    .child('istio')
    .child('destinationRule');
  const rule = lookup<DestinationRuleSpec>(known, 'DestinationRule', ns, dr.name);
  if (!rule) {
    findings.push(
      findingAt(
        'destinationrule-not-found',
        node.child('name'),
        `DestinationRule \`${dr.name}\` not found in namespace ${ns}${hint(known, ' (apply it before or with the Rollout)')}${didYouMean(dr.name, namesOf(known, 'DestinationRule', ns))}`,
      ),
    );
    return;
  }
  if (rule.partial) return;
  const names = rule.spec.subsets.map((x) => x.name);
  const wanted: [ManifestNode, string][] = [
    [node.child('canarySubsetName'), dr.canarySubsetName],
    [node.child('stableSubsetName'), dr.stableSubsetName],
    ...dr.additionalSubsetNames.map((n, i): [ManifestNode, string] => [
      node.child('additionalSubsetNames').child(i),
      n,
    ]),
  ];
  for (const [at, name] of wanted)
    if (!names.includes(name))
      findings.push(
        findingAt(
          'subset-not-found',
          at,
          `DestinationRule "${dr.name}" has no subset "${name}" (subsets: ${names.join(', ') || 'none'}): Istio answers requests routed to it with 503${didYouMean(name, names)}`,
        ),
      );
}

/** Each Service an Ingress sends to must be among the objects. */
export function checkIngressReferences(
  o: ManifestObject<string, IngressSpec>,
  ns: string,
  known: Known,
): Finding[] {
  // Indices of a partial Ingress may not match its document: its own findings come first.
  if (o.partial) return [];
  const findings: Finding[] = [];
  const spec = o.node.child('spec');
  o.spec.rules.forEach((r, i) =>
    r.paths.forEach((p, j) =>
      checkService(
        spec
          .child('rules')
          .child(i)
          .child('http')
          .child('paths')
          .child(j)
          .child('backend')
          .child('service')
          .child('name'),
        p.service,
        ns,
        known,
        findings,
      ),
    ),
  );
  if (o.spec.defaultBackend)
    checkService(
      spec.child('defaultBackend').child('service').child('name'),
      o.spec.defaultBackend.service,
      ns,
      known,
      findings,
    );
  return findings;
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
    checkDestinationRule(ro, ns, known, findings);
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
