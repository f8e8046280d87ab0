import {
  conditionChildren as children,
  parseCondition,
  type ConditionNode,
} from '../../sim/analysis/condition/index.js';

/** A number a condition compares the query's result with: `result[0] >= 0.95` gives `>=` 0.95. */
export interface Threshold {
  /** The comparison with the result on the left (`0.95 <= result[0]` reads as `>=`). */
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
}

const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const;

/**
 * The thresholds of a success or failure condition: every comparison between something that
 * reads `result` and a number literal (`-1`, `0.95`, `1e3`), in the order written. A condition
 * that does not parse, or compares the result with nothing constant, has none (nothing to draw).
 *
 *   conditionThresholds('result[0] >= 0.95')                   → [{ op: '>=', value: 0.95 }]
 *   conditionThresholds('len(result) > 0 && result[0] < 0.1')  → [{ op: '<', value: 0.1 }] (len counts series)
 */
export function conditionThresholds(condition: string): Threshold[] {
  let root: ConditionNode;
  try {
    root = parseCondition(condition).root;
  } catch {
    return [];
  }
  const out: Threshold[] = [];
  // `pointer`: inside `all(result, {# > 2})`, `#` is an element of the result.
  const visit = (n: ConditionNode, pointer: boolean): void => {
    if (n.kind === 'Binary' && n.op in FLIP) {
      const op = n.op as keyof typeof FLIP;
      const right = literal(n.right);
      const left = literal(n.left);
      if (right !== undefined && readsResult(n.left, pointer)) out.push({ op, value: right });
      else if (left !== undefined && readsResult(n.right, pointer)) out.push({ op: FLIP[op], value: left });
    }
    const overResult = n.kind === 'Builtin' && n.args[0] !== undefined && readsResult(n.args[0], pointer);
    for (const child of children(n)) visit(child, overResult && child.kind === 'Predicate' ? true : pointer);
  };
  visit(root, false);
  return out;
}

function literal(n: ConditionNode): number | undefined {
  if (n.kind === 'Float') return n.value;
  if (n.kind === 'Integer') return Number(n.value);
  if (n.kind === 'Unary' && (n.op === '-' || n.op === '+')) {
    const v = literal(n.operand);
    return v === undefined ? undefined : n.op === '-' ? -v : v;
  }
  return undefined;
}

function readsResult(n: ConditionNode, pointer: boolean): boolean {
  if (n.kind === 'Identifier') return n.name === 'result';
  if (n.kind === 'Pointer') return pointer && n.name === '';
  // `len(result) > 0` counts series, not the value charted: not a threshold.
  if (n.kind === 'Builtin' && n.name === 'len') return false;
  return children(n).some((c) => readsResult(c, pointer));
}
