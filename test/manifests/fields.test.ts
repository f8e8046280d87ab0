import { describe, expect, it } from 'vitest';
import type { PodTemplate } from '../../sim/cluster/index.js';
import type { AnalysisTemplateSpec, ServiceSpec } from '../../sim/manifests/index.js';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import { at, collect, strict } from './inline.js';

describe('Service: routed like ClusterIP whatever its type', () => {
  it('NodePort and LoadBalancer, and what only outside traffic sees, are inert', () => {
    const y = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, nodePort: 30080, protocol: TCP}]
  loadBalancerIP: 10.0.0.10
  loadBalancerSourceRanges: [10.0.0.0/8]
  loadBalancerClass: service.k8s.aws/nlb
  allocateLoadBalancerNodePorts: true
  externalTrafficPolicy: Local
  healthCheckNodePort: 30200
  externalIPs: [192.0.2.1]
  sessionAffinity: None
  internalTrafficPolicy: Cluster
  trafficDistribution: PreferClose
---
apiVersion: v1
kind: Service
metadata: {name: np}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 30081}]}
`;
    const [lb, np] = strict(y);
    expect(lb!.spec as ServiceSpec).toEqual({
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    expect((np!.spec as ServiceSpec).ports[0]!.port).toBe(80);
  });

  it('ExternalName, ClientIP affinity and publishNotReadyAddresses change who serves: not simulated', () => {
    const y = `apiVersion: v1
kind: Service
metadata: {name: ext}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: web}
  ports: [{port: 80}]
  sessionAffinity: ClientIP
  publishNotReadyAddresses: true
`;
    expect(collect(y).problems).toEqual([
      `m.yaml:${at(y, 'externalName')}: Service "ext": spec.externalName: not supported by canarysim: this field is not simulated (remove it to rehearse without it) [not-simulated]`,
      `m.yaml:${at(y, 'ExternalName')}: Service "ext": spec.type: not supported by canarysim: Service type "ExternalName" (a DNS alias to outside the simulation) [not-simulated]`,
      `m.yaml:${at(y, '{type: ExternalName')}: Service "ext": spec.ports: required field is missing [invalid]`,
      `m.yaml:${at(y, 'publishNotReadyAddresses')}: Service "sticky": spec.publishNotReadyAddresses: not supported by canarysim: this field is not simulated (remove it to rehearse without it) [not-simulated]`,
      `m.yaml:${at(y, 'ClientIP')}: Service "sticky": spec.sessionAffinity: not supported by canarysim: sessionAffinity "ClientIP": every request from one client IP would go to one pod, and a load generator is one client [not-simulated]`,
    ]);
  });
});

describe('probes: only timings are simulated, so every handler is accepted', () => {
  it('exec and grpc readiness and liveness probes record their timings (and the gRPC port and service)', () => {
    const y = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {name: ignored, labels: {app: web}}
    spec:
      containers:
        - name: web
          image: example/web:1
          readinessProbe: {exec: {command: [cat, /tmp/ready]}, initialDelaySeconds: 5, periodSeconds: 2}
          livenessProbe: {grpc: {port: 9090, service: health}, failureThreshold: 5}
`;
    const t = (strict(y)[0]!.spec as { template: PodTemplate }).template;
    expect(t.containers[0]!.readinessProbe).toEqual({
      path: '',
      port: '',
      initialDelaySeconds: 5,
      periodSeconds: 2,
      timeoutSeconds: 1,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(t.containers[0]!.livenessProbe).toMatchObject({ path: 'health', port: 9090, failureThreshold: 5 });
  });

  it('a probe needs exactly one handler', () => {
    const y = (probe: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: x, livenessProbe: ${probe}}]}
`;
    expect(collect(y('{periodSeconds: 5}')).problems[0]).toMatch(
      /spec\.template\.spec\.containers\[0\]\.livenessProbe: must specify a handler type \(one of httpGet, tcpSocket, exec or grpc\) \[invalid\]$/,
    );
    expect(collect(y('{exec: {command: [a]}, tcpSocket: {port: 80}}')).problems[0]).toMatch(
      /livenessProbe: may not specify more than 1 handler type \(found tcpSocket, exec\) \[invalid\]$/,
    );
  });
});

describe("the Prometheus provider's headers and authentication", () => {
  const TEMPLATE = (prometheus: string) => `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: t}
spec:
  metrics:
    - name: m
      successCondition: result[0] > 0
      provider:
        prometheus:
          address: https://prometheus.example.com
          query: vector(1)
${prometheus}`;

  it("are read with Argo's shapes and carried in the metric, for a remote Prometheus", () => {
    const y = TEMPLATE(`          insecure: true
          headers:
            - {key: X-Scope-OrgID, value: team-a}
            - {key: Authorization, value: "Bearer {{args.token}}"}
          authentication:
            sigv4: {region: eu-west-1, profile: default, roleArn: "arn:aws:iam::1:role/r"}
            oauth2: {tokenUrl: "https://auth/token", clientId: c, clientSecret: s, scopes: [read]}
            basicAuth: {username: u, password: p}
`);
    const prom = (strict(y)[0]!.spec as AnalysisTemplateSpec).metrics[0]!.provider.prometheus;
    expect(prom).toEqual({
      address: 'https://prometheus.example.com',
      query: 'vector(1)',
      timeoutSeconds: undefined,
      insecure: true,
      headers: [
        { key: 'X-Scope-OrgID', value: 'team-a' },
        { key: 'Authorization', value: 'Bearer {{args.token}}' },
      ],
      authentication: {
        sigv4: { region: 'eu-west-1', profile: 'default', roleArn: 'arn:aws:iam::1:role/r' },
        oauth2: { tokenUrl: 'https://auth/token', clientId: 'c', clientSecret: 's', scopes: ['read'] },
        basicAuth: { username: 'u', password: 'p' },
      },
    });
  });

  it('bad shapes are errors; rangeQuery stays not simulated', () => {
    const y = TEMPLATE(`          headers: [{name: X-A, value: b}]
          authentication: {sigv4: {region: 1}, token: x}
          rangeQuery: {start: now-5m, end: now, step: 1m}
`);
    expect(collect(y).problems).toEqual([
      `m.yaml:${at(y, 'rangeQuery')}: AnalysisTemplate "t": spec.metrics[0].provider.prometheus.rangeQuery: not supported by canarysim: this field is not simulated (remove it to rehearse without it) [not-simulated]`,
      `m.yaml:${at(y, 'name: X-A')}: AnalysisTemplate "t": spec.metrics[0].provider.prometheus.headers[0].name: unknown field "name" (expected one of: key, value) [invalid]`,
      `m.yaml:${at(y, '{name: X-A')}: AnalysisTemplate "t": spec.metrics[0].provider.prometheus.headers[0].key: required field is missing [invalid]`,
      `m.yaml:${at(y, 'token')}: AnalysisTemplate "t": spec.metrics[0].provider.prometheus.authentication.token: unknown field "token" (expected one of: sigv4, oauth2, basicAuth) [invalid]`,
      `m.yaml:${at(y, '1}')}: AnalysisTemplate "t": spec.metrics[0].provider.prometheus.authentication.sigv4.region: expected a string, got number 1 [invalid]`,
    ]);
  });
});

describe('workloadRef targets and pod templates', () => {
  it('a workloadRef to something other than a Deployment is not simulated', () => {
    const y = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec:
  workloadRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}
  strategy: {canary: {}}
`;
    expect(collect(y).problems).toEqual([
      `m.yaml:${at(y, 'ReplicaSet')}: Rollout "r": spec.workloadRef.kind: not supported by canarysim: workloadRef kind "ReplicaSet" (expected Deployment) [not-simulated]`,
    ]);
    expect((collect(y).objects[0]!.spec as RolloutSpec).selectorFromWorkload).toBe(true);
  });
});
