import { argoHelpers } from './argoHelpers.js';
import type { ConditionAst } from './ast.js';
import { check } from './check.js';
import { ConditionEvalError } from './ConditionEvalError.js';
import { fromRuntime, natureOf, ownData, toRuntime } from './convert.js';
import { interpret } from './interpret.js';
import { UNKNOWN, type Nature } from './nature.js';
import { GoFunc, GoPanic, goTypeOf, type RV } from './runtime.js';
import type { Value } from './Value.js';

/** Extra functions a caller may offer a condition; they receive and return plain data. */
export type ConditionFunctions = Record<string, (...args: Value[]) => Value>;

/**
 * Evaluates a parsed condition the way Argo's `EvalCondition` does: the environment is `env`
 * plus Argo's helpers (`asInt`, `asFloat`, `isNaN`, `isInf`, `isNil`, `default`, bound to
 * `env.result`) plus `funcs`; the condition is type-checked against the natures of those values
 * (expr-lang compiles with the live environment), then run. Throws {@link ConditionEvalError}.
 */
export function evaluateCondition(
  ast: ConditionAst,
  env: Record<string, Value>,
  funcs?: ConditionFunctions,
): Value {
  return fromRuntime(run(ast, env, funcs));
}

/**
 * {@link evaluateCondition} for a success/failure condition: the result must be a bool, else
 * `expected bool, but got int` (Go's `%T` of the value).
 */
export function evaluateBoolCondition(
  ast: ConditionAst,
  env: Record<string, Value>,
  funcs?: ConditionFunctions,
): boolean {
  const v = run(ast, env, funcs);
  if (typeof v !== 'boolean') throw new ConditionEvalError(`expected bool, but got ${goTypeOf(v)}`);
  return v;
}

/**
 * Type-checks a condition before any data exists, against the natures its environment will have
 * (plus Argo's helpers, as {@link evaluateCondition} adds them): what evaluating it would refuse
 * for any values of those natures is refused now. Maps described by a shape (`recordOf`,
 * `keyedMap`) also refuse literal fields and keys they cannot hold. Throws
 * {@link ConditionEvalError}.
 */
export function checkCondition(ast: ConditionAst, env: ReadonlyMap<string, Nature>): void {
  const natures = new Map<string, Nature>(
    argoHelpers(null).map((h) => [h.name, { kind: 'func', sig: h.sig }] as const),
  );
  for (const [name, nature] of env) natures.set(name, nature);
  check(ast.root, natures);
}

function run(ast: ConditionAst, env: Record<string, Value>, funcs: ConditionFunctions | undefined): RV {
  const values = new Map<string, RV>();
  const result = toRuntime(ownData(env, 'result', 'env'), 'result');
  for (const helper of argoHelpers(result)) values.set(helper.name, helper);
  for (const name of Object.keys(env)) values.set(name, toRuntime(ownData(env, name, 'env'), name));
  for (const name of Object.keys(funcs ?? {}))
    values.set(name, callerFunction(name, ownData(funcs ?? {}, name, 'funcs')));
  const natures = new Map([...values].map(([name, v]) => [name, natureOf(v)] as const));
  const { floatLiterals } = check(ast.root, natures);
  return interpret(ast.root, values, floatLiterals);
}

function callerFunction(name: string, fn: unknown): GoFunc {
  if (typeof fn !== 'function') throw new ConditionEvalError(`funcs.${name} is not a function`);
  return new GoFunc(name, { params: [UNKNOWN], variadic: true, out: UNKNOWN }, (args) => {
    let out: unknown;
    try {
      out = Reflect.apply(fn, undefined, args.map(fromRuntime));
    } catch (e) {
      throw new GoPanic(e instanceof Error ? e.message : String(e));
    }
    return toRuntime(out, `${name}()`);
  });
}
