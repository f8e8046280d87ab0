import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConditionEvalError,
  ConditionSyntaxError,
  evaluateCondition,
  parseCondition,
  type Value,
} from '../../sim/analysis/condition/index.js';

const evaluate = (src: string, env: Record<string, Value>) => evaluateCondition(parseCondition(src), env);

function evalError(src: string, env: Record<string, Value>): string {
  try {
    evaluate(src, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConditionEvalError);
    return (e as Error).message;
  }
  throw new Error(`${src} did not fail`);
}

describe('conditions only see own data, never JS internals', () => {
  it.each(['constructor', '__proto__', 'toString', 'prototype', 'hasOwnProperty', 'valueOf'])(
    'identifier %s is an unknown name',
    (name) => {
      expect(evalError(name, { result: 1 })).toBe(`unknown name ${name}`);
    },
  );

  it.each(['constructor', '__proto__', 'toString', 'prototype', 'valueOf'])(
    'map member %s is a missing key (nil), not a function',
    (name) => {
      expect(evaluate(`result.${name}`, { result: { a: 1 } })).toBe(null);
      expect(evaluate(`result["${name}"] == nil`, { result: { a: 1 } })).toBe(true);
      expect(evaluate(`"${name}" in result`, { result: { a: 1 } })).toBe(false);
    },
  );

  it('chained prototype walks fail cleanly', () => {
    expect(evalError('result.constructor.constructor', { result: { a: 1 } })).toBe(
      'cannot fetch constructor from <nil>',
    );
    expect(evalError('result.toString()', { result: { a: 1 } })).toBe(
      'reflect: call of reflect.Value.Call on zero Value',
    );
    // Calling what a call returns is not even syntax.
    expect(() => parseCondition('result.constructor("return 1")()')).toThrow(ConditionSyntaxError);
  });

  it('members of scalars, strings and arrays are type errors', () => {
    expect(evalError('result.constructor', { result: 5 })).toBe('type float64 has no field constructor');
    expect(evalError('"x".constructor', {})).toBe('type string has no field constructor');
    expect(evalError('result.constructor', { result: true })).toBe('type bool has no field constructor');
    expect(evalError('result.length', { result: [1, 2] })).toBe(
      'array elements can only be selected using an integer (got string)',
    );
    expect(evalError('result.__proto__', { result: [1] })).toBe(
      'array elements can only be selected using an integer (got string)',
    );
  });

  it('inherited environment properties are invisible', () => {
    const env = Object.create({ secret: 42 }) as Record<string, Value>;
    env.result = 1;
    expect(evalError('secret == 42', env)).toBe('unknown name secret');
  });

  it('rejects non-plain data without running it', () => {
    let touched = false;
    const withGetter = {
      get a(): number {
        touched = true;
        return 1;
      },
    };
    expect(() => evaluate('result.a == 1', { result: withGetter as unknown as Value })).toThrow(
      /accessor property/,
    );
    expect(touched).toBe(false);

    class Secret {
      a = 1;
    }
    expect(() => evaluate('result.a == 1', { result: new Secret() as unknown as Value })).toThrow(
      /non-plain object/,
    );
    expect(() => evaluate('true', { result: (() => 1) as unknown as Value })).toThrow(
      /unsupported value at result: function/,
    );
    expect(() => evaluate('true', { result: new Map() as unknown as Value })).toThrow(/non-plain object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => evaluate('true', { result: cyclic as Value })).toThrow(/contains itself/);
  });

  it('a "__proto__" key in data is just a key, and nothing gets polluted', () => {
    const result = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Value;
    expect(evaluate('result.__proto__.polluted == true', { result })).toBe(true);
    const out = evaluate('{"__proto__": {"polluted": true}}', {}) as Record<string, Value>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, Value, Value]>([
    ['result["constructor"]', { a: 1 }, null],
    ['result["__proto__"]', { a: 1 }, null],
    ['result["__defineGetter__"]', { a: 1 }, null],
    ['result[0].constructor', [{ a: 1 }], null],
    ['result?.constructor', { a: 1 }, null],
    ['get(result, "constructor")', { a: 1 }, null],
    ['get(result, "__proto__")', { a: 1 }, null],
    ['{}.constructor', null, null],
    ['default(result, 1).constructor', { a: 1 }, null],
    ['map(result, #.constructor)', [{ a: 1 }], [null]],
    ['filter(result, .constructor == nil)', [{ a: 1 }], [{ a: 1 }]],
    ['type(result.constructor)', { a: 1 }, 'nil'],
    ['"toString" in result', {}, false],
    ['"constructor" in result', { a: 1 }, false],
    ['let constructor = 1; constructor', null, 1],
  ])('%s on %j reads only data: %j', (src, result, expected) => {
    expect(evaluate(src, { result })).toEqual(expected);
  });

  it.each<[string, Value, string]>([
    ['[].constructor', null, 'array elements can only be selected using an integer (got string)'],
    ['result["length"]', [1, 2], 'array elements can only be selected using an integer (got string)'],
    ['get(result, "length")', [1, 2], 'non-integer slice index string'],
    ['"abc".length', null, 'type string has no field length'],
    ['"abc"["length"]', null, 'type string has no field length'],
    ['result.hasOwnProperty("a")', { a: 1 }, 'reflect: call of reflect.Value.Call on zero Value'],
    ['result.valueOf()', { a: 1 }, 'reflect: call of reflect.Value.Call on zero Value'],
    ['asInt.constructor', null, 'type func(interface {}) int64 has no field constructor'],
    ['isNaN.call', null, 'type func(float64) bool has no field call'],
    ['asInt.constructor("return 1")', null, 'type func(interface {}) int64 has no method constructor'],
    ['result.constructor.prototype', { a: 1 }, 'cannot fetch prototype from <nil>'],
    ['constructor(1)', null, 'unknown name constructor'],
    ['toString(result)', { a: 1 }, 'unknown name toString'],
    ['__proto__', null, 'unknown name __proto__'],
  ])('%s on %j is an evaluation error: %s', (src, result, message) => {
    expect(evalError(src, { result })).toBe(message);
  });

  it('the whole environment ($env) cannot be reached', () => {
    expect(() => parseCondition('$env["constructor"]')).toThrow('$env is not supported by canarysim');
    expect(() => parseCondition('$env.result.constructor')).toThrow(ConditionSyntaxError);
  });

  it('functions of the environment are values, not JavaScript functions', () => {
    // Argo's helpers are Go funcs to the condition: printing one shows its Go type, and it cannot be indexed.
    expect(evalError('asFloat["apply"]', { result: 1 })).toBe(
      'type func(interface {}) float64 has no field apply',
    );
    expect(evalError('default.bind', { result: 1 })).toMatch(
      /^type func\(.*\) interface \{\} has no field bind$/,
    );
  });

  it('the condition package has no eval or Function constructor', () => {
    const dir = join(import.meta.dirname, '../../sim/analysis/condition');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      expect(source, file).not.toMatch(/(?<![\w$])eval\s*\(|new\s+Function\b|(?<![\w$.])Function\s*\(/);
    }
  });
});
