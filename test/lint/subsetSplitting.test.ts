import { describe, expect, it } from 'vitest';
import { lintManifests, loadLintInputs } from '../../cli/lint/index.js';
import { memoryFs } from '../commands/worldHarness.js';
import { at } from '../manifests/inline.js';

/** Lints one inline file as `canarysim lint` does: each finding as `line:col rule message`. */
function lintText(text: string): { findings: string[]; timed: string[]; untimed: string[] } {
  const { objects, issues } = loadLintInputs(memoryFs({ 'm.yaml': text }), ['m.yaml'], []);
  const r = lintManifests(objects, { namespace: 'default', issues });
  return {
    findings: r.findings.map((f) => `${f.pos.line}:${f.pos.col} ${f.rule} ${f.message}`),
    timed: r.timelines.map((t) => t.rollout),
    untimed: r.untimed.map((u) => u.rollout),
  };
}

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;
const VS = (subsets: [string, string]) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web.example.com]
  http:
    - name: primary
      route:
        - {destination: {host: web, subset: ${subsets[0]}}, weight: 100}
        - {destination: {host: web, subset: ${subsets[1]}}, weight: 0}
`;
const DR = (subsets: string[]) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec:
  host: web
  subsets:
${subsets.map((s) => `    - {name: ${s}, labels: {app: web}}`).join('\n')}
`;
const ROLLOUT = (dr: string) => `---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: example/web:1}]}
  strategy:
    canary:
      canaryMetadata: {labels: {version: canary}}
      stableMetadata: {labels: {version: stable}}
      trafficRouting:
        istio:
          virtualService: {name: web, routes: [primary]}
          destinationRule: {name: ${dr}, canarySubsetName: canary, stableSubsetName: stable}
      steps: [{setWeight: 10}, {pause: {}}]
`;

describe('lint: subset-level splitting (istio.destinationRule)', () => {
  it('one Service, a VirtualService routing to subsets, a DestinationRule defining them: clean, with a timeline', () => {
    const r = lintText(SERVICE + VS(['stable', 'canary']) + DR(['stable', 'canary']) + ROLLOUT('web'));
    expect(r.findings).toEqual([]);
    expect(r.timed).toEqual(['web']);
  });

  it("a DestinationRule that is not among the inputs, named as Argo's event does", () => {
    const text = SERVICE + VS(['stable', 'canary']) + DR(['stable', 'canary']) + ROLLOUT('wbe');
    expect(lintText(text).findings).toEqual([
      `${at(text, 'wbe')} destinationrule-not-found Rollout "web": spec.strategy.canary.trafficRouting.istio.destinationRule.name: DestinationRule \`wbe\` not found in namespace default among the inputs (did you mean "web"?)`,
    ]);
  });

  it("a subset the DestinationRule does not define; a route without the subset (Argo's message)", () => {
    const text = SERVICE + VS(['stable', 'preview']) + DR(['stable', 'canari']) + ROLLOUT('web');
    expect(lintText(text).findings).toEqual([
      `${at(text, 'primary]}')} service-not-in-route Rollout "web": spec.strategy.canary.trafficRouting.istio.virtualService.routes[0]: Canary DestinationRule subset 'canary' not found in route`,
      `${at(text, 'canarySubsetName: canary', 18)} subset-not-found Rollout "web": spec.strategy.canary.trafficRouting.istio.destinationRule.canarySubsetName: DestinationRule "web" has no subset "canary" (subsets: stable, canari): Istio answers requests routed to it with 503 (did you mean "canari"?)`,
    ]);
  });

  it('a VirtualService that could not be read whole is not judged again through the Rollout', () => {
    const text =
      SERVICE +
      VS(['stable', 'canary']).replace('      route:', '      retries: {attempts: 3}\n      route:') +
      DR(['stable', 'canary']) +
      ROLLOUT('web');
    const r = lintText(text);
    expect(r.findings).toEqual([
      `${at(text, 'retries')} not-simulated VirtualService "web": spec.http[0].retries: not supported by canarysim: this field is not simulated (remove it to rehearse without it)`,
    ]);
    expect(r.timed).toEqual(['web']);
  });
});

describe('lint: an Ingress as a plain entry point', () => {
  it("each backend's Service must be among the inputs", () => {
    const text = `${SERVICE}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, annotations: {kubernetes.io/ingress.class: nginx}}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
  rules:
    - host: web.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: wbe, port: {number: 80}}}}
`;
    expect(lintText(text).findings).toEqual([
      `${at(text, 'wbe')} service-not-found Ingress "web": spec.rules[0].http.paths[0].backend.service.name: Service "wbe" not found in namespace default among the inputs (did you mean "web"?)`,
    ]);
  });
});
