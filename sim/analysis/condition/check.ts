import { compileRegexp, RegexpError } from '../../../go/regexp.js';
import type { Node } from './ast.js';
import { EXPR_BUILTINS } from './builtinCatalog.js';
import { BUILTINS } from './builtins.js';
import { ConditionEvalError } from './ConditionEvalError.js';
import {
  arrayOf,
  assignable,
  BOOL,
  combined,
  comparable,
  elemOf,
  FLOAT,
  INT,
  isArray,
  isBool,
  isFloat,
  isInteger,
  isMap,
  isNil,
  isNumber,
  isString,
  isUnknown,
  MAP,
  NIL,
  STRING,
  typeName,
  UNKNOWN,
  type FuncSig,
  type MapShape,
  type Nature,
} from './nature.js';

/** What evaluation needs from type checking: int literals expr-lang turned into floats. */
export interface CheckResult {
  /** Integer literals passed where a float64 parameter is expected (`isNaN(1)`). */
  readonly floatLiterals: ReadonlySet<Node>;
}

/**
 * expr-lang's compile-time checker, run against the natures of the actual environment (Argo
 * compiles each condition with the live `result`, so `result > 1` on a `[]float64` fails here,
 * before running). Throws {@link ConditionEvalError} with expr-lang's message.
 */
export function check(root: Node, env: ReadonlyMap<string, Nature>): CheckResult {
  const checker = new Checker(env);
  checker.visit(root);
  return { floatLiterals: checker.floatLiterals };
}

type Failure = { readonly node: Node; readonly message: string };

class Checker {
  readonly floatLiterals = new Set<Node>();
  private readonly predicateScopes: { collection: Nature; vars: Map<string, Nature> }[] = [];
  private readonly variables: { name: string; nature: Nature }[] = [];

  constructor(private readonly env: ReadonlyMap<string, Nature>) {}

  private fail(node: Node, message: string): never {
    throw new ConditionEvalError(message, node.pos);
  }

  visit(node: Node): Nature {
    switch (node.kind) {
      case 'Nil':
        return NIL;
      case 'Bool':
        return BOOL;
      case 'Integer':
        return INT;
      case 'Float':
        return FLOAT;
      case 'String':
        return STRING;
      case 'Identifier':
        return this.identifier(node, node.name);
      case 'Pointer':
        return this.pointer(node, node.name);
      case 'Unary':
        return this.unary(node, node.op, this.visit(node.operand));
      case 'Binary':
        return this.binary(node, node.op, node.right, this.visit(node.left), this.visit(node.right));
      case 'Chain':
        return this.visit(node.node);
      case 'Member':
        return this.member(
          node,
          node.property,
          node.method,
          this.visit(node.object),
          this.visit(node.property),
        );
      case 'Slice':
        return this.slice(node, node.from, node.to, this.visit(node.object));
      case 'Call':
        return this.call(node, node.callee, node.args);
      case 'Builtin':
        return this.builtin(node, node.name, node.args);
      case 'Predicate':
        return { kind: 'predicate', out: this.visit(node.body) };
      case 'Conditional':
        return this.conditional(node.cond, node.then, node.otherwise);
      case 'Array':
        return this.array(node.items);
      case 'Map':
        for (const pair of node.pairs) this.visit(pair);
        return MAP;
      case 'Pair':
        this.visit(node.key);
        this.visit(node.value);
        return NIL;
      case 'Let':
        return this.let(node, node.name, node.value, node.body);
      case 'Sequence': {
        let last: Nature = UNKNOWN;
        for (const n of node.nodes) last = this.visit(n);
        return last;
      }
    }
  }

  private identifier(node: Node, name: string): Nature {
    for (let i = this.variables.length - 1; i >= 0; i--) {
      const v = this.variables[i];
      if (v?.name === name) return v.nature;
    }
    const nature = this.env.get(name);
    if (nature !== undefined) return nature;
    return this.fail(node, `unknown name ${name}`);
  }

  private pointer(node: Node, name: string): Nature {
    const scope = this.predicateScopes.at(-1);
    if (scope === undefined) return this.fail(node, 'cannot use pointer accessor outside predicate');
    if (name === '') return elemOf(scope.collection);
    const v = scope.vars.get(name);
    if (v === undefined) return this.fail(node, `unknown pointer #${name}`);
    return v;
  }

  private unary(node: Node, op: string, t: Nature): Nature {
    if (op === '!' || op === 'not') {
      if (isBool(t) || isUnknown(t)) return BOOL;
    } else if (isNumber(t)) {
      return t;
    } else if (isUnknown(t)) {
      return UNKNOWN;
    }
    return this.fail(node, `invalid operation: ${op} (mismatched type ${typeName(t)})`);
  }

  private binary(node: Node, op: string, rightNode: Node, l: Nature, r: Nature): Nature {
    const either = (...fns: ((n: Nature) => boolean)[]): boolean =>
      (isUnknown(l) && isUnknown(r)) ||
      (isUnknown(l) && fns.some((f) => f(r))) ||
      (isUnknown(r) && fns.some((f) => f(l)));
    switch (op) {
      case '==':
      case '!=':
        if (comparable(l, r)) return BOOL;
        break;
      case 'or':
      case '||':
      case 'and':
      case '&&':
        if ((isBool(l) && isBool(r)) || either(isBool)) return BOOL;
        break;
      case '<':
      case '>':
      case '>=':
      case '<=':
        if ((isNumber(l) && isNumber(r)) || (isString(l) && isString(r)) || either(isNumber, isString))
          return BOOL;
        break;
      case '-':
      case '*':
        if (isNumber(l) && isNumber(r)) return combined(l, r);
        if (either(isNumber)) return UNKNOWN;
        break;
      case '/':
      case '**':
      case '^':
        if ((isNumber(l) && isNumber(r)) || either(isNumber)) return FLOAT;
        break;
      case '%':
        if ((isInteger(l) && isInteger(r)) || either(isInteger)) return INT;
        break;
      case '+':
        if (isNumber(l) && isNumber(r)) return combined(l, r);
        if (isString(l) && isString(r)) return STRING;
        if (either(isNumber, isString)) return UNKNOWN;
        break;
      case 'in':
        if (isMap(r)) {
          if (!isUnknown(l) && !assignable(l, STRING)) {
            return this.fail(node, `cannot use ${typeName(l)} as type string in map key`);
          }
          return BOOL;
        }
        if (isArray(r)) {
          if (!comparable(l, elemOf(r))) {
            return this.fail(node, `cannot use ${typeName(l)} as type ${typeName(elemOf(r))} in array`);
          }
          return BOOL;
        }
        if (isUnknown(l) && (isString(r) || isArray(r) || isMap(r))) return BOOL;
        if (isUnknown(r)) return BOOL;
        break;
      case 'matches':
        if (rightNode.kind === 'String') {
          const compiled = compileRegexp(rightNode.value);
          if (compiled instanceof RegexpError) return this.fail(node, compiled.message);
        }
        if ((isString(l) && isString(r)) || either(isString)) return BOOL;
        break;
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        if ((isString(l) && isString(r)) || either(isString)) return BOOL;
        break;
      case '..':
        if ((isInteger(l) && isInteger(r)) || either(isInteger)) return arrayOf(INT);
        break;
      case '??':
        if (isNil(l) && !isNil(r)) return r;
        if (!isNil(l) && isNil(r)) return l;
        if (isNil(l) && isNil(r)) return NIL;
        return assignable(r, l) ? l : UNKNOWN;
      default:
        return this.fail(node, `unknown operator (${op})`);
    }
    return this.fail(node, `invalid operation: ${op} (mismatched types ${typeName(l)} and ${typeName(r)})`);
  }

  private member(node: Node, property: Node, method: boolean, base: Nature, prop: Nature): Nature {
    if (isUnknown(base)) return UNKNOWN;
    const name = property.kind === 'String' ? property.value : undefined;
    if (name !== undefined && isNil(base)) return this.fail(node, `type nil has no field ${name}`);
    if (isMap(base)) {
      if (!assignable(prop, STRING) && !isUnknown(prop)) {
        return this.fail(property, `cannot use ${typeName(prop)} to get an element from ${typeName(base)}`);
      }
      return base.kind === 'map' && base.shape ? this.shaped(base.shape, property, name) : UNKNOWN;
    }
    if (isArray(base)) {
      if (!isInteger(prop) && !isUnknown(prop)) {
        return this.fail(
          property,
          `array elements can only be selected using an integer (got ${typeName(prop)})`,
        );
      }
      return elemOf(base);
    }
    if (name !== undefined) {
      return this.fail(node, `type ${typeName(base)} has no ${method ? 'method' : 'field'} ${name}`);
    }
    return this.fail(node, `type ${typeName(base)}[${typeName(prop)}] is undefined`);
  }

  // A map the caller described: a literal key it cannot hold is refused at the key; a key
  // computed at run time reads a value of the map's nature, or anything from a record.
  private shaped(shape: MapShape, property: Node, name: string | undefined): Nature {
    if (shape.kind === 'record') {
      if (name === undefined) return UNKNOWN;
      const field = shape.fields.get(name);
      if (field !== undefined) return field;
      throw new ConditionEvalError(`${shape.what} has no field ${JSON.stringify(name)}`, property.start, {
        unknown: { name, candidates: [...shape.fields.keys()] },
      });
    }
    const refused = name === undefined ? undefined : shape.key?.(name);
    if (refused !== undefined && name !== undefined)
      throw new ConditionEvalError(refused.message, property.start, {
        unknown: { name, candidates: refused.candidates },
      });
    return shape.values;
  }

  private slice(node: Node, from: Node | undefined, to: Node | undefined, t: Nature): Nature {
    if (isUnknown(t)) return UNKNOWN;
    if (!isString(t) && !isArray(t)) return this.fail(node, `cannot slice ${typeName(t)}`);
    for (const bound of [from, to]) {
      if (bound === undefined) continue;
      const b = this.visit(bound);
      if (!isInteger(b) && !isUnknown(b)) return this.fail(bound, `non-integer slice index ${typeName(b)}`);
    }
    return t;
  }

  private call(node: Node, callee: Node, args: readonly Node[]): Nature {
    const fn = this.visit(callee);
    const name =
      callee.kind === 'Identifier'
        ? callee.name
        : callee.kind === 'Member' && callee.property.kind === 'String'
          ? callee.property.value
          : 'function';
    if (isUnknown(fn)) return UNKNOWN;
    if (isNil(fn)) return this.fail(node, `${name} is nil; cannot call nil as function`);
    if (fn.kind !== 'func') return this.fail(node, `${typeName(fn)} is not callable`);
    const checked = this.checkArguments(name, fn.sig, args, node);
    if ('message' in checked) return this.fail(checked.node, checked.message);
    return checked.out;
  }

  // expr-lang's checkArguments: arity first, then each argument against its parameter.
  private checkArguments(
    name: string,
    sig: FuncSig,
    args: readonly Node[],
    node: Node,
  ): { out: Nature } | Failure {
    const n = sig.params.length;
    let arityError: string | undefined;
    if (sig.variadic) {
      if (args.length < n - 1) arityError = `not enough arguments to call ${name}`;
    } else if (args.length > n) {
      arityError = `too many arguments to call ${name}`;
    } else if (args.length < n) {
      arityError = `not enough arguments to call ${name}`;
    }
    if (arityError !== undefined) {
      for (const arg of args) this.visit(arg);
      return { node, message: arityError };
    }
    const floats: Node[] = [];
    for (const [i, arg] of args.entries()) {
      const t = this.visit(arg);
      const param = (sig.variadic && i >= n - 1 ? sig.params[n - 1] : sig.params[i]) ?? UNKNOWN;
      if (isFloat(param) && isInteger(t)) {
        collectIntegerLiterals(arg, floats);
        continue;
      }
      if (isInteger(param) && isInteger(t)) continue;
      if (isNil(t)) {
        if (isUnknown(param)) continue;
        return { node: arg, message: `cannot use nil as argument (type ${typeName(param)}) to call ${name}` };
      }
      if (!assignable(t, param) && !isUnknown(t)) {
        // The trailing space is expr-lang's.
        return {
          node: arg,
          message: `cannot use ${typeName(t)} as argument (type ${typeName(param)}) to call ${name} `,
        };
      }
    }
    for (const f of floats) this.floatLiterals.add(f);
    return { out: sig.out };
  }

  private builtin(node: Node, name: string, args: readonly Node[]): Nature {
    switch (name) {
      case 'all':
      case 'none':
      case 'any':
      case 'one':
        this.predicate(name, args);
        return BOOL;
      case 'filter': {
        const collection = this.predicate(name, args);
        return arrayOf(elemOf(collection));
      }
      case 'map': {
        const collection = this.collection(name, args);
        const out = this.closure(args, collection, new Map([['index', INT]]));
        return arrayOf(out);
      }
      case 'count':
        if (args.length === 1) this.collection(name, args);
        else this.predicate(name, args);
        return INT;
      case 'sum': {
        if (args.length === 2) {
          const collection = this.collection(name, args);
          return this.closure(args, collection, new Map());
        }
        return elemOf(this.collection(name, args));
      }
      case 'find':
      case 'findLast':
        return elemOf(this.predicate(name, args));
      case 'findIndex':
      case 'findLastIndex':
        this.predicate(name, args);
        return INT;
      case 'get':
        return this.get(node, args);
    }
    const spec = BUILTINS.get(name);
    if (spec === undefined) return this.fail(node, `unknown builtin ${name}`);
    if (spec.validate) {
      const result = spec.validate(args.map((a) => this.visit(a)));
      if (typeof result === 'string') return this.fail(node, result);
      return result;
    }
    let last: Failure | undefined;
    for (const overload of spec.overloads ?? []) {
      const checked = this.checkArguments(name, overload, args, node);
      if (!('message' in checked)) return checked.out;
      last = checked;
    }
    return this.fail(last?.node ?? node, last?.message ?? `no matching overload for ${name}`);
  }

  private collection(name: string, args: readonly Node[]): Nature {
    const first = args[0];
    if (first === undefined) throw new Error(`builtin ${name} without arguments`);
    const collection = this.visit(first);
    if (!isArray(collection) && !isUnknown(collection)) {
      return this.fail(first, `builtin ${name} takes only array (got ${typeName(collection)})`);
    }
    return collection;
  }

  private closure(args: readonly Node[], collection: Nature, vars: Map<string, Nature>): Nature {
    const pred = args[1];
    if (pred === undefined) throw new Error('builtin without predicate');
    this.predicateScopes.push({ collection, vars });
    let nature: Nature;
    try {
      nature = this.visit(pred);
    } finally {
      this.predicateScopes.pop();
    }
    if (nature.kind !== 'predicate' || isNil(nature.out)) {
      return this.fail(pred, 'predicate should has one input and one output param');
    }
    return nature.out;
  }

  /** Checks a collection + boolean predicate builtin; returns the collection's nature. */
  private predicate(name: string, args: readonly Node[]): Nature {
    const collection = this.collection(name, args);
    const out = this.closure(args, collection, new Map());
    if (!isBool(out) && !isUnknown(out)) {
      const at = args[1] ?? args[0];
      if (at !== undefined) return this.fail(at, `predicate should return boolean (got ${typeName(out)})`);
    }
    return collection;
  }

  // expr-lang's checkBuiltinGet: like indexing, but typed errors and a nil result instead of a panic.
  private get(node: Node, args: readonly Node[]): Nature {
    const [baseNode, keyNode] = args;
    if (args.length !== 2 || baseNode === undefined || keyNode === undefined) {
      return this.fail(node, `invalid number of arguments (expected 2, got ${args.length})`);
    }
    const base = this.visit(baseNode);
    const key = this.visit(keyNode);
    if (isUnknown(base)) return UNKNOWN;
    if (isArray(base)) {
      if (!isInteger(key) && !isUnknown(key))
        return this.fail(keyNode, `non-integer slice index ${typeName(key)}`);
      return elemOf(base);
    }
    if (isMap(base)) {
      if (!assignable(key, STRING) && !isUnknown(key)) {
        return this.fail(keyNode, `cannot use ${typeName(key)} to get an element from ${typeName(base)}`);
      }
      return UNKNOWN;
    }
    return this.fail(baseNode, `type ${typeName(base)} does not support indexing`);
  }

  private conditional(cond: Node, then: Node, otherwise: Node): Nature {
    const c = this.visit(cond);
    if (!isBool(c) && !isUnknown(c)) {
      return this.fail(cond, `non-bool expression (type ${typeName(c)}) used as condition`);
    }
    const t1 = this.visit(then);
    const t2 = this.visit(otherwise);
    if (isNil(t1) && !isNil(t2)) return t2;
    if (!isNil(t1) && isNil(t2)) return t1;
    if (isNil(t1) && isNil(t2)) return NIL;
    return assignable(t1, t2) ? t1 : UNKNOWN;
  }

  private array(items: readonly Node[]): Nature {
    let previous: Nature = UNKNOWN;
    let same = true;
    for (const [i, item] of items.entries()) {
      const current = this.visit(item);
      if (i > 0 && kindKey(current) !== kindKey(previous)) same = false;
      previous = current;
    }
    return arrayOf(same ? previous : UNKNOWN);
  }

  private let(node: Node, name: string, value: Node, body: Node): Nature {
    if (this.env.has(name)) return this.fail(node, `cannot redeclare ${name}`);
    if (EXPR_BUILTINS.has(name)) return this.fail(node, `cannot redeclare builtin ${name}`);
    if (this.variables.some((v) => v.name === name))
      return this.fail(node, `cannot redeclare variable ${name}`);
    const nature = this.visit(value);
    this.variables.push({ name, nature });
    try {
      return this.visit(body);
    } finally {
      this.variables.pop();
    }
  }
}

// reflect.Kind as expr-lang's ArrayNode compares it.
function kindKey(n: Nature): string {
  if (n.kind === 'unknown' || n.kind === 'nil') return 'invalid';
  if (n.kind === 'predicate') return 'func';
  return n.kind;
}

// expr-lang rewrites int literals to float literals where a float64 parameter expects them,
// through unary signs and + - * (traverseAndReplaceIntegerNodesWithFloatNodes).
function collectIntegerLiterals(node: Node, out: Node[]): void {
  if (node.kind === 'Integer') out.push(node);
  else if (node.kind === 'Unary') collectIntegerLiterals(node.operand, out);
  else if (node.kind === 'Binary' && (node.op === '+' || node.op === '-' || node.op === '*')) {
    collectIntegerLiterals(node.left, out);
    collectIntegerLiterals(node.right, out);
  }
}
