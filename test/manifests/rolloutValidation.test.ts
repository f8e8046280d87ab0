import { describe, expect, it } from 'vitest';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import { at, canaryRollout, collect, strict, strictError } from './inline.js';

/*
 * Argo Rollouts' own validation (pkg/apis/rollouts/validation/validation.go at v1.9.1, read, not
 * copied): its messages quoted verbatim, at the field it names, inside canarysim's frame.
 */

const ISTIO = `canaryService: c
stableService: s
trafficRouting:
  managedRoutes: [{name: h}]
  istio:
    virtualService: {name: vs, routes: [primary]}
`;

/** The problems lint reports for a canary strategy, without the file and subject frame. */
function problems(canary: string, spec = ''): string[] {
  return collect(canaryRollout(canary, spec)).problems.map((p) =>
    p.replace(/^m\.yaml:\d+:\d+: Rollout "r": /, '').replace(/ \[(invalid|not-simulated)\]$/, ' ($1)'),
  );
}

describe('which step fields may be combined (hasMultipleStepsType)', () => {
  it("at most one of setWeight, pause, experiment, analysis: Argo's InvalidStepMessage at the step", () => {
    const y = canaryRollout('steps:\n  - {setWeight: 10, pause: {}}\n');
    expect(strictError(y)).toBe(
      `m.yaml:${at(y, '{setWeight')}: Rollout "r": spec.strategy.canary.steps[0]: Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause (found setWeight, pause)`,
    );
    expect(
      problems('steps:\n  - {analysis: {templates: [{templateName: t}]}, pause: {duration: 5}}\n'),
    ).toEqual([
      'spec.strategy.canary.steps[0]: Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause (found analysis, pause) (invalid)',
    ]);
  });

  it('an empty step, or one with only unknown fields, has none set', () => {
    expect(problems('steps:\n  - {}\n')).toEqual([
      'spec.strategy.canary.steps[0]: Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause (found none) (invalid)',
    ]);
    expect(problems('steps:\n  - setWieght: 10\n')).toEqual([
      'spec.strategy.canary.steps[0].setWieght: unknown field "setWieght" (expected one of: setWeight, pause, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute) (invalid)',
      'spec.strategy.canary.steps[0]: Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause (found setWieght) (invalid)',
    ]);
  });

  it('setCanaryScale, setHeaderRoute, setMirrorRoute may join another field: Argo accepts it, canarysim (one action per step) refuses it by name', () => {
    expect(problems(`${ISTIO}steps:\n  - setWeight: 20\n    setCanaryScale: {replicas: 1}\n`)).toEqual([
      'spec.strategy.canary.steps[0]: not supported by canarysim: a step that sets setWeight and setCanaryScale: Argo applies them as one step, canarysim one per step (split them into consecutive steps) (not-simulated)',
    ]);
    expect(
      problems(
        `${ISTIO}steps:\n  - setCanaryScale: {weight: 10}\n    setHeaderRoute: {name: h, match: [{headerName: x, headerValue: {exact: y}}]}\n`,
      ),
    ).toEqual([
      'spec.strategy.canary.steps[0]: not supported by canarysim: a step that sets setCanaryScale and setHeaderRoute: Argo applies them as one step, canarysim one per step (split them into consecutive steps) (not-simulated)',
    ]);
  });

  it('experiment and plugin steps are not simulated, named as such', () => {
    expect(
      problems('steps:\n  - experiment: {templates: [{name: e, specRef: canary}]}\n  - plugin: {name: p}\n'),
    ).toEqual([
      'spec.strategy.canary.steps[0].experiment: not supported by canarysim: an experiment step (Experiments are not simulated) (not-simulated)',
      'spec.strategy.canary.steps[1].plugin: not supported by canarysim: a step plugin (not simulated) (not-simulated)',
    ]);
  });
});

describe('each step field', () => {
  it('setWeight between 0 and the max traffic weight', () => {
    expect(problems('steps:\n  - setWeight: 101\n  - setWeight: -1\n  - setWeight: 100\n')).toEqual([
      'spec.strategy.canary.steps[0].setWeight: SetWeight needs to be between 0 and 100 (got 101) (invalid)',
      'spec.strategy.canary.steps[1].setWeight: SetWeight needs to be between 0 and 100 (got -1) (invalid)',
    ]);
  });

  it('pause duration: an integer, an integer string or a Go duration; anything else is DurationSeconds -1', () => {
    const y = canaryRollout(
      'steps:\n  - pause: {duration: 10}\n  - pause: {duration: "20"}\n  - pause: {duration: 1h30m}\n  - pause: {duration: 500ms}\n',
    );
    const steps = (strict(y)[0]!.spec as RolloutSpec).strategy.canary!.steps;
    expect(steps.map((s) => (s.kind === 'pause' ? s.durationSeconds : undefined))).toEqual([10, 20, 5400, 0]);
    expect(problems('steps:\n  - pause: {duration: -5}\n  - pause: {duration: 10x}\n')).toEqual([
      'spec.strategy.canary.steps[0].pause.duration: Duration needs to be greater than 0 (invalid duration -5: expected an integer number of seconds or a Go duration such as 30s, 5m or 1h30m) (invalid)',
      'spec.strategy.canary.steps[1].pause.duration: Duration needs to be greater than 0 (invalid duration "10x": expected an integer number of seconds or a Go duration such as 30s, 5m or 1h30m) (invalid)',
    ]);
  });

  it('setCanaryScale needs traffic routing (a Required error Argo names at trafficRouting); its fields are kept as written', () => {
    expect(problems('steps:\n  - setCanaryScale: {replicas: 1}\n')).toEqual([
      'spec.strategy.canary.trafficRouting: Required value: SetCanaryScale requires TrafficRouting to be set (invalid)',
    ]);
    const y = canaryRollout(
      `${ISTIO}steps:\n  - setCanaryScale: {replicas: 2, weight: 20}\n  - setCanaryScale: {}\n`,
    );
    expect((strict(y)[0]!.spec as RolloutSpec).strategy.canary!.steps).toEqual([
      { kind: 'setCanaryScale', replicas: 2, weight: 20 },
      { kind: 'setCanaryScale' },
    ]);
  });

  it('setHeaderRoute and setMirrorRoute: the routers that support them, managedRoutes, StringMatch', () => {
    expect(problems('steps:\n  - setHeaderRoute: {name: h}\n  - setMirrorRoute: {name: m}\n')).toEqual([
      'spec.strategy.canary.steps[0].setHeaderRoute: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix (invalid)',
      'spec.strategy.canary.steps[1].setMirrorRoute: SetMirrorRoute requires TrafficRouting, supports Istio only (invalid)',
    ]);
    const noManaged = ISTIO.replace('  managedRoutes: [{name: h}]\n', '');
    expect(problems(`${noManaged}steps:\n  - setHeaderRoute: {name: h}\n`)).toEqual([
      "spec.strategy.canary.trafficRouting.managedRoutes: Required value: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes' (invalid)",
    ]);
    expect(
      problems(`${ISTIO}steps:
  - setHeaderRoute: {name: other}
  - setHeaderRoute:
      name: h
      match:
        - {headerName: a, headerValue: {exact: x, prefix: y}}
        - {headerName: b, headerValue: {exact: ""}}
        - {headerName: c, headerValue: {exact: "", regex: "v1.*"}}
  - setMirrorRoute:
      name: h
      match: [{method: {exact: GET, regex: P.*}, path: {}}]
`),
    ).toEqual([
      'spec.strategy.canary.steps[0].setHeaderRoute: Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes ("other"; managedRoutes: h) (invalid)',
      'spec.strategy.canary.steps[1].setHeaderRoute.match[0]: StringMatch match value must have exactly one of the following: exact, regex, prefix (found exact, prefix) (invalid)',
      'spec.strategy.canary.steps[1].setHeaderRoute.match[1]: StringMatch value missed, match value must have one of the following: exact, regex, prefix (invalid)',
      'spec.strategy.canary.steps[2].setMirrorRoute.match[0]: StringMatch match value must have exactly one of the following: exact, regex, prefix (found exact, regex) (invalid)',
    ]);
  });

  it('with ALB, a header route matches exact values only', () => {
    const alb =
      'canaryService: c\nstableService: s\ntrafficRouting:\n  managedRoutes: [{name: h}]\n  alb: {ingress: i, servicePort: 80}\n';
    expect(
      problems(
        `${alb}steps:\n  - setHeaderRoute: {name: h, match: [{headerName: a, headerValue: {prefix: x}}]}\n`,
      ),
    ).toEqual([
      'spec.strategy.canary.trafficRouting.alb: not supported by canarysim: AWS ALB traffic routing (a rehearsal simulates istio only) (not-simulated)',
      "spec.strategy.canary.steps[0].setHeaderRoute.match[0]: SetHeaderRoute match value invalid. ALB supports 'exact' value only (invalid)",
    ]);
  });

  it("a step analysis arg from the Rollout's metadata must be one the downward API reads", () => {
    const step = (path: string) =>
      `steps:\n  - analysis:\n      templates: [{templateName: t}]\n      args: [{name: a, valueFrom: {fieldRef: {fieldPath: "${path}"}}}]\n`;
    for (const ok of ['metadata.name', "metadata.labels['app']", 'metadata.annotations', 'spec.replicas'])
      expect(problems(step(ok))).toEqual([]);
    expect(problems(step('metadata.generation'))).toEqual([
      'spec.strategy.canary.steps[0].analyses: Analyses arguments must refer to valid object metadata supported by downwardAPI ("metadata.generation") (invalid)',
    ]);
  });
});

describe('the strategy', () => {
  it('traffic routing needs both Services — except Istio with a DestinationRule', () => {
    expect(problems('trafficRouting:\n  istio:\n    virtualService: {name: vs}\n')).toEqual([
      'spec.strategy.canary.stableService: Canary service and Stable service must to be set to use Traffic Routing (invalid)',
      'spec.strategy.canary.canaryService: Canary service and Stable service must to be set to use Traffic Routing (invalid)',
    ]);
    const y = canaryRollout(`trafficRouting:
  istio:
    virtualService: {name: vs, routes: [primary]}
    destinationRule: {name: dr, canarySubsetName: canary, stableSubsetName: stable, additionalSubsetNames: [preview]}
steps:
  - setWeight: 10
`);
    expect((strict(y)[0]!.spec as RolloutSpec).strategy.canary!.trafficRouting).toEqual({
      istio: {
        virtualServices: [{ name: 'vs', routes: ['primary'] }],
        destinationRule: {
          name: 'dr',
          canarySubsetName: 'canary',
          stableSubsetName: 'stable',
          additionalSubsetNames: ['preview'],
        },
      },
      maxTrafficWeight: 100,
      managedRoutes: [],
    });
    expect(
      problems(
        'trafficRouting:\n  istio:\n    virtualService: {name: vs}\n    destinationRule: {name: dr, canarySubsetName: canary}\n',
      ),
    ).toEqual([
      'spec.strategy.canary.trafficRouting.istio.destinationRule.stableSubsetName: required field is missing (invalid)',
    ]);
  });

  it('Istio needs exactly one of virtualService and virtualServices; maxTrafficWeight is Nginx and plugins only', () => {
    expect(
      problems(
        `canaryService: c\nstableService: s\ntrafficRouting:\n  istio: {destinationRule: {name: d, canarySubsetName: a, stableSubsetName: b}}\n`,
      ),
    ).toEqual([
      'spec.strategy.canary.trafficRouting.istio: either VirtualService or VirtualServices must be configured (invalid)',
    ]);
    expect(problems(`${ISTIO}  maxTrafficWeight: 1000\n`)).toEqual([
      'spec.strategy.canary.trafficRouting.maxTrafficWeight: Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins (invalid)',
    ]);
  });

  it('scaleDownDelaySeconds and dynamicStableScale need traffic routing and exclude each other; the abort delay and minPodsPerReplicaSet are accepted on a basic canary (ignored there, as by Argo)', () => {
    expect(
      problems(
        'scaleDownDelaySeconds: 10\ndynamicStableScale: true\nabortScaleDownDelaySeconds: 5\nminPodsPerReplicaSet: 2\n',
      ),
    ).toEqual([
      'spec.strategy.canary.scaleDownDelaySeconds: Canary scaleDownDelaySeconds can only be used with traffic routing (invalid)',
      'spec.strategy.canary.dynamicStableScale: Canary dynamicStableScale can only be used with traffic routing (invalid)',
    ]);
    expect(problems(`${ISTIO}scaleDownDelaySeconds: 10\ndynamicStableScale: true\n`)).toEqual([
      'spec.strategy.canary.dynamicStableScale: Canary dynamicStableScale cannot be used with scaleDownDelaySeconds (invalid)',
    ]);
  });

  it('maxSurge and maxUnavailable both zero; the same Service twice; antiAffinity', () => {
    expect(
      problems(
        'canaryService: a\nstableService: a\nmaxSurge: 0\nmaxUnavailable: "0%"\nantiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 0}}\n',
      ),
    ).toEqual([
      'spec.strategy.canary.maxSurge: MaxSurge and MaxUnavailable both can not be zero (invalid)',
      'spec.strategy.canary.stableService: This rollout uses the same service for the stable and canary services, but two different services are required. (invalid)',
      'spec.strategy.canary.antiAffinity.weight: AntiAffinity weight must be between 1-100 (got 0) (invalid)',
    ]);
  });

  it('canaryMetadata and stableMetadata are read into labels and annotations', () => {
    const y = canaryRollout(
      'canaryMetadata: {labels: {version: canary}, annotations: {a: b}}\nstableMetadata: {labels: {version: stable}}\n',
    );
    const c = (strict(y)[0]!.spec as RolloutSpec).strategy.canary!;
    expect(c.canaryMetadata).toEqual({ labels: { version: 'canary' }, annotations: { a: 'b' } });
    expect(c.stableMetadata).toEqual({ labels: { version: 'stable' }, annotations: {} });
    expect(problems('canaryMetadata: {label: {version: canary}}\n')).toEqual([
      'spec.strategy.canary.canaryMetadata.label: unknown field "label" (expected one of: labels, annotations) (invalid)',
    ]);
  });

  it('blue-green previewMetadata and activeMetadata; scaleDownDelayRevisionLimit above revisionHistoryLimit', () => {
    const y = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: bg}
spec:
  revisionHistoryLimit: 1
  selector: {matchLabels: {app: bg}}
  template:
    metadata: {labels: {app: bg}}
    spec: {containers: [{name: bg, image: x}]}
  strategy:
    blueGreen:
      activeService: a
      previewService: p
      previewMetadata: {labels: {role: preview}}
      activeMetadata: {annotations: {role: active}}
      scaleDownDelayRevisionLimit: 2
`;
    const { objects, problems: ps } = collect(y);
    const bg = (objects[0]!.spec as RolloutSpec).strategy.blueGreen!;
    expect(bg.previewMetadata).toEqual({ labels: { role: 'preview' }, annotations: {} });
    expect(bg.activeMetadata).toEqual({ labels: {}, annotations: { role: 'active' } });
    expect(ps).toEqual([
      `m.yaml:${at(y, 'scaleDownDelayRevisionLimit')}: Rollout "bg": spec.strategy.blueGreen.scaleDownDelayRevisionLimit: not supported by canarysim: this field is not simulated (remove it to rehearse without it) [not-simulated]`,
      `m.yaml:${at(y, '2\n')}: Rollout "bg": spec.strategy.blueGreen.scaleDownDelayRevisionLimit: This rollout's revision history limit can not be smaller than the rollout's scale down limit (1 < 2) [invalid]`,
    ]);
  });
});

describe('the spec', () => {
  const WORKLOAD = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: w}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  strategy:
    canary:
      steps: [{setWeight: 20}]
`;

  it('a workloadRef Rollout may omit its selector: it comes from the Deployment', () => {
    const spec = strict(WORKLOAD)[0]!.spec as RolloutSpec;
    expect(spec.selector).toEqual({});
    expect(spec.selectorFromWorkload).toBe(true);
    expect(spec.workloadRef?.name).toBe('web');
  });

  it('without a workloadRef the selector is required, and must not be empty', () => {
    const noSelector = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec:
  template:
    metadata: {labels: {app: r}}
    spec: {containers: [{name: r, image: x}]}
  strategy: {canary: {}}
`;
    expect(strictError(noSelector)).toBe(
      `m.yaml:5:3: Rollout "r": spec.selector: Rollout has missing field '.spec.selector'`,
    );
    expect(
      strictError(
        noSelector.replace('spec:\n  template', 'spec:\n  selector: {matchLabels: {}}\n  template'),
      ),
    ).toBe(`m.yaml:5:13: Rollout "r": spec.selector: empty selector is invalid for deployment`);
  });

  it('template and workloadRef together; no strategy, or two', () => {
    const both = WORKLOAD.replace(
      '  strategy:',
      '  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: a, image: x}]}}\n  strategy:',
    );
    expect(strictError(both)).toBe(
      `m.yaml:${at(both, '{metadata')}: Rollout "w": spec.template: template must be empty for workload reference rollout`,
    );
    expect(strictError(WORKLOAD.replace('    canary:\n      steps: [{setWeight: 20}]', '    {}'))).toBe(
      `m.yaml:7:5: Rollout "w": spec.strategy: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'`,
    );
    expect(
      strictError(WORKLOAD.replace('    canary:', '    blueGreen: {activeService: a}\n    canary:')),
    ).toBe(`m.yaml:7:5: Rollout "w": spec.strategy: Multiple Strategies can not be listed`);
  });

  it('progressDeadlineSeconds must be greater than minReadySeconds', () => {
    expect(problems('{}', '  minReadySeconds: 30\n  progressDeadlineSeconds: 30\n')).toEqual([
      'spec.progressDeadlineSeconds: must be greater than minReadySeconds (progressDeadlineSeconds 30, minReadySeconds 30) (invalid)',
    ]);
  });
});
