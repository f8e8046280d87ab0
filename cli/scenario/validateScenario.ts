import { isSimulatedPath } from '../../app/index.js';
import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import { ConditionSyntaxError, parseCondition } from '../../sim/analysis/condition/index.js';
import { InputError } from '../../sim/errors.js';
import {
  joinPath,
  kustomizeBuild,
  kustomizeSetImage,
  loadManifestFile,
  OverlayFileSystem,
  placeholders,
  substituteArgs,
  type AnalysisTemplateSpec,
  type ManifestNode,
  type ManifestObject,
  type VirtualServiceSpec,
} from '../../sim/manifests/index.js';
import { parseRequestUrl } from '../../sim/mesh/index.js';
import { parseExpr, PromQLParseError } from '../../sim/promql/index.js';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import type { Action, Scenario } from './types.js';

type Known = Map<string, ManifestObject>;
const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

/** Parses `text` (a template field after arg substitution) and reports errors at the template's line:col. */
function checkSubstituted(
  node: ManifestNode,
  template: string,
  args: ReadonlyMap<string, string>,
  what: 'PromQL' | 'condition',
): void {
  const { text, toSource } = substituteArgs(template, args);
  try {
    if (what === 'PromQL') parseExpr(text);
    else parseCondition(text);
  } catch (e) {
    if (e instanceof PromQLParseError)
      throw node.errorAt(toSource(e.positionRange.start), `invalid PromQL: ${e.message}`);
    if (e instanceof ConditionSyntaxError)
      throw node.errorAt(toSource(e.offset), `invalid condition: ${e.reason}`);
    throw e;
  }
}

/** Checks a template's queries and conditions with the given arg values (placeholders left unresolved are skipped). */
function checkTemplate(
  t: ManifestObject<string, AnalysisTemplateSpec>,
  args: ReadonlyMap<string, string>,
): void {
  const resolvable = (s: string | undefined) =>
    s !== undefined && placeholders(s).every((p) => args.has(p.tag.replace(/^args\./, '')));
  for (const m of t.spec.metrics) {
    const q = m.provider.prometheus.query;
    if (resolvable(q))
      checkSubstituted(m.node.child('provider').child('prometheus').child('query'), q, args, 'PromQL');
    for (const field of ['successCondition', 'failureCondition'] as const) {
      const c = m[field];
      if (resolvable(c)) checkSubstituted(m.node.child(field), c!, args, 'condition');
    }
  }
}

function defaults(t: ManifestObject<string, AnalysisTemplateSpec>): Map<string, string> {
  return new Map(t.spec.args.filter((a) => a.value !== undefined).map((a) => [a.name, a.value!]));
}

/** A Rollout's references: workload, services, VirtualServices and routes, templates and args. */
function checkRollout(o: ManifestObject<string, RolloutSpec>, ns: string, known: Known): void {
  const spec = o.spec;
  const node = o.node.child('spec');
  if (spec.workloadRef && !known.has(key('Deployment', ns, spec.workloadRef.name))) {
    throw node
      .child('workloadRef')
      .child('name')
      .error(
        `Deployment ${JSON.stringify(spec.workloadRef.name)} not found in namespace ${ns} (apply it before or with the Rollout)`,
      );
  }
  const c = spec.strategy.canary;
  if (!c) return;
  const cn = node.child('strategy').child('canary');
  for (const f of ['canaryService', 'stableService'] as const) {
    const svc = c[f];
    if (svc !== undefined && !known.has(key('Service', ns, svc)))
      throw cn.child(f).error(`Service ${JSON.stringify(svc)} not found in namespace ${ns}`);
  }
  if (c.trafficRouting) {
    const istio = cn.child('trafficRouting').child('istio');
    const refsNode = istio.child('virtualServices').exists
      ? istio.child('virtualServices')
      : istio.child('virtualService');
    c.trafficRouting.istio.virtualServices.forEach((ref, i) => {
      const refNode = refsNode.value instanceof Array ? refsNode.child(i) : refsNode;
      const [name, vsNs] = ref.name.includes('.') ? ref.name.split('.', 2) : [ref.name, ns];
      const vs = known.get(key('VirtualService', vsNs, name!)) as
        ManifestObject<string, VirtualServiceSpec> | undefined;
      if (!vs) throw refNode.child('name').error(`VirtualService ${JSON.stringify(ref.name)} not found`);
      const routes = ref.routes.length > 0 ? ref.routes : undefined;
      if (!routes && vs.spec.http.length !== 1) {
        throw refNode.error(
          'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes',
        );
      }
      (routes ?? [undefined]).forEach((r, j) => {
        const route = r === undefined ? vs.spec.http[0]! : vs.spec.http.find((h) => h.name === r);
        const at = r === undefined ? refNode : refNode.child('routes').child(j);
        if (!route) throw at.error(`HTTP Route '${r}' is not found in the defined Virtual Service.`);
        const hosts = route.route.map((d) => d.destination.host.split('.')[0]);
        if (!hosts.includes(c.canaryService))
          throw at.error(`Canary Service '${c.canaryService}' not found in route`);
        if (!hosts.includes(c.stableService))
          throw at.error(`Stable Service '${c.stableService}' not found in route`);
      });
    });
  }
  if (c.analysis) {
    const an = cn.child('analysis');
    const templates: ManifestObject<string, AnalysisTemplateSpec>[] = [];
    c.analysis.templates.forEach((ref, i) => {
      const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const t = known.get(key(kind, ref.clusterScope ? undefined : ns, ref.templateName)) as
        ManifestObject<string, AnalysisTemplateSpec> | undefined;
      if (!t) {
        throw an
          .child('templates')
          .child(i)
          .child('templateName')
          .error(
            `${kind} ${JSON.stringify(ref.templateName)} not found${ref.clusterScope ? '' : ` in namespace ${ns}`}: apply it earlier in the timeline${ref.clusterScope ? '' : ' (or set clusterScope: true for a ClusterAnalysisTemplate)'}`,
          );
      }
      templates.push(t);
    });
    const declared = new Map<string, string | undefined>();
    for (const t of templates) {
      for (const a of t.spec.args) {
        const prev = declared.get(a.name);
        if (prev !== undefined && a.value !== undefined && prev !== a.value) {
          throw a.node.error(
            `Argument \`${a.name}\` specified multiple times with different values: '${prev}', '${a.value}'`,
          );
        }
        if (!declared.has(a.name) || a.value !== undefined) declared.set(a.name, a.value);
      }
    }
    c.analysis.args.forEach((a, i) => {
      if (!declared.has(a.name)) {
        throw an
          .child('args')
          .child(i)
          .child('name')
          .error(
            `arg ${JSON.stringify(a.name)} is not declared by any referenced template (declared: ${[...declared.keys()].join(', ') || 'none'}); Argo Rollouts would drop it silently`,
          );
      }
      if (a.value === undefined)
        throw an.child('args').child(i).error('expected a value (valueFrom is not simulated)');
      declared.set(a.name, a.value);
    });
    for (const [name, v] of declared) {
      if (v === undefined)
        throw an.error(
          `args.${name} was not resolved: the templates declare ${JSON.stringify(name)} without a value and the Rollout does not supply it`,
        );
    }
    const resolved = new Map([...declared].map(([k, v]) => [k, v!]));
    for (const t of templates) checkTemplate(t, resolved);
  }
}

function load(
  fs: OverlayFileSystem,
  dir: string,
  a: { kustomize?: string; file?: string },
): ManifestObject[] {
  return a.kustomize !== undefined
    ? kustomizeBuild(fs, joinPath(dir, a.kustomize))
    : loadManifestFile(fs, joinPath(dir, a.file!));
}

function checkUrl(a: Action, raw: string): void {
  const u = parseRequestUrl(raw);
  if (typeof u === 'string') throw new InputError(u, a.pos);
  if (!isSimulatedPath(u.path))
    throw new InputError(
      `not supported by canarysim: silly-demo's ${u.path} endpoint is not simulated (only / is)`,
      a.pos,
    );
}

/**
 * Walks the timeline without running it, keeping track of what each apply creates, so every
 * reference (templates, args, Services, VirtualServices, routes, the workload) and every query and
 * condition is checked — with its file:line:col — before the first simulated second.
 */
export function validateScenario(sc: Scenario, base: OverlayFileSystem): void {
  const fs = new OverlayFileSystem(base);
  const known: Known = new Map();
  const namespaces = new Set(Object.keys(sc.settings.namespaces));
  for (const a of sc.timeline) {
    switch (a.type) {
      case 'apply': {
        const objs = load(fs, sc.dir, a);
        for (const o of objs) if (o.kind === 'Namespace') namespaces.add(o.name);
        for (const o of objs) {
          const ns = o.namespaced ? (o.namespace ?? a.namespace) : undefined;
          if (ns !== undefined && !namespaces.has(ns)) {
            throw new InputError(
              `${o.kind} ${JSON.stringify(o.name)}: namespace ${JSON.stringify(ns)} does not exist (declare it under cluster.namespaces)`,
              o.node.pos(),
            );
          }
          known.set(key(o.kind, ns, o.name), o);
          if (o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate') {
            const t = o as ManifestObject<string, AnalysisTemplateSpec>;
            checkTemplate(t, defaults(t));
          }
        }
        for (const o of objs)
          if (o.kind === 'Rollout')
            checkRollout(o as ManifestObject<string, RolloutSpec>, o.namespace ?? a.namespace, known);
        break;
      }
      case 'delete':
        for (const o of load(fs, sc.dir, a))
          known.delete(key(o.kind, o.namespaced ? (o.namespace ?? a.namespace) : undefined, o.name));
        break;
      case 'setImage':
        kustomizeSetImage(fs, joinPath(sc.dir, a.kustomization), a.image);
        break;
      case 'promote':
      case 'abort':
      case 'retry':
      case 'pause':
      case 'get':
        if (!known.has(key('Rollout', a.namespace, a.rollout))) {
          throw new InputError(
            `${a.type}: Rollout ${JSON.stringify(a.rollout)} is not applied in namespace ${a.namespace} at this point of the timeline`,
            a.pos,
          );
        }
        break;
      case 'getVirtualService':
        if (!known.has(key('VirtualService', a.namespace, a.name))) {
          throw new InputError(
            `getVirtualService: VirtualService ${JSON.stringify(a.name)} is not applied in namespace ${a.namespace} at this point of the timeline`,
            a.pos,
          );
        }
        break;
      case 'hey': {
        const o = parseHeyArgs(a.argv);
        if (o.extraArgs.length > 0)
          throw new InputError(
            `hey ignores arguments after the URL (${o.extraArgs.join(' ')}): put flags before the URL`,
            a.pos,
          );
        if (o.proxy) throw new InputError('not supported by canarysim: hey -x (an HTTP proxy)', a.pos);
        if (o.h2)
          throw new InputError('not supported by canarysim: hey -h2 (HTTP/2 is not simulated)', a.pos);
        if (o.output === 'csv')
          throw new InputError(
            'not supported by canarysim in virtual time: hey -o csv (one line per simulated request)',
            a.pos,
          );
        checkUrl(a, o.url);
        break;
      }
      case 'curl':
        checkUrl(a, a.url);
        break;
      default:
        break;
    }
  }
}
