import {
  ConditionSyntaxError,
  parseCondition,
  type ConditionAst,
} from '../../sim/analysis/condition/index.js';
import {
  placeholders,
  substituteArgs,
  type AnalysisTemplateSpec,
  type ManifestNode,
  type ManifestObject,
  type MetricTemplateSpec,
} from '../../sim/manifests/index.js';
import { parseExpr, PromQLParseError, type Expr } from '../../sim/promql/index.js';
import { findingInString, type Finding } from './Finding.js';

export type TemplateObject = ManifestObject<string, AnalysisTemplateSpec>;

/**
 * What to do with a placeholder whose arg has no known value (a required arg, or one the Rollout
 * takes `valueFrom` the cluster): `skip` the field (the scenario runner), or put a `sentinel`
 * identifier in its place and parse anyway (lint), ignoring errors that fall on a sentinel.
 */
export type Unresolved = 'skip' | 'sentinel';

/** A template field after arg substitution, parsed, with where it came from. */
export interface ParsedField<T> {
  node: ManifestNode;
  text: string;
  /** Offset in `text` → offset in the field as written. */
  toSource: (offset: number) => number;
  parsed: T;
  /** Some placeholder had no known value (a sentinel stands in for it). */
  partial: boolean;
}

/** The parsed query and conditions of one metric; undefined where the field is absent or did not parse. */
export interface ParsedMetric {
  metric: MetricTemplateSpec;
  query?: ParsedField<Expr>;
  successCondition?: ParsedField<ConditionAst>;
  failureCondition?: ParsedField<ConditionAst>;
}

const SENTINEL = 'canarysim_arg_';

/** Whether text taken from a parsed field holds the stand-in of an arg with no known value. */
export const hasUnknownArg = (text: string): boolean => text.includes(SENTINEL);

function parseField<T>(
  node: ManifestNode,
  template: string,
  args: ReadonlyMap<string, string>,
  unresolved: Unresolved,
  what: 'PromQL' | 'condition',
  parse: (text: string) => T,
  findings: Finding[],
): ParsedField<T> | undefined {
  const values = new Map(args);
  const sentinelAt = new Set<number>();
  for (const p of placeholders(template)) {
    const m = /^args\.(.+)$/.exec(p.tag);
    if (m && values.has(m[1]!)) continue;
    if (unresolved === 'skip' || !m) return undefined;
    values.set(m[1]!, `${SENTINEL}${sentinelAt.size}`);
    sentinelAt.add(p.offset);
  }
  const { text, toSource } = substituteArgs(template, values);
  try {
    return { node, text, toSource, parsed: parse(text), partial: sentinelAt.size > 0 };
  } catch (e) {
    let offset: number;
    let message: string;
    if (e instanceof PromQLParseError) {
      offset = e.index;
      message = `invalid PromQL: ${e.message}`;
    } else if (e instanceof ConditionSyntaxError) {
      offset = e.offset;
      message = `invalid condition: ${e.reason}`;
    } else throw e;
    const at = toSource(offset);
    // An error on a stand-in value says nothing about the template.
    if (sentinelAt.has(at)) return undefined;
    findings.push(
      findingInString(what === 'PromQL' ? 'promql-syntax' : 'condition-syntax', node, at, message),
    );
    return undefined;
  }
}

/**
 * Parses every metric's query and conditions with `args` substituted; a syntax error becomes a
 * finding at its line:col inside the template file. Findings come in the order the scenario
 * runner reported them (metric by metric: query, successCondition, failureCondition).
 */
export function checkTemplateSyntax(
  t: TemplateObject,
  args: ReadonlyMap<string, string>,
  unresolved: Unresolved,
): { findings: Finding[]; metrics: ParsedMetric[] } {
  const findings: Finding[] = [];
  const metrics = t.spec.metrics.map((m): ParsedMetric => {
    const out: ParsedMetric = { metric: m };
    const q = m.provider.prometheus.query;
    out.query = parseField(
      m.node.child('provider').child('prometheus').child('query'),
      q,
      args,
      unresolved,
      'PromQL',
      parseExpr,
      findings,
    );
    for (const field of ['successCondition', 'failureCondition'] as const) {
      const c = m[field];
      if (c === undefined || c === '') continue;
      out[field] = parseField(
        m.node.child(field),
        c,
        args,
        unresolved,
        'condition',
        parseCondition,
        findings,
      );
    }
    return out;
  });
  return { findings, metrics };
}

/** A template's own default arg values. */
export function templateDefaults(t: TemplateObject): Map<string, string> {
  return new Map(t.spec.args.filter((a) => a.value !== undefined).map((a) => [a.name, a.value!]));
}
