import { argoHelpers } from './argoHelpers.js';
import type { ConditionAst, Node } from './ast.js';
import { children } from './parseCondition.js';

/** The names Argo puts beside `result` in every condition (`asInt`, `isNaN`, `default`…). */
export const ARGO_HELPER_NAMES: readonly string[] = argoHelpers(null).map((f) => f.name);

/**
 * The names a condition reads from its environment — identifiers not bound by a `let` around
 * them — in source order, each with its offset, so a caller that knows its environment can refuse
 * a misspelt one before running anything.
 */
export function freeNames(ast: ConditionAst): { name: string; offset: number }[] {
  const out: { name: string; offset: number }[] = [];
  const walk = (node: Node, bound: ReadonlySet<string>): void => {
    if (node.kind === 'Identifier') {
      if (!bound.has(node.name)) out.push({ name: node.name, offset: node.start });
      return;
    }
    if (node.kind === 'Let') {
      walk(node.value, bound);
      walk(node.body, new Set([...bound, node.name]));
      return;
    }
    for (const c of children(node)) walk(c, bound);
  };
  walk(ast.root, new Set());
  return out;
}
