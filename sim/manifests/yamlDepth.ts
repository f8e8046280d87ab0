import { isAlias, isCollection, isPair, type Document, type Node as YNode } from 'yaml';

/**
 * The deepest YAML accepted: 100 levels of mappings and lists (a Rollout nests about 12). The
 * yaml library stops at its own stack's end (a depth that depends on the machine) and aliases
 * can nest a document deeper than it is written; every reader after it recurses over the values.
 */
export const MAX_YAML_DEPTH = 100;

/** Nodes a depth check visits at most: past it, aliases are multiplying and toJS refuses them. */
const MAX_VISITS = 1_000_000;

/**
 * The first collection (aliases followed) nested deeper than MAX_YAML_DEPTH, for its position;
 * undefined when there is none. Iterative, so it cannot run out of stack itself.
 */
export function tooDeepNode(doc: Document.Parsed): YNode | undefined {
  const stack: [unknown, number][] = [[doc.contents, 1]];
  let visits = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (++visits > MAX_VISITS) return undefined;
    const [node, depth] = item;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target) stack.push([target, depth]);
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth > MAX_YAML_DEPTH) return node;
    for (const child of node.items) {
      if (isPair(child)) {
        stack.push([child.value, depth + 1]);
        stack.push([child.key, depth + 1]);
      } else stack.push([child, depth + 1]);
    }
  }
  return undefined;
}
