import { stringify } from 'yaml';
import { InputError } from '../../sim/errors.js';
import {
  IssueSink,
  loadManifestFile,
  OverlayFileSystem,
  type ManifestObject,
} from '../../sim/manifests/index.js';
import type { LintInputs } from '../lint/index.js';

/** The stand-in Rollout's name; its Services are `<name>-canary` and `<name>-stable`. */
export const STAND_IN = 'matrix-app';
/** The host its VirtualService answers at the ingress gateway. */
const HOST = 'matrix-app.example.com';
const FILE = 'matrix/stand-in.yaml';

const NOTHING = { read: () => undefined, isDirectory: () => false, display: (p: string) => p };

const isTemplate = (o: ManifestObject) =>
  o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate';

/**
 * For templates given without a Rollout: the blog's Istio canary around them — 5 replicas of
 * silly-demo 1.4.126 (a healthy built-in app), setWeight 20/40/60/80 with 300 s pauses, and every
 * template as a background analysis from step 2, as the blog runs its own. Args the templates
 * leave without a value come from `--arg NAME=VALUE`; a missing one is an error that names it
 * and the stand-in's canary Service (what a service-name arg usually wants).
 */
export function standInObjects(
  inputs: LintInputs,
  namespace: string,
  args: ReadonlyMap<string, string>,
): ManifestObject[] {
  const templates = inputs.objects.filter(isTemplate);
  const needed = new Set<string>();
  for (const t of templates)
    for (const a of (t.spec as { args: { name: string; value?: string; valueFrom?: unknown }[] }).args)
      if (a.value === undefined && a.valueFrom === undefined && !args.has(a.name)) needed.add(a.name);
  if (needed.size > 0) {
    const first = [...needed][0]!;
    throw new InputError(
      `matrix: no Rollout among the inputs, so the templates run in a stand-in Rollout ${JSON.stringify(STAND_IN)} (namespace ${namespace}; canary Service ${STAND_IN}-canary.${namespace}.svc.cluster.local): pass a value for ${[...needed].map((n) => `arg ${JSON.stringify(n)}`).join(', ')} with --arg ${first}=VALUE, or pass the Rollout's manifests`,
    );
  }
  const labels = { app: STAND_IN };
  const port = { number: 8080 };
  const service = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: labels, ports: [{ port: 8080, targetPort: 8080 }] },
  });
  const docs: unknown[] = [
    service(`${STAND_IN}-canary`),
    service(`${STAND_IN}-stable`),
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Gateway',
      metadata: { name: STAND_IN, namespace },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [HOST] }],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: STAND_IN, namespace },
      spec: {
        gateways: [STAND_IN],
        hosts: [HOST],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: `${STAND_IN}-stable`, port }, weight: 100 },
              { destination: { host: `${STAND_IN}-canary`, port }, weight: 0 },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: STAND_IN, namespace },
      spec: {
        replicas: 5,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'ghcr.io/vfarcic/silly-demo:1.4.126',
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: 8080 } },
              },
            ],
          },
        },
        strategy: {
          canary: {
            canaryService: `${STAND_IN}-canary`,
            stableService: `${STAND_IN}-stable`,
            trafficRouting: { istio: { virtualService: { name: STAND_IN, routes: ['primary'] } } },
            analysis: {
              templates: templates.map((t) => ({
                templateName: t.name,
                ...(t.kind === 'ClusterAnalysisTemplate' ? { clusterScope: true } : {}),
              })),
              startingStep: 2,
              ...(args.size > 0 ? { args: [...args].map(([name, value]) => ({ name, value })) } : {}),
            },
            steps: [20, 40, 60, 80].flatMap((w) => [{ setWeight: w }, { pause: { duration: 300 } }]),
          },
        },
      },
    },
  ];
  const fs = new OverlayFileSystem(NOTHING);
  fs.write(FILE, docs.map((d) => stringify(d)).join('---\n'));
  const sink = new IssueSink();
  const objects = loadManifestFile(fs, FILE, { sink });
  if (sink.issues.length > 0) throw new Error(`stand-in Rollout: ${sink.issues[0]!.message}`);
  return objects;
}
