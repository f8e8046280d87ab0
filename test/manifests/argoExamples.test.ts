import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO_ROOT } from '../lint/helpers.js';

/*
 * Argo Rollouts' own examples (../shared/argo-examples, read where they are, never copied): what
 * a new user applies first. Every manifest among them loads in `lint` — exit 0 or 1, never 2 for
 * something a cluster accepts — and what canarysim cannot rehearse is a finding naming the field.
 */
const EXAMPLES = path.resolve(REPO_ROOT, '../shared/argo-examples');
const ex = (f: string) => path.join(EXAMPLES, f);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return /\.ya?ml$/.test(n) ? [path.relative(EXAMPLES, p)] : [];
    });
}

// A Helm chart (templates, Chart.yaml, values.yaml) is not manifests; the notifications
// kustomization names a folder the copy does not have. Both are asserted on their own below.
const MANIFESTS = existsSync(EXAMPLES)
  ? yamlFiles(EXAMPLES).filter(
      (f) => !f.startsWith('helm-blue-green/') && f !== 'notifications/kustomization.yaml',
    )
  : [];

interface Report {
  findings: { file: string; line: number; col: number; rule: string; severity: string; message: string }[];
  rollouts: { rollout: string }[];
  untimedRollouts: { rollout: string }[];
  summary: { exitCode: number };
}

async function lintJson(files: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const { code, stdout, stderr } = await cli(['lint', '--json', ...files.map(ex)]);
  return { code, report: stderr === '' ? (JSON.parse(stdout) as Report) : ({} as Report), stderr };
}

describe.skipIf(!existsSync(EXAMPLES))("Argo Rollouts' own examples", () => {
  it('finds the examples', () => {
    expect(MANIFESTS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(MANIFESTS)('%s loads in lint: exit 0 or 1, nothing on stderr', async (file) => {
    const { code, stdout, stderr } = await cli(['lint', ex(file)]);
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
    expect(stdout).toMatch(/\d+ errors?, \d+ warnings?/);
  });

  /*
   * Each group is linted as it would be applied together. `expected`: exactly these findings,
   * as `rule <text the message contains>`; an empty list means clean (exit 0).
   */
  const groups: { files: string[]; expected: string[]; timed?: string[]; untimed?: string[] }[] = [
    { files: ['rollout-canary.yaml'], expected: [], timed: ['rollout-canary'] },
    { files: ['rollout-bluegreen.yaml'], expected: [], timed: ['rollout-bluegreen'] },
    { files: ['rollout-rolling-update.yaml'], expected: [], timed: ['rollout-rollingupdate'] },
    { files: ['workload-ref/workload-ref.yaml'], expected: [], timed: ['rollout-ref-deployment'] },
    { files: ['rollout-template-ref.yaml'], expected: [], timed: ['rollout-ref-deployment'] },
    { files: ['istio/istio-subset-split.yaml'], expected: [], timed: ['istio-subset-split'] },
    { files: ['istio/istio-mirror.yaml'], expected: [], timed: ['istio-host-split'] },
    // A LoadBalancer Service, an Ingress as a plain entry point and a ConfigMap: all accepted.
    {
      files: ['notifications/rollout-canary.yaml', 'notifications/configmap.yaml'],
      expected: [],
      timed: ['rollout-canary'],
    },
    {
      files: ['experiment-with-analysis.yaml'],
      expected: [
        'not-simulated Experiment "experiment-with-analysis": not supported by canarysim: kind Experiment',
      ],
    },
    {
      files: ['analysis-templates.yaml'],
      expected: [
        'not-simulated AnalysisTemplate "pass": spec.metrics[0].provider.job: not supported by canarysim: the job metric provider',
        'not-simulated AnalysisTemplate "random-fail": spec.metrics[0].provider.job: not supported by canarysim',
      ],
    },
    {
      // With its templates: they are found (no template-not-found), and their job metrics named.
      files: ['rollout-analysis-step.yaml', 'analysis-templates.yaml', 'cluster-analysis-templates.yaml'],
      expected: [
        'not-simulated AnalysisTemplate "pass": spec.metrics[0].provider.job',
        'not-simulated AnalysisTemplate "random-fail": spec.metrics[0].provider.job',
        'not-simulated ClusterAnalysisTemplate "always-pass": spec.metrics[0].provider.job',
      ],
      untimed: ['rollout-analysis-step'],
    },
    {
      files: ['rollout-background-analysis.yaml', 'analysis-templates.yaml'],
      expected: [
        'not-simulated AnalysisTemplate "pass": spec.metrics[0].provider.job',
        'not-simulated AnalysisTemplate "random-fail": spec.metrics[0].provider.job',
      ],
      untimed: ['rollout-background-analysis'],
    },
    {
      files: ['rollout-secret.yaml'],
      expected: [
        'not-simulated AnalysisTemplate "analysis-secret": spec.args[0].valueFrom: not supported by canarysim',
        'not-simulated AnalysisTemplate "analysis-secret": spec.metrics[0].provider.web: not supported by canarysim: the web metric provider',
      ],
      untimed: ['rollout-secret'],
    },
    {
      files: ['rollout-experiment-step.yaml'],
      expected: [
        'not-simulated Rollout "rollout-experiment-step": spec.strategy.canary.steps[1].experiment: not supported by canarysim: an experiment step',
      ],
      untimed: ['rollout-experiment-step'],
    },
    {
      files: ['rollout-baseline-vs-canary.yaml'],
      expected: [
        'not-simulated Rollout "rollout-baseline-vs-canary": spec.strategy.canary.steps[0].experiment',
      ],
    },
    {
      files: ['rollout-canary-preview.yaml'],
      expected: ['not-simulated Rollout "rollout-canary-preview": spec.strategy.canary.steps[0].experiment'],
    },
    {
      files: [
        'ambassador/echo-mapping.yaml',
        'ambassador/echo-service.yaml',
        'ambassador/resolver.yaml',
        'ambassador/rollout.yaml',
      ],
      expected: [
        'not-simulated Mapping "echo": not supported by canarysim: kind Mapping (getambassador.io/v2)',
        'not-simulated KubernetesEndpointResolver "endpoint": not supported by canarysim: kind KubernetesEndpointResolver',
        'not-simulated Rollout "echo-rollout": spec.strategy.canary.trafficRouting.ambassador: not supported by canarysim: Ambassador traffic routing',
      ],
      untimed: ['echo-rollout'],
    },
    {
      files: ['apisix/rollout.yaml', 'apisix/route.yaml', 'apisix/services.yaml'],
      expected: [
        'not-simulated ApisixRoute "rollouts-apisix-route": not supported by canarysim: kind ApisixRoute',
        'not-simulated Rollout "rollout-apisix-canary": spec.strategy.canary.trafficRouting.apisix: not supported by canarysim: APISIX traffic routing',
        // Argo allows setCanaryScale and setHeaderRoute in one step; canarysim simulates one per step.
        'not-simulated Rollout "rollout-apisix-canary": spec.strategy.canary.steps[0]: not supported by canarysim: a step that sets setCanaryScale and setHeaderRoute',
      ],
    },
    {
      files: ['appmesh/canary-rollout.yaml', 'appmesh/canary-service.yaml'],
      expected: [
        'not-simulated Rollout "my-rollout": spec.strategy.canary.trafficRouting.appMesh: not supported by canarysim: AWS App Mesh traffic routing',
        'not-simulated Mesh "argo-examples": not supported by canarysim: kind Mesh (appmesh.k8s.aws/v1beta2)',
        'not-simulated VirtualService "my-svc": not supported by canarysim: kind VirtualService (appmesh.k8s.aws/v1beta2)',
        'not-simulated VirtualRouter "my-vrouter": not supported by canarysim: kind VirtualRouter',
        'not-simulated VirtualNode "my-vn-canary": not supported by canarysim: kind VirtualNode',
        'not-simulated VirtualNode "my-vn-stable": not supported by canarysim: kind VirtualNode',
        'not-simulated VirtualNode "wrk-tester": not supported by canarysim: kind VirtualNode',
        'not-simulated Deployment "wrk-tester": spec.replicas: not supported by canarysim: a Deployment with replicas 1',
        // The (commented-out) analysis template's own traps, linted on its own.
        'nan-fails AnalysisTemplate "success-rate": spec.metrics[0].successCondition',
        'unguarded-index AnalysisTemplate "success-rate": spec.metrics[0].successCondition',
      ],
    },
    {
      files: ['traffic-management/rollout-linkerd.yaml'],
      expected: [
        'not-simulated Rollout "rollout-linkerd": spec.strategy.canary.trafficRouting.smi: not supported by canarysim: SMI traffic routing',
        'not-simulated AnalysisTemplate "load-test": spec.metrics[0].provider.job',
        // The example itself is broken for kubectl: an unquoted {{…}} is a YAML mapping.
        'invalid-manifest invalid YAML for Kubernetes: {{args.linkerd-enabled}} unquoted is a YAML mapping',
      ],
    },
    {
      files: ['traffic-management/job.yaml'],
      expected: ['not-simulated AnalysisTemplate "load-test": spec.metrics[0].provider.job'],
    },
    {
      files: ['traffic-routing-experiment-step/istio-host-split-experiment-step.yaml'],
      expected: ['not-simulated Rollout "istio-host-split": spec.strategy.canary.steps[1].experiment'],
    },
    {
      files: ['traffic-routing-experiment-step/rollout-alb-experiment-step.yaml'],
      expected: [
        'not-simulated Ingress "alb-rollout-ingress": spec.rules[0].http.paths[0].backend.service.port.name: not supported by canarysim: port name "use-annotation"',
        'not-simulated Rollout "alb-rollout": spec.strategy.canary.trafficRouting.alb: not supported by canarysim: AWS ALB traffic routing',
        'not-simulated Rollout "alb-rollout": spec.strategy.canary.steps[1].experiment',
      ],
    },
    {
      files: ['traffic-routing-experiment-step/rollout-smi-experiment-step.yaml'],
      expected: [
        'not-simulated Rollout "rollout-smi-experiment": spec.strategy.canary.trafficRouting.smi',
        'not-simulated Rollout "rollout-smi-experiment": spec.strategy.canary.steps[1].experiment',
      ],
    },
  ];

  it.each(groups)('$files: the findings name what canarysim does not simulate', async (g) => {
    const { code, report, stderr } = await lintJson(g.files);
    expect(stderr).toBe('');
    const got = report.findings.map((f) => `${f.rule} ${f.message}`);
    for (const e of g.expected) expect(got.filter((x) => x.startsWith(e) || x.includes(e))).toHaveLength(1);
    expect(got).toHaveLength(g.expected.length);
    expect(code).toBe(g.expected.length === 0 ? 0 : 1);
    for (const f of report.findings) expect(f.file.endsWith('.yaml') && f.line > 0 && f.col > 0).toBe(true);
    if (g.timed) expect(report.rollouts.map((r) => r.rollout)).toEqual(g.timed);
    if (g.untimed) expect(report.untimedRollouts.map((r) => r.rollout)).toEqual(g.untimed);
  });

  it('a Helm template is one clear error to render it first (exit 2), not a YAML error', async () => {
    const { code, stdout, stderr } = await cli(['lint', ex('helm-blue-green/templates/rollout.yaml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(
      `rollout.yaml:4:9: this is a Helm template ({{ template "helm-guestbook.fullname" . }}), not a manifest: render it first (helm template <release> <chart-dir> > rendered.yaml)`,
    );
  });

  it('a kustomization passed as a file is built as its folder; a resource it names that is missing is exit 2 with the path', async () => {
    // Argo's repository has manifests/ two levels up: --root lets the build look there.
    const root = path.dirname(EXAMPLES);
    const { code, stdout, stderr } = await cli([
      'lint',
      ex('notifications/kustomization.yaml'),
      '--root',
      root,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /kustomization\.yaml:5:3: Kustomization: resources\[0\]: resource "\.\.\/\.\.\/manifests\/notifications" not found \(looked for .*manifests\/notifications\)\n$/,
    );
  });

  it("without --root, a resource outside the input's folder (here outside the working directory) is refused at its line", async () => {
    const { code, stdout, stderr } = await cli(['lint', ex('notifications/kustomization.yaml')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `canarysim: ${path.relative(process.cwd(), ex('notifications/kustomization.yaml'))}:5:3: Kustomization: resources[0]: "../../manifests/notifications" is outside the file's folder ${ex('notifications')} (files must be below it; --root DIR allows a wider one)\n`,
    );
  });
});
