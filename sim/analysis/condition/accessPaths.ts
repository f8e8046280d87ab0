import type { ConditionAst, Node } from './ast.js';
import { children } from './parseCondition.js';

/** A piece of data a condition reads: its text as written, and the subtree that reads it. */
export interface AccessPath {
  /** `rollouts["silly-demo"].phase`, `queries["ratio"][0]`, `time`, `len(rollouts["x"].analysisRuns)`. */
  readonly text: string;
  readonly node: Node;
}

/**
 * The data a condition reads from its environment, in source order, each once: every longest
 * chain of literal member accesses (`.name`, `["key"]`, `[0]`, `[-1]`) that starts at a free
 * name, and `len(chain)` where the condition takes a chain's length. Chains through a computed
 * key (`rollouts[name]`) stop before it; a bare name indexed by a computed key is left out (it
 * would be the whole map); names bound by `let` and predicates' `#` are not data. Evaluating a
 * path's node against the same environment gives the value the condition saw.
 */
export function accessPaths(ast: ConditionAst): AccessPath[] {
  const out = new Map<string, AccessPath>();
  const add = (node: Node) => {
    const text = ast.source.slice(node.start, node.end);
    if (!out.has(text)) out.set(text, { text, node });
  };
  const walk = (node: Node, bound: ReadonlySet<string>, indexed: boolean): void => {
    if (node.kind === 'Builtin' && node.name === 'len' && node.args.length === 1) {
      const arg = node.args[0]!;
      const chain = literalChain(arg);
      if (chain && !bound.has(chain.root)) {
        add(node);
        return;
      }
    }
    const chain = literalChain(node);
    if (chain && !bound.has(chain.root)) {
      if (chain.depth > 0 || !indexed) add(node);
      return;
    }
    if (node.kind === 'Let') {
      walk(node.value, bound, false);
      walk(node.body, new Set([...bound, node.name]), false);
      return;
    }
    if (node.kind === 'Member') {
      walk(node.object, bound, true);
      walk(node.property, bound, false);
      return;
    }
    for (const c of children(node)) walk(c, bound, false);
  };
  walk(ast.root, new Set(), false);
  return [...out.values()];
}

/** The free name a chain of literal member accesses starts at, and how many accesses follow it. */
function literalChain(node: Node): { root: string; depth: number } | undefined {
  switch (node.kind) {
    case 'Identifier':
      return { root: node.name, depth: 0 };
    case 'Chain':
      return literalChain(node.node);
    case 'Member': {
      if (node.method || !isLiteralKey(node.property)) return undefined;
      const base = literalChain(node.object);
      return base && { root: base.root, depth: base.depth + 1 };
    }
    default:
      return undefined;
  }
}

function isLiteralKey(n: Node): boolean {
  return (
    n.kind === 'String' ||
    n.kind === 'Integer' ||
    (n.kind === 'Unary' && (n.op === '-' || n.op === '+') && n.operand.kind === 'Integer')
  );
}
