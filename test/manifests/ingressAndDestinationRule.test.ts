import { describe, expect, it } from 'vitest';
import type { DestinationRuleSpec, IngressSpec } from '../../sim/manifests/index.js';
import { at, collect, strict, strictError } from './inline.js';

describe('Ingress: a plain entry point', () => {
  it('hosts, paths and backends; ingressClassName, tls and routing-neutral annotations are inert', () => {
    const y = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  defaultBackend:
    service: {name: web, port: {name: http}}
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend: {service: {name: api, port: {number: 8080}}}
          - path: /healthz
            pathType: Exact
            backend: {service: {name: web, port: {name: http}}}
    - http:
        paths:
          - pathType: ImplementationSpecific
            backend: {service: {name: web, port: {number: 80}}}
`;
    const [o] = strict(y);
    expect(o!.spec as IngressSpec).toEqual({
      rules: [
        {
          host: 'web.example.com',
          paths: [
            { path: '/api', pathType: 'Prefix', service: 'api', port: 8080 },
            { path: '/healthz', pathType: 'Exact', service: 'web', port: 'http' },
          ],
        },
        { paths: [{ pathType: 'ImplementationSpecific', service: 'web', port: 80 }] },
      ],
      defaultBackend: { service: 'web', port: 'http' },
    });
  });

  const BAD = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/canary-weight: "20"
    alb.ingress.kubernetes.io/actions.web: '{"type":"forward"}'
spec:
  rules:
    - host: web.example.com
      http:
        paths:
          - path: api
            pathType: Exact
            backend: {service: {name: api, port: {number: 8080}}}
          - path: /x
            backend: {service: {name: api, port: {number: 8080}}}
          - path: /y
            pathType: Regex
            backend: {service: {name: api, port: {number: 8080}}}
          - pathType: ImplementationSpecific
            backend: {service: {name: api, port: {number: 8080, name: http}}}
          - path: /r
            pathType: Prefix
            backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: b}}
          - path: /ok
            pathType: Prefix
            backend: {service: {name: api, port: {number: 8080}}}
    - host: 10.0.0.1
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`;

  it("bad input: each problem at its place, in Kubernetes' words; routing annotations and resource backends are not simulated", () => {
    const { objects, problems } = collect(BAD);
    const p = (needle: string, msg: string, kind = 'invalid', shift = 0) =>
      `m.yaml:${at(BAD, needle, shift)}: Ingress "web": ${msg} [${kind}]`;
    expect(problems).toEqual([
      p(
        'nginx.ingress.kubernetes.io/canary-weight',
        'metadata.annotations.nginx.ingress.kubernetes.io/canary-weight: not supported by canarysim: annotation "nginx.ingress.kubernetes.io/canary-weight": ingress-nginx routes by it',
        'not-simulated',
      ),
      p(
        'alb.ingress.kubernetes.io/actions.web',
        'metadata.annotations.alb.ingress.kubernetes.io/actions.web: not supported by canarysim: annotation "alb.ingress.kubernetes.io/actions.web": the AWS Load Balancer Controller routes by it',
        'not-simulated',
      ),
      p('api\n', 'spec.rules[0].http.paths[0].path: invalid value "api": must be an absolute path'),
      p('path: /x', 'spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified'),
      p(
        'Regex',
        'spec.rules[0].http.paths[2].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      ),
      p(
        '{number: 8080, name: http}',
        'spec.rules[0].http.paths[3].backend.service.port: cannot set both port name & port number',
      ),
      p(
        'resource:',
        'spec.rules[0].http.paths[4].backend.resource: not supported by canarysim: a resource backend (only Service backends are simulated)',
        'not-simulated',
      ),
      p(
        '10.0.0.1',
        'spec.rules[1].host: invalid value "10.0.0.1": a lowercase RFC 1123 subdomain, optionally starting with "*." (not an IP address)',
      ),
    ]);
    // What could be read is still there for the cross-reference checks.
    expect((objects[0]!.spec as IngressSpec).rules[0]!.paths).toEqual([
      { path: '/ok', pathType: 'Prefix', service: 'api', port: 8080 },
    ]);
    expect(objects[0]!.partial).toBe(true);
    expect(strictError(BAD)).toBe(
      p(
        'nginx.ingress.kubernetes.io/canary-weight',
        'metadata.annotations.nginx.ingress.kubernetes.io/canary-weight: not supported by canarysim: annotation "nginx.ingress.kubernetes.io/canary-weight": ingress-nginx routes by it',
      ).replace(/ \[invalid\]$/, ''),
    );
  });

  it("neither rules nor defaultBackend, and v1beta1's spec.backend, are errors", () => {
    expect(
      strictError(
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {ingressClassName: nginx}\n',
      ),
    ).toBe('m.yaml:4:7: Ingress "i": spec: either `defaultBackend` or `rules` must be specified');
    expect(
      strictError(
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {backend: {serviceName: a, servicePort: 80}}\n',
      ),
    ).toMatch(
      /^m\.yaml:4:8: Ingress "i": spec\.backend: unknown field "backend" \(expected one of: rules, defaultBackend, ingressClassName, tls\)$/,
    );
  });
});

describe('DestinationRule: subsets for subset-level splitting', () => {
  it('host and subsets parsed; simple load balancing, tls, exportTo and locality settings are inert', () => {
    const y = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec:
  host: web.team.svc.cluster.local
  exportTo: ["."]
  trafficPolicy:
    loadBalancer: {simple: LEAST_REQUEST, localityLbSetting: {enabled: true}}
    tls: {mode: ISTIO_MUTUAL}
    portLevelSettings:
      - port: {number: 80}
        loadBalancer: {simple: ROUND_ROBIN}
  subsets:
    - name: stable
      labels: {app: web}
    - name: canary
      labels: {app: web, version: canary}
      trafficPolicy: {loadBalancer: {simple: RANDOM}}
    - name: preview
`;
    const spec = strict(y)[0]!.spec as DestinationRuleSpec;
    expect(spec.host).toBe('web.team.svc.cluster.local');
    expect(spec.subsets).toEqual([
      { name: 'stable', labels: { app: 'web' } },
      { name: 'canary', labels: { app: 'web', version: 'canary' } },
      { name: 'preview', labels: {} },
    ]);
    // As the API server returns it: keys sorted (Argo rewrites the subsets' labels in place).
    expect(Object.keys(spec.rawSpec)).toEqual(['exportTo', 'host', 'subsets', 'trafficPolicy']);
  });

  const BAD = `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: d}
spec:
  host: web
  workloadSelector: {matchLabels: {app: web}}
  trafficPolicy:
    connectionPool: {http: {http1MaxPendingRequests: 1}}
    outlierDetection: {consecutive5xxErrors: 1}
    portLevelSettings:
      - port: {number: 80}
        loadBalancer: {consistentHash: {httpHeaderName: x-user}}
  subsets:
    - name: stable
      labels: {app: web}
    - name: canary
      trafficPolicy: {loadBalancer: {simple: FASTEST}}
    - name: canary
    - name: Bad_Name
`;

  it('what changes which pod serves a request is refused as not simulated; bad values are errors; each at its place', () => {
    const { objects, problems } = collect(BAD);
    const p = (needle: string, msg: string, kind = 'invalid') =>
      `m.yaml:${at(BAD, needle)}: DestinationRule "d": ${msg} [${kind}]`;
    expect(problems).toEqual([
      p(
        'workloadSelector',
        'spec.workloadSelector: not supported by canarysim: workloadSelector (a rule for some workloads only is not simulated)',
        'not-simulated',
      ),
      p(
        'connectionPool',
        'spec.trafficPolicy.connectionPool: not supported by canarysim: connectionPool (its limits overflow into 503s, which are not simulated)',
        'not-simulated',
      ),
      p(
        'outlierDetection',
        'spec.trafficPolicy.outlierDetection: not supported by canarysim: outlierDetection (it ejects failing pods from the pool; which pods get traffic would differ)',
        'not-simulated',
      ),
      p(
        'consistentHash',
        'spec.trafficPolicy.portLevelSettings[0].loadBalancer.consistentHash: not supported by canarysim: consistentHash load balancing (it pins each client to one pod; the simulated proxy spreads requests uniformly)',
        'not-simulated',
      ),
      p(
        'FASTEST',
        'spec.subsets[1].trafficPolicy.loadBalancer.simple: invalid value "FASTEST": expected one of UNSPECIFIED, ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN, RANDOM, PASSTHROUGH',
      ),
      `m.yaml:${at(BAD, 'canary', 0, 2)}: DestinationRule "d": spec.subsets[2].name: duplicate subset names: "canary" [invalid]`,
      p('Bad_Name', 'spec.subsets[3].name: invalid value "Bad_Name": a subset name must be a DNS-1123 label'),
    ]);
    expect((objects[0]!.spec as DestinationRuleSpec).subsets.map((s) => s.name)).toEqual([
      'stable',
      'canary',
    ]);
  });

  it('host is required', () => {
    expect(
      strictError(
        'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d}\nspec: {subsets: []}\n',
      ),
    ).toBe('m.yaml:4:7: DestinationRule "d": spec.host: required field is missing');
  });
});
