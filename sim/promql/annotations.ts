import { formatGoFloat, goQuote } from './goFormat.js';
import type { PositionRange } from './PositionRange.js';
import { startPosInput } from './PositionRange.js';

/*
 * Warnings and infos returned beside a result (Prometheus's `util/annotations`). Each is a text and
 * the position of the sub-expression it is about; printed as "PromQL warning: <text> (1:5)".
 * Like Prometheus, annotations with the same text are kept once.
 */

export type AnnotationKind = 'warning' | 'info';

interface Annotation {
  readonly kind: AnnotationKind;
  readonly text: string;
  readonly pos: PositionRange | undefined;
}

/** A deduplicated set of annotations collected during one query. */
export class Annotations {
  private readonly items = new Map<string, Annotation>();

  /** Adds an annotation; one with the same `key` (default: its text) replaces the earlier one. */
  add(kind: AnnotationKind, text: string, pos?: PositionRange, key: string = text): void {
    this.items.set(`${kind}\u0000${key}`, { kind, text, pos });
  }

  get size(): number {
    return this.items.size;
  }

  /** Texts with their positions in `query` (no position when the query text is unknown). */
  format(query: string | undefined): { warnings: string[]; infos: string[] } {
    const warnings: string[] = [];
    const infos: string[] = [];
    for (const a of this.items.values()) {
      const prefix = a.kind === 'warning' ? 'PromQL warning: ' : 'PromQL info: ';
      const where = query && a.pos ? ` (${startPosInput(query, a.pos.start)})` : '';
      (a.kind === 'warning' ? warnings : infos).push(prefix + a.text + where);
    }
    return { warnings, infos };
  }
}

/** "quantile value should be between 0 and 1, got <q>". */
export function invalidQuantile(q: number): string {
  return `quantile value should be between 0 and 1, got ${formatGoFloat(q)}`;
}

/** "bucket label "le" is missing or has a malformed value of "<v>"[ for metric name "<n>"]". */
export function badBucketLabel(metricName: string, le: string): string {
  return withMetricName(
    `bucket label "le" is missing or has a malformed value of ${goQuote(le)}`,
    metricName,
  );
}

/** The info for classic buckets whose counts had to be made monotonic. */
export function forcedMonotonicity(metricName: string, details: string): string {
  return `${withMetricName(
    'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)',
    metricName,
  )}${details}`;
}

/** "metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "<n>"". */
export function possibleNonCounter(metricName: string): string {
  return `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`;
}

function withMetricName(text: string, metricName: string): string {
  return metricName === '' ? text : `${text} for metric name ${goQuote(metricName)}`;
}
