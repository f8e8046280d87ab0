import { InputError, type SourcePos } from '../../sim/errors.js';
import { ManifestError, type ManifestNode } from '../../sim/manifests/index.js';
import { RULES, type RuleId, type Severity } from './rules.js';

/** One problem in the user's manifests, at the place to fix it. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Names the object and field, the bad value and what was expected (as InputError messages do). */
  message: string;
  pos: SourcePos;
}

/** A finding of `rule` at `node` (its value, or its key with `key`), prefixed like ManifestNode errors. */
export function findingAt(rule: RuleId, node: ManifestNode, message: string, key = false): Finding {
  return {
    rule,
    severity: RULES[rule].severity,
    message: `${node.subject}: ${node.field}: ${message}`,
    pos: node.pos(key),
  };
}

/** A finding at character `offset` of the string value at `node` (a query, a condition). */
export function findingInString(rule: RuleId, node: ManifestNode, offset: number, message: string): Finding {
  return {
    rule,
    severity: RULES[rule].severity,
    message: `${node.subject}: ${node.field}: ${message}`,
    pos: node.posAt(offset),
  };
}

/**
 * A manifest problem found while reading (lint's collecting mode) as a finding: `not-simulated`
 * for what canarysim refuses, `invalid-manifest` for what a cluster would.
 */
export function manifestFinding(e: InputError): Finding {
  const rule: RuleId =
    e instanceof ManifestError && e.kind === 'not-simulated' ? 'not-simulated' : 'invalid-manifest';
  return {
    rule,
    severity: RULES[rule].severity,
    message: e.message,
    pos: e.pos ?? { file: '', line: 0, col: 0 },
  };
}

/** `file:line:col` of a position, for messages that point at a second place. */
export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** The first error-level finding as the InputError the scenario runner throws, or undefined. */
export function firstError(findings: readonly Finding[]): InputError | undefined {
  const f = findings.find((x) => x.severity === 'error');
  return f && new InputError(f.message, f.pos);
}

/** Findings in file, line, column order, each reported once. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const k = `${formatPos(f.pos)}\u0000${f.rule}\u0000${f.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out.sort(
    (a, b) =>
      (a.pos.file < b.pos.file ? -1 : a.pos.file > b.pos.file ? 1 : 0) ||
      a.pos.line - b.pos.line ||
      a.pos.col - b.pos.col,
  );
}
