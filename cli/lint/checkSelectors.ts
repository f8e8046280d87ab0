import {
  charIndex,
  children,
  type Expr,
  type LabelMatcher,
  type VectorSelector,
} from '../../sim/promql/index.js';
import { hasUnknownArg, type ParsedField } from './checkTemplateSyntax.js';
import { findingInString, type Finding } from './Finding.js';
import { didYouMean, editDistance } from './Known.js';
import type { RuleId } from './rules.js';
import {
  ISTIO_LABEL_PREFIXES,
  ISTIO_LABEL_VALUES,
  ISTIO_METRIC_PREFIXES,
  ISTIO_METRICS,
  istioLabels,
  type IstioMetric,
} from './istioSeries.js';

/** What the linted manifests create that Istio's labels name. */
export interface SelectorTargets {
  /** Services; `namespace` undefined: not written and no `-n`, so it may be applied to any. */
  services: { name: string; namespace?: string }[];
  /** Every namespace the inputs name (and `-n`'s): where a Service without one may live. */
  namespaces: string[];
  /** Rollouts and Deployments: the workloads whose pods Istio reports in destination_workload. */
  workloads: string[];
}

/** `destination_service` is the Service's host (spec/seed-demo.md §5.2); lint assumes Kubernetes' default domain. */
const CLUSTER_DOMAIN = 'svc.cluster.local';

/**
 * A ReplicaSet's pod-template-hash as Kubernetes writes it (SafeEncodeString's alphabet, up to
 * 10 characters): older Istio reports `<rollout>-<hash>` as the workload.
 */
const POD_TEMPLATE_HASH = /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/;
const SAMPLE_HASH = '5c5547db68';

function* selectors(e: Expr): Generator<VectorSelector> {
  if (e.type === 'VectorSelector') yield e;
  for (const c of children(e)) yield* selectors(c);
}

/** A typo of a known name: within two edits of one (and not that name). */
const nearTo = (name: string, known: readonly string[]) =>
  known.some((k) => k !== name && editDistance(name, k) <= 2);

class SelectorCheck {
  constructor(
    private readonly q: ParsedField<Expr>,
    private readonly targets: SelectorTargets,
    private readonly findings: Finding[],
  ) {}

  /** The matcher as written, and the value the args gave it when they did. */
  private show(m: LabelMatcher): string {
    const text = `${m.name}${m.type}${JSON.stringify(m.value)}`;
    const written = this.written(m.valuePos);
    return written?.includes('{{')
      ? `${m.name}${m.type}${written} (${JSON.stringify(m.value)} with the args)`
      : text;
  }

  private written(pos: { start: number; end: number } | undefined): string | undefined {
    const source = this.q.node.value;
    if (!pos || typeof source !== 'string') return undefined;
    const at = (b: number) => this.q.toSource(charIndex(this.q.text, b));
    return source.slice(at(pos.start), at(pos.end));
  }

  private at(rule: RuleId, pos: { start: number } | undefined, message: string): void {
    const offset = pos ? this.q.toSource(charIndex(this.q.text, pos.start)) : 0;
    this.findings.push(findingInString(rule, this.q.node, offset, message));
  }

  selector(vs: VectorSelector): void {
    const nameMatcher = vs.matchers.find((m) => m.name === '__name__' && m.type === '=');
    const name = nameMatcher?.value;
    if (name === undefined || hasUnknownArg(name)) return;
    const metric = ISTIO_METRICS.get(name);
    if (!metric) {
      const known = [...ISTIO_METRICS.keys()];
      if (
        name.startsWith('istio_') &&
        (ISTIO_METRIC_PREFIXES.some((p) => name.startsWith(p)) || nearTo(name, known))
      )
        this.at(
          'unknown-metric',
          nameMatcher!.namePos,
          `Istio's proxies export no metric ${name} (they export istio_requests_total, istio_request_duration_milliseconds_bucket/_sum/_count, istio_request_bytes_*, istio_response_bytes_*, istio_request_messages_total, istio_response_messages_total and istio_tcp_*_total): the selector matches no series and the query returns an empty result${didYouMean(name, known)}`,
        );
      return;
    }
    if (!metric.recorded)
      this.at(
        'not-simulated',
        nameMatcher!.namePos,
        `${name} is an Istio metric canarysim does not record (its mesh records istio_requests_total and istio_request_duration_milliseconds): in a rehearsal the selector matches no series`,
      );
    if (!metric.http) return;
    for (const m of vs.matchers) if (m !== nameMatcher) this.matcher(m, name, metric);
  }

  private matcher(m: LabelMatcher, metric: string, info: IstioMetric): void {
    const labels = istioLabels(info);
    const positive = m.type === '=' || m.type === '=~';
    if (!labels.includes(m.name)) {
      if (ISTIO_LABEL_PREFIXES.some((p) => m.name.startsWith(p)) || nearTo(m.name, labels))
        this.at(
          'unknown-label',
          m.namePos,
          `Istio puts no label ${m.name} on ${metric}${didYouMean(m.name, labels)}: ${positive ? `${this.show(m)} matches no series, so the query returns an empty result` : `every series lacks it, so ${this.show(m)} filters nothing out`}`,
        );
      return;
    }
    if (!positive || hasUnknownArg(m.value) || m.value === 'unknown') return;
    const values = ISTIO_LABEL_VALUES[m.name];
    if (values) {
      if (values.some((v) => m.matches(v))) return;
      const listed =
        m.name === 'response_code' ? 'the status code alone: 0 (no response) or 100–599' : values.join(', ');
      this.at(
        'label-value-never-set',
        m.valuePos,
        `Istio never writes ${this.show(m)} on ${metric} (${m.name} is ${listed}): the selector matches no series and the query returns an empty result${m.type === '=' ? didYouMean(m.value, values) : ''}`,
      );
      return;
    }
    if (m.name === 'destination_service' || m.name === 'destination_service_name') this.service(m);
    else if (m.name === 'destination_workload') this.workload(m);
  }

  private service(m: LabelMatcher): void {
    const t = this.targets;
    if (t.services.length === 0) return;
    const names = t.services.map((s) => s.name);
    if (m.name === 'destination_service_name') {
      if (names.some((n) => m.matches(n))) return;
      this.at(
        'selector-service-not-found',
        m.valuePos,
        `${this.show(m)} matches no Service among the inputs (${names.join(', ')}): the selector matches no series and the query returns an empty result${m.type === '=' ? didYouMean(m.value, names) : ''}`,
      );
      return;
    }
    // A Service whose namespace is open may be applied to any namespace; the value names one.
    const named = /^[^.]+\.([^.]+)\.svc\b/.exec(m.value.replace(/\\\./g, '.'))?.[1];
    const open = [...new Set([...t.namespaces, ...(named ? [named] : [])])];
    const hosts = t.services.flatMap((s) =>
      (s.namespace !== undefined ? [s.namespace] : open).map((ns) => `${s.name}.${ns}.${CLUSTER_DOMAIN}`),
    );
    if (hosts.some((h) => m.matches(h))) return;
    const short = m.type === '=' && names.includes(m.value);
    this.at(
      'selector-service-not-found',
      m.valuePos,
      short
        ? `${this.show(m)} is a Service's short name, but Istio's destination_service is its host (${m.value}.<namespace>.${CLUSTER_DOMAIN}): the selector matches no series and the query returns an empty result; match the host, or destination_service_name="${m.value}"`
        : `${this.show(m)} matches no Service among the inputs (hosts ${hosts.join(', ')}): Istio's destination_service is the Service's host <name>.<namespace>.${CLUSTER_DOMAIN}, so the selector matches no series and the query returns an empty result${m.type === '=' ? didYouMean(m.value, hosts) : ''}`,
    );
  }

  private workload(m: LabelMatcher): void {
    const names = this.targets.workloads;
    if (names.length === 0) return;
    const found = names.some((n) =>
      m.type === '='
        ? m.value === n ||
          (m.value.startsWith(`${n}-`) && POD_TEMPLATE_HASH.test(m.value.slice(n.length + 1)))
        : m.matches(n) || m.matches(`${n}-${SAMPLE_HASH}`),
    );
    if (found) return;
    const service = this.targets.services.some((s) => m.matches(s.name));
    this.at(
      'selector-workload-not-found',
      m.valuePos,
      `${this.show(m)} matches no Rollout or Deployment among the inputs (${names.join(', ')}): Istio's destination_workload is the workload that owns the pods (a Rollout's name; <rollout>-<pod-template-hash> with Istio before its Argo Rollouts heuristic)${service ? ', not a Service' : ''}, so the selector matches no series and the query returns an empty result${m.type === '=' ? didYouMean(m.value, names) : ''}`,
    );
  }
}

/**
 * Selectors of Istio's metrics that match no series Istio and the manifests create: a metric
 * name Istio does not export, a label it does not put on the metric, a value it never writes
 * (`reporter="sourec"`, `response_code="5xx"`), a destination_service or destination_workload
 * of no Service or workload among the inputs. Matchers holding an arg known only at run time
 * are skipped; regexes are tested with the one engine (go/regexp) as Prometheus full-matches them.
 */
export function checkSelectors(q: ParsedField<Expr>, targets: SelectorTargets, findings: Finding[]): void {
  const check = new SelectorCheck(q, targets, findings);
  for (const vs of selectors(q.parsed)) check.selector(vs);
}
