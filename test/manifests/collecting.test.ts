import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KUBECTL_RESOURCE, loadManifestFile, parseYamlFile } from '../../sim/manifests/index.js';
import { memoryFs } from '../commands/worldHarness.js';
import { cli } from '../lint/helpers.js';
import { at, collect, strict, strictError } from './inline.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmpFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-collect-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const THREE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selecter: {app: web}
  ports: [{port: 80}]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/vfarcic/silly-demo:1.4.126
  strategy:
    canary:
      steps:
        - setWeight: 150
        - experiment: {templates: [{name: e, specRef: canary}]}
        - pause: {}
`;

describe('lint collects every problem of a file', () => {
  it('a file with three different problems reports all three, each at its place; a rehearsal stops at the first', async () => {
    const dir = tmpFiles({ 'three.yaml': THREE });
    const file = path.join(dir, 'three.yaml');
    const { code, stdout, stderr } = await cli(['lint', file]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const shown = path.relative(process.cwd(), file);
    const lines = stdout.split('\n').filter((l) => l.startsWith(shown));
    expect(lines).toEqual([
      `${shown}:${at(THREE, 'selecter')}: error invalid-manifest: Service "web": spec.selecter: unknown field "selecter" (expected one of: selector, ports, type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, internalTrafficPolicy, sessionAffinity, sessionAffinityConfig, trafficDistribution, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, allocateLoadBalancerNodePorts, externalTrafficPolicy, healthCheckNodePort, externalIPs)`,
      `${shown}:${at(THREE, '150')}: error invalid-manifest: Rollout "web": spec.strategy.canary.steps[0].setWeight: SetWeight needs to be between 0 and 100 (got 150)`,
      `${shown}:${at(THREE, 'experiment')}: warning not-simulated: Rollout "web": spec.strategy.canary.steps[1].experiment: not supported by canarysim: an experiment step (Experiments are not simulated)`,
    ]);
    expect(stdout).toMatch(/\n2 errors, 1 warning \(1 Service, 1 Rollout\)\n$/);
    // run, serve and scenario validation keep failing fast on the same file.
    expect(strictError(THREE, 'three.yaml')).toBe(
      `three.yaml:${at(THREE, 'selecter')}: Service "web": spec.selecter: unknown field "selecter" (expected one of: selector, ports, type, clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, internalTrafficPolicy, sessionAffinity, sessionAffinityConfig, trafficDistribution, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass, allocateLoadBalancerNodePorts, externalTrafficPolicy, healthCheckNodePort, externalIPs)`,
    );
  });

  it('within one Rollout, each step, container and metric is read on its own; the rest of the object still comes back (partial)', () => {
    const y = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: r
spec:
  selector:
    matchLabels: {app: r}
  template:
    metadata:
      labels: {app: r}
    spec:
      containers:
        - name: a
          image: x
          startupProbe: {exec: {command: [true]}}
        - name: b
          image: y
          env: [{name: E, valueFrom: {secretKeyRef: {name: s, key: k}}}]
  strategy:
    canary:
      steps:
        - setWeight: 10
        - pause: {duration: soon}
        - setWeight: 20
`;
    const { objects, problems } = collect(y);
    expect(problems).toEqual([
      `m.yaml:${at(y, 'startupProbe')}: Rollout "r": spec.template.spec.containers[0].startupProbe: not supported by canarysim: this field is not simulated (remove it to rehearse without it) [not-simulated]`,
      `m.yaml:${at(y, 'valueFrom')}: Rollout "r": spec.template.spec.containers[1].env[0].valueFrom: not supported by canarysim: this field is not simulated (remove it to rehearse without it) [not-simulated]`,
      `m.yaml:${at(y, 'soon')}: Rollout "r": spec.strategy.canary.steps[1].pause.duration: Duration needs to be greater than 0 (invalid duration "soon": expected an integer number of seconds or a Go duration such as 30s, 5m or 1h30m) [invalid]`,
    ]);
    expect(objects).toHaveLength(1);
    const ro = objects[0]!;
    expect(ro.partial).toBe(true);
    const steps = (ro.spec as { strategy: { canary: { steps: unknown[] } } }).strategy.canary.steps;
    // The bad step stands in as a pause, so the numbering of the others holds.
    expect(steps).toEqual([
      { kind: 'setWeight', setWeight: 10 },
      { kind: 'pause' },
      { kind: 'setWeight', setWeight: 20 },
    ]);
  });

  it('a document whose kind or name cannot be read is left out; the next document is still read', () => {
    const y = `apiVersion: v1
kind: Service
metadata: {}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ok}
data: {a: b}
`;
    const { objects, problems } = collect(y);
    expect(problems).toEqual([
      `m.yaml:3:11: Service: metadata.name: required field is missing [invalid]`.replace(
        'Service: ',
        'manifest: ',
      ),
    ]);
    expect(objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['ConfigMap/ok']);
  });
});

describe('inert kinds: accepted, validated as far as it matters, ignored by the world', () => {
  const INERT = `apiVersion: v1
kind: Secret
metadata: {name: s}
type: Opaque
data: {token: aGVsbG8=}
stringData: {url: "https://example.com"}
immutable: true
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {app.properties: "a=b"}
binaryData: {blob: AAEC}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
automountServiceAccountToken: false
imagePullSecrets: [{name: regcred}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
subjects: [{kind: ServiceAccount, name: sa}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects: []
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec: {limits: [{type: Container, default: {cpu: 100m}}]}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q}
spec: {hard: {pods: "10"}}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: pm}
spec: {selector: {matchLabels: {app: web}}, podMetricsEndpoints: [{port: http-envoy-prom}]}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: sm}
spec: {selector: {matchLabels: {app: web}}, endpoints: [{port: http}]}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: pr}
spec:
  groups:
    - name: web
      rules:
        - alert: HighErrorRate
          expr: sum(rate(istio_requests_total{response_code=~"5.."}[5m])) > 1
`;

  it("every inert kind parses, is marked inert and has kubectl's resource name", () => {
    const objects = strict(INERT);
    expect(objects.map((o) => [KUBECTL_RESOURCE[o.kind], o.inert])).toEqual([
      ['secret', true],
      ['configmap', true],
      ['serviceaccount', true],
      ['role.rbac.authorization.k8s.io', true],
      ['rolebinding.rbac.authorization.k8s.io', true],
      ['clusterrole.rbac.authorization.k8s.io', true],
      ['clusterrolebinding.rbac.authorization.k8s.io', true],
      ['horizontalpodautoscaler.autoscaling', true],
      ['poddisruptionbudget.policy', true],
      ['limitrange', true],
      ['resourcequota', true],
      ['podmonitor.monitoring.coreos.com', true],
      ['servicemonitor.monitoring.coreos.com', true],
      ['prometheusrule.monitoring.coreos.com', true],
    ]);
    expect(KUBECTL_RESOURCE['Ingress']).toBe('ingress.networking.k8s.io');
    expect(KUBECTL_RESOURCE['DestinationRule']).toBe('destinationrule.networking.istio.io');
    expect(collect(INERT).problems).toEqual([]);
  });

  it.each([
    [
      "a typo among a Secret's fields",
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndat: {a: YQ==}\n',
      'm.yaml:4:1: Secret "s": dat: unknown field "dat" (expected one of: apiVersion, kind, metadata, type, data, stringData, immutable) [invalid]',
    ],
    [
      'a Secret value that is not base64',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: "not base64!"}\n',
      'm.yaml:4:11: Secret "s": data.a: illegal base64 data: data values are base64 (put plain text under stringData) [invalid]',
    ],
    [
      'a ConfigMap value that is a number',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {port: 8080}\n',
      'm.yaml:4:14: ConfigMap "c": data.port: expected a string, got number 8080 [invalid]',
    ],
    [
      'a RoleBinding without roleRef',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nsubjects: []\n',
      'm.yaml:1:1: RoleBinding "b": roleRef: required field is missing [invalid]',
    ],
    [
      'an HPA that would scale a Rollout',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}\n  maxReplicas: 5\n',
      '@Rollout@ HorizontalPodAutoscaler "h": spec.scaleTargetRef.kind: not supported by canarysim: a HorizontalPodAutoscaler of Rollout "web": it would change the Rollout\'s replicas with the load, and canarysim keeps spec.replicas [not-simulated]',
    ],
    [
      "a recording rule (canarysim's Prometheus evaluates no rules)",
      'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: p}\nspec:\n  groups: [{name: g, rules: [{record: "job:errors:rate5m", expr: "vector(1)"}]}]\n',
      '@record@ PrometheusRule "p": spec.groups[0].rules[0].record: not supported by canarysim: recording rule "job:errors:rate5m": canarysim\'s Prometheus does not evaluate rules, so a query of this series finds nothing [not-simulated]',
    ],
  ])('%s', (_name, yaml, problem) => {
    // `@needle@` stands for `m.yaml:<line:col of needle>:`.
    const want = problem.replace(/^@(.+?)@/, (_m, needle: string) => `m.yaml:${at(yaml, needle)}:`);
    expect(collect(yaml).problems).toEqual([want]);
  });
});

describe('kinds canarysim refuses, and unknown kinds', () => {
  it.each([
    ['networking.k8s.io/v1', 'NetworkPolicy', 'NetworkPolicies are not simulated'],
    ['batch/v1', 'Job', 'Jobs are not simulated'],
    ['batch/v1', 'CronJob', 'CronJobs are not simulated'],
    ['apps/v1', 'StatefulSet', 'StatefulSets are not simulated'],
    ['apps/v1', 'DaemonSet', 'DaemonSets are not simulated'],
    ['apps/v1', 'ReplicaSet', 'ReplicaSets are not simulated'],
    ['v1', 'Pod', 'bare Pods are not simulated'],
    ['argoproj.io/v1alpha1', 'AnalysisRun', 'an AnalysisRun applied directly is not simulated'],
    ['split.smi-spec.io/v1alpha2', 'TrafficSplit', 'SMI TrafficSplits are not simulated'],
    ['elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', 'AWS Load Balancer Controller bindings'],
    ['traefik.io/v1alpha1', 'TraefikService', "Traefik's TraefikService is not simulated"],
    ['gateway.networking.k8s.io/v1', 'HTTPRoute', "the Gateway API's HTTPRoute is not simulated"],
    ['gateway.networking.k8s.io/v1', 'Gateway', "the Gateway API's Gateway is not simulated"],
  ])('%s %s is refused by name, as not simulated', (apiVersion, kind, why) => {
    const y = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\nspec: {}\n`;
    const { objects, problems } = collect(y);
    expect(objects).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      `m.yaml:2:7: ${kind} "x": not supported by canarysim: kind ${kind} (${apiVersion}): ${why}`,
    );
    expect(problems[0]).toMatch(/\[not-simulated\]$/);
    expect(strictError(y)).toContain('not supported by canarysim');
  });

  it('an unknown kind is an error listing what is supported; an Istio Gateway is still the Istio one', () => {
    expect(strictError('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n')).toMatch(
      /^m\.yaml:2:7: kind "Widget" is not supported by canarysim \(supported: Namespace, Deployment, Service, Rollout, .*Ingress, Secret, ConfigMap, .*PrometheusRule\)$/,
    );
    expect(
      strict(
        'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec: {servers: []}\n',
      )[0]!.kind,
    ).toBe('Gateway');
  });

  it('an apiVersion a cluster no longer serves is an error', () => {
    expect(
      strictError('apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\nspec: {}\n'),
    ).toBe(
      'm.yaml:1:13: Ingress: apiVersion "extensions/v1beta1" is not supported (expected networking.k8s.io/v1)',
    );
  });
});

describe('kustomizations and Helm templates given as files', () => {
  const KUSTOMIZATION =
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [svc.yaml]\nnamespace: team\n';
  const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n';

  it('applied as a file (scenario apply: {file}, canarysim apply -f) a kustomization says to build it as a folder', () => {
    const fs = memoryFs({ 'k/kustomization.yaml': KUSTOMIZATION, 'k/svc.yaml': SVC });
    expect(() => loadManifestFile(fs, 'k/kustomization.yaml')).toThrow(
      'k/kustomization.yaml: this is a kustomization, not a manifest: build it as a folder (kubectl apply -k k; canarysim lint -k <dir>; in a scenario, apply: {kustomize: <dir>})',
    );
  });

  it('lint builds a kustomization passed as a file as its folder (namespace transform and all)', async () => {
    const dir = tmpFiles({ 'kustomization.yaml': KUSTOMIZATION, 'svc.yaml': SVC });
    const { code, stdout } = await cli(['lint', '--json', path.join(dir, 'kustomization.yaml')]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { summary: { objects: unknown } }).summary.objects).toEqual({ Service: 1 });
  });

  it('Argo placeholders and notification templates are not mistaken for Helm', () => {
    const y = `apiVersion: v1
kind: ConfigMap
metadata: {name: n}
data:
  template.x: |
    message: Rollout {{.rollout.metadata.name}} is {{ .rollout.status.phase }}
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: t}
spec:
  args: [{name: svc}]
  metrics:
    - name: m
      successCondition: result[0] > 0
      provider:
        prometheus: {address: "http://p:9090", query: 'sum(up{service="{{args.svc}}"})'}
`;
    expect(strict(y)).toHaveLength(2);
  });

  it('the yaml library never prints: a mapping used as a key is an error of ours, nothing on stderr', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const y = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: {{args.x}}\n';
      expect(strictError(y)).toBe(
        'm.yaml:5:6: invalid YAML for Kubernetes: {{args.x}} unquoted is a YAML mapping, not a string (kubectl cannot convert it to JSON): quote it, "{{args.x}}"',
      );
      expect(collect(y).problems).toEqual([
        'm.yaml:5:6: invalid YAML for Kubernetes: {{args.x}} unquoted is a YAML mapping, not a string (kubectl cannot convert it to JSON): quote it, "{{args.x}}" [invalid]',
      ]);
      parseYamlFile('k.yaml', '? [a, b]\n: c\n', { lenient: true })[0]!.doc.toJS();
      expect(warn).not.toHaveBeenCalled();
      expect(emit).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      emit.mockRestore();
    }
  });

  it('a Helm template whose YAML happens to parse is still named as one', () => {
    const y =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: "{{ .Release.Name }}-web"\nspec: {ports: [{port: 80}]}\n';
    expect(strictError(y)).toBe(
      'm.yaml:4:10: this is a Helm template ({{ .Release.Name }}), not a manifest: render it first (helm template <release> <chart-dir> > rendered.yaml) and use the output',
    );
  });
});
