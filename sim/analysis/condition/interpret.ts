import { compileRegexp, RegexpError } from '../../../go/regexp.js';
import type { Node } from './ast.js';
import { BUILTINS } from './builtins.js';
import { ConditionEvalError } from './ConditionEvalError.js';
import { CONDITION_MEMORY_BUDGET, MAX_CONDITION_STEPS } from './limits.js';
import {
  arithmetic,
  compare,
  contains,
  equal,
  exponent,
  fetch,
  length,
  negate,
  range,
  slice,
  utf8,
  type Arithmetic,
  type Ordering,
} from './operators.js';
import {
  assertBool,
  assertString,
  conversionError,
  GoFunc,
  GoMap,
  GoPanic,
  GoSlice,
  goTypeOf,
  panic,
  type RV,
} from './runtime.js';

/**
 * Runs a checked condition tree against runtime values, in expr-lang's evaluation order and with
 * its run-time semantics (short-circuit `&&`/`||`, nil-safe `?.` chains, predicates over `#`).
 * Go panics become {@link ConditionEvalError}s that point at the node being evaluated.
 */
export function interpret(root: Node, env: ReadonlyMap<string, RV>, floatLiterals: ReadonlySet<Node>): RV {
  return new Interpreter(env, floatLiterals).run(root);
}

// Thrown by `?.` on nil; caught by the enclosing chain, which then yields nil.
const CHAIN_BREAK = Symbol('chain break');

class Interpreter {
  private readonly scopes: { items: readonly RV[]; index: number }[] = [];
  private readonly variables: { name: string; value: RV }[] = [];
  private pos = 0;
  private steps = 0;
  private memory = 0;

  constructor(
    private readonly env: ReadonlyMap<string, RV>,
    private readonly floatLiterals: ReadonlySet<Node>,
  ) {}

  run(root: Node): RV {
    try {
      return this.evalNode(root);
    } catch (e) {
      if (e instanceof GoPanic) throw new ConditionEvalError(e.message, this.pos);
      throw e;
    }
  }

  // Marks the node whose operation may panic next, so the error points at it.
  private at(node: Node): void {
    this.pos = node.pos;
  }

  private evalNode(node: Node): RV {
    if (++this.steps > MAX_CONDITION_STEPS) {
      this.at(node);
      panic(`step budget exceeded: a condition may take at most ${MAX_CONDITION_STEPS} evaluation steps`);
    }
    switch (node.kind) {
      case 'Nil':
        return null;
      case 'Bool':
      case 'String':
      case 'Float':
        return node.value;
      case 'Integer':
        return this.floatLiterals.has(node) ? Number(node.value) : node.value;
      case 'Identifier':
        return this.identifier(node, node.name);
      case 'Pointer': {
        const scope = this.scopes.at(-1);
        this.at(node);
        if (scope === undefined) panic('cannot use pointer accessor outside predicate');
        if (node.name === 'index') return BigInt(scope.index);
        if (node.name !== '') panic(`unknown pointer #${node.name}`);
        return scope.items[scope.index] ?? null;
      }
      case 'Unary': {
        const v = this.evalNode(node.operand);
        this.at(node);
        if (node.op === '-') return negate(v);
        if (node.op === '+') return v;
        return !assertBool(v);
      }
      case 'Binary':
        return this.binary(node, node.op, node.left, node.right);
      case 'Chain':
        try {
          return this.evalNode(node.node);
        } catch (e) {
          if (e === CHAIN_BREAK) return null;
          throw e;
        }
      case 'Member': {
        const base = this.evalNode(node.object);
        if (node.optional && base === null) throw CHAIN_BREAK;
        const key = this.evalNode(node.property);
        this.at(node);
        return fetch(base, key);
      }
      case 'Slice': {
        const base = this.evalNode(node.object);
        this.at(node);
        const to = node.to ? this.evalNode(node.to) : length(base);
        const from = node.from ? this.evalNode(node.from) : 0n;
        this.at(node);
        return slice(base, from, to);
      }
      case 'Call':
        return this.call(node, node.callee, node.args);
      case 'Builtin':
        return this.builtin(node, node.name, node.args);
      case 'Predicate':
        return this.evalNode(node.body);
      case 'Conditional': {
        const cond = this.evalNode(node.cond);
        this.at(node.cond);
        return assertBool(cond) ? this.evalNode(node.then) : this.evalNode(node.otherwise);
      }
      case 'Array':
        this.allocate(node, node.items.length);
        return new GoSlice(
          'interface {}',
          node.items.map((item) => this.evalNode(item)),
        );
      case 'Map': {
        this.allocate(node, node.pairs.length);
        const pairs = node.pairs.map((p) => [this.evalNode(p.key), this.evalNode(p.value)] as const);
        const entries = new Map<string, RV>();
        this.at(node);
        // The VM assigns pairs last to first, so the first of duplicate keys wins.
        for (const [key, value] of pairs.reverse()) {
          if (typeof key !== 'string') panic(conversionError(key, 'string'));
          entries.set(key, value);
        }
        return new GoMap(entries);
      }
      case 'Pair':
        throw new Error('pair outside a map');
      case 'Let': {
        const value = this.evalNode(node.value);
        this.variables.push({ name: node.name, value });
        try {
          return this.evalNode(node.body);
        } finally {
          this.variables.pop();
        }
      }
      case 'Sequence': {
        let last: RV = null;
        for (const n of node.nodes) last = this.evalNode(n);
        return last;
      }
    }
  }

  /**
   * Counts what an evaluation builds against expr-lang's memory budget (elements of arrays, maps
   * and ranges; for canarysim also the length of concatenated strings, which Go would let grow
   * until the process runs out of memory).
   */
  private allocate(node: Node, size: number): void {
    this.memory += size;
    if (this.memory >= CONDITION_MEMORY_BUDGET) {
      this.at(node);
      panic('memory budget exceeded');
    }
  }

  private allocated(node: Node, slice: GoSlice): GoSlice {
    this.allocate(node, slice.items.length);
    return slice;
  }

  private identifier(node: Node, name: string): RV {
    for (let i = this.variables.length - 1; i >= 0; i--) {
      const v = this.variables[i];
      if (v?.name === name) return v.value;
    }
    const value = this.env.get(name);
    this.at(node);
    if (value === undefined) panic(`unknown name ${name}`);
    return value;
  }

  private binary(node: Node, op: string, leftNode: Node, rightNode: Node): RV {
    const left = this.evalNode(leftNode);
    switch (op) {
      case '&&':
      case 'and':
        this.at(node);
        return assertBool(left) ? this.evalNode(rightNode) : false;
      case '||':
      case 'or':
        this.at(node);
        return assertBool(left) ? true : this.evalNode(rightNode);
      case '??':
        return left !== null ? left : this.evalNode(rightNode);
    }
    const right = this.evalNode(rightNode);
    this.at(node);
    switch (op) {
      case '==':
        return equal(left, right);
      case '!=':
        return !equal(left, right);
      case '<':
      case '>':
      case '<=':
      case '>=':
        return compare(op as Ordering, left, right);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        if (op === '+' && typeof left === 'string' && typeof right === 'string')
          this.allocate(node, left.length + right.length);
        return arithmetic(op as Arithmetic, left, right);
      case '**':
      case '^':
        return exponent(left, right);
      case 'in':
        return contains(left, right);
      case '..':
        return this.allocated(node, range(left, right));
      case 'matches': {
        const pattern = rightNode.kind === 'String' ? rightNode.value : assertString(right);
        const subject = assertString(left);
        const re = compileRegexp(pattern);
        if (re instanceof RegexpError) panic(re.message);
        return re.matchString(subject);
      }
      case 'contains':
        return assertString(left).includes(assertString(right));
      case 'startsWith':
        return assertString(left).startsWith(assertString(right));
      case 'endsWith':
        return assertString(left).endsWith(assertString(right));
      default:
        return panic(`unknown operator (${op})`);
    }
  }

  private call(node: Node, callee: Node, argNodes: readonly Node[]): RV {
    const args = argNodes.map((a) => this.evalNode(a));
    const fn = this.evalNode(callee);
    this.at(node);
    if (!(fn instanceof GoFunc)) {
      panic(`reflect: call of reflect.Value.Call on ${fn === null ? 'zero' : reflectKind(fn)} Value`);
    }
    for (const [i, arg] of args.entries()) {
      const n = fn.sig.params.length;
      const param = fn.sig.variadic && i >= n - 1 ? fn.sig.params[n - 1] : fn.sig.params[i];
      // A typed Go parameter asserts its argument, as the VM's typed call does.
      if (param?.kind === 'float' && typeof arg !== 'number') panic(conversionError(arg, 'float64'));
      if (param?.kind === 'string' && typeof arg !== 'string') panic(conversionError(arg, 'string'));
    }
    return fn.call(args);
  }

  private builtin(node: Node, name: string, argNodes: readonly Node[]): RV {
    switch (name) {
      case 'all':
        return this.loop(node, argNodes, (ok) => (!ok ? false : undefined), true);
      case 'none':
        return this.loop(node, argNodes, (ok) => (ok ? false : undefined), true);
      case 'any':
        return this.loop(node, argNodes, (ok) => (ok ? true : undefined), false);
      case 'one': {
        let count = 0;
        this.loop(node, argNodes, (ok) => void (ok && count++), true);
        return count === 1;
      }
      case 'filter': {
        const out: RV[] = [];
        this.each(node, argNodes, (item, result) => {
          this.at(node);
          if (assertBool(result)) out.push(item);
        });
        return new GoSlice('interface {}', out);
      }
      case 'map': {
        const out: RV[] = [];
        this.each(node, argNodes, (_item, result) => void out.push(result));
        return new GoSlice('interface {}', out);
      }
      case 'count': {
        let count = 0n;
        this.each(node, argNodes, (item, result) => {
          this.at(node);
          if (assertBool(argNodes.length > 1 ? result : item)) count++;
        });
        return count;
      }
      case 'sum': {
        let acc: RV = 0n;
        this.each(node, argNodes, (item, result) => {
          this.at(node);
          acc = arithmetic('+', argNodes.length > 1 ? result : item, acc);
        });
        return acc;
      }
      case 'find':
      case 'findIndex':
      case 'findLast':
      case 'findLastIndex':
        return this.find(node, name, argNodes);
    }
    const spec = BUILTINS.get(name);
    if (spec === undefined) panic(`unknown builtin ${name}`);
    const args = argNodes.map((a) => this.evalNode(a));
    this.at(node);
    return spec.run(args);
  }

  // Runs the predicate per element; `decide` returns the early result, if any.
  private loop(
    node: Node,
    argNodes: readonly Node[],
    decide: (ok: boolean) => boolean | undefined,
    end: boolean,
  ): RV {
    let early: boolean | undefined;
    this.each(node, argNodes, (_item, result) => {
      this.at(node);
      early = decide(assertBool(result));
      return early !== undefined;
    });
    return early ?? end;
  }

  // Iterates the collection with `#` bound; stops when `visit` returns true.
  private each(
    node: Node,
    argNodes: readonly Node[],
    visit: (item: RV, result: RV) => boolean | void,
    backwards = false,
  ): void {
    const [collectionNode, predicate] = argNodes;
    if (collectionNode === undefined) throw new Error('builtin without collection');
    const items = this.items(node, this.evalNode(collectionNode));
    const scope = { items, index: 0 };
    this.scopes.push(scope);
    try {
      for (let k = 0; k < items.length; k++) {
        scope.index = backwards ? items.length - 1 - k : k;
        const item = items[scope.index] ?? null;
        const result = predicate ? this.evalNode(predicate) : item;
        if (visit(item, result) === true) return;
      }
    } finally {
      this.scopes.pop();
    }
  }

  private find(node: Node, name: string, argNodes: readonly Node[]): RV {
    let found: RV = null;
    const backwards = name === 'findLast' || name === 'findLastIndex';
    const wantIndex = name === 'findIndex' || name === 'findLastIndex';
    this.each(
      node,
      argNodes,
      (item, result) => {
        this.at(node);
        if (!assertBool(result)) return false;
        found = wantIndex ? BigInt(this.scopes.at(-1)?.index ?? 0) : item;
        return true;
      },
      backwards,
    );
    return found;
  }

  // What the VM's loop can walk: reflect.Value.Len/Index on the collection.
  private items(node: Node, v: RV): readonly RV[] {
    this.at(node);
    if (v instanceof GoSlice) return v.items;
    if (typeof v === 'string') return [...utf8(v)].map((b) => BigInt(b));
    if (v instanceof GoMap) {
      if (v.entries.size === 0) return [];
      panic('reflect: call of reflect.Value.Index on map Value');
    }
    panic(`reflect: call of reflect.Value.Len on ${v === null ? 'zero' : reflectKind(v)} Value`);
  }
}

function reflectKind(v: RV): string {
  const t = goTypeOf(v);
  return t.startsWith('func') ? 'func' : t.startsWith('[]') ? 'slice' : t.startsWith('map') ? 'map' : t;
}
