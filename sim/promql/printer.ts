import type { Expr, LabelMatcher, VectorSelector } from './ast.js';
import { formatGoFloat, formatPromDuration, goQuote } from './goFormat.js';

/*
 * The canonical text of an expression, as Prometheus's `String()` methods print it. The output
 * parses back to the same tree (the test runner relies on that for its @-modifier re-runs).
 */

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Canonical printed form of `e` (like Prometheus's `Expr.String()`). */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      if (e.duration && Number.isFinite(e.val) && e.val !== 0) {
        const ms = Math.abs(e.val) * 1000;
        if (Number.isInteger(ms)) return (e.val < 0 ? '-' : '') + formatPromDuration(ms);
      }
      return formatGoFloat(e.val);
    case 'StringLiteral':
      return goQuote(e.val);
    case 'ParenExpr':
      return `(${formatExpr(e.expr)})`;
    case 'UnaryExpr':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'VectorSelector':
      return selectorText(e) + atText(e) + offsetText(e);
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return `${selectorText(vs)}[${formatPromDuration(e.rangeMs)}]${atText(vs)}${offsetText(vs)}`;
    }
    case 'Call':
      return `${e.func.name}(${e.args.map(formatExpr).join(', ')})`;
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${e.grouping.map(labelName).join(', ')}) `;
      else if (e.grouping.length > 0) s += ` by (${e.grouping.map(labelName).join(', ')}) `;
      s += '(';
      if (e.param) s += `${formatExpr(e.param)}, `;
      return `${s}${formatExpr(e.expr)})`;
    }
    case 'BinaryExpr': {
      let matching = '';
      const vm = e.matching;
      if (vm && (vm.matchingLabels.length > 0 || vm.on)) {
        matching = ` ${vm.on ? 'on' : 'ignoring'} (${vm.matchingLabels.map(labelName).join(', ')})`;
        if (vm.card === 'many-to-one' || vm.card === 'one-to-many') {
          matching += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${vm.include.map(labelName).join(', ')})`;
        }
      }
      return `${formatExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matching} ${formatExpr(e.rhs)}`;
    }
  }
}

function selectorText(vs: VectorSelector): string {
  const shown: LabelMatcher[] = [];
  for (const m of vs.matchers) {
    if (vs.name !== '' && m.name === '__name__' && m.type === '=' && m.value === vs.name) continue;
    shown.push(m);
  }
  const name = vs.name === '' ? '' : LEGACY_METRIC.test(vs.name) ? vs.name : '';
  const quotedName = vs.name !== '' && name === '' ? [goQuote(vs.name)] : [];
  const inner = [...quotedName, ...shown.map(matcherText)];
  if (inner.length === 0) return name;
  return `${name}{${inner.join(', ')}}`;
}

function matcherText(m: LabelMatcher): string {
  return `${labelName(m.name)}${m.type}${goQuote(m.value)}`;
}

function labelName(n: string): string {
  return LEGACY_NAME.test(n) ? n : goQuote(n);
}

function atText(vs: VectorSelector): string {
  if (vs.timestampMs !== null) return ` @ ${(vs.timestampMs / 1000).toFixed(3)}`;
  if (vs.startOrEnd !== null) return ` @ ${vs.startOrEnd}()`;
  return '';
}

function offsetText(vs: VectorSelector): string {
  if (vs.offsetMs > 0) return ` offset ${formatPromDuration(vs.offsetMs)}`;
  if (vs.offsetMs < 0) return ` offset -${formatPromDuration(-vs.offsetMs)}`;
  return '';
}
