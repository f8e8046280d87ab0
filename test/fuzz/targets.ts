// Fuzz targets: each is a generator of inputs (fast-check arbitraries: grammar-shaped text mixed
// with raw characters) and a check that classifies one input. A check returns normally when the
// input was accepted or refused the way bad input must be (our error class, with a position);
// it throws a FuzzFailure for anything else — a crash (another exception), an error without a
// position, or a broken property (PromQL printed back must parse to the same text).
import fc from 'fast-check';
import path from 'node:path';
import { localManifests } from '../../cli/commands/live.js';
import { handleControl } from '../../cli/live/controlHandler.js';
import { packageRoot } from '../../cli/runCli.js';
import { parseRequestTarget } from '../../cli/live/requestTarget.js';
import { requestGuard } from '../../cli/server/localOnly.js';
import { handlePrometheusApi, type PrometheusApiDeps } from '../../cli/server/prometheusApi.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { formatGoDuration, parseGoDuration } from '../../go/duration.js';
import {
  ConditionEvalError,
  ConditionSyntaxError,
  evaluateCondition,
  parseCondition,
} from '../../sim/analysis/condition/index.js';
import { InputError } from '../../sim/errors.js';
import { IssueSink } from '../../sim/manifests/ManifestIssues.js';
import { collectManifest } from '../../sim/manifests/parseManifest.js';
import { parseYamlFile } from '../../sim/manifests/YamlSource.js';
import { Engine, formatExpr, parseExpr, PromQLEvalError, PromQLParseError } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';

/** An input that broke a rule: `kind` says which. */
export class FuzzFailure extends Error {
  constructor(
    readonly kind: 'crash' | 'no-position' | 'property',
    message: string,
    readonly input: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FuzzTarget<T> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  /** Classifies one input (`accepted` or `refused`); throws FuzzFailure on a broken rule. */
  check(input: T): Promise<'accepted' | 'refused'> | 'accepted' | 'refused';
  /** A short printable form of an input, for reports. */
  show(input: T): string;
}

const crash = (input: unknown, e: unknown) =>
  new FuzzFailure(
    'crash',
    `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 300),
    input,
    { cause: e },
  );

const showString = (s: string) =>
  JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…(${s.length} chars)` : s);

/** Text from a token vocabulary, with raw characters mixed in, up to `max` tokens. */
function tokens(vocab: readonly string[], max: number): fc.Arbitrary<string> {
  const token = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...vocab) },
    { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '\t', '\r', '\u00a0', 'é', '☃', '\u0000') },
  );
  return fc
    .tuple(fc.array(token, { maxLength: max }), fc.constantFrom('', ' '))
    .map(([ts, sep]) => ts.join(sep));
}

// --- PromQL -----------------------------------------------------------------------------------

const PROMQL_VOCAB = [
  'x',
  'up',
  'istio_requests_total',
  '__name__',
  'a',
  'le',
  'foo:bar',
  'on',
  'by',
  'without',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  '@',
  'start()',
  'end()',
  'and',
  'or',
  'unless',
  'atan2',
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'stddev',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'histogram_quantile',
  'label_replace',
  'label_join',
  'abs',
  'absent',
  'absent_over_time',
  'sum_over_time',
  'quantile_over_time',
  'time',
  'vector',
  'scalar',
  'sort',
  'clamp',
  'round',
  'predict_linear',
  'holt_winters',
  'timestamp',
  'changes',
  'resets',
  'last_over_time',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '=',
  '!=',
  '=~',
  '!~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '>',
  '<',
  '>=',
  '<=',
  '1',
  '0',
  '0.5',
  '-1',
  '1e3',
  '0x1f',
  'Inf',
  'NaN',
  '.5',
  '1_000',
  '"a"',
  '"c.*"',
  "'x'",
  '`raw`',
  '"\\n"',
  '"\\xff"',
  '"\\u00e9"',
  '5m',
  '1h30m',
  '30s',
  '0s',
  '1ms',
  '[5m]',
  '[5m:1m]',
  '[1h:]',
  '{a="1"}',
  '{a=~"1|2"}',
  '{__name__=~"x.*"}',
  '{code!~"5.."}',
  '# comment\n',
];

const PROMQL_STRUCTURED: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'up{job="a"}', 'm{a=~"b|c",d!="e"}', '1', '-2.5', 'time()', '"s"'),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom(
          '+',
          '-',
          '*',
          '/',
          '%',
          '^',
          '==',
          '> bool',
          'and',
          'or',
          'unless',
          '/ on(a) group_left',
          '* ignoring(b)',
        ),
        tie('expr'),
      )
      .map(([l, op, r]) => `${l} ${op} ${r}`),
    fc
      .tuple(
        fc.constantFrom('sum', 'avg', 'max', 'count', 'group'),
        fc.constantFrom('', ' by (a)', ' without (a)'),
        tie('expr'),
      )
      .map(([op, g, e]) => `${op}${g} (${e})`),
    fc
      .tuple(
        fc.constantFrom('rate', 'increase', 'sum_over_time', 'max_over_time'),
        fc.constantFrom('x', 'm{a="1"}'),
        fc.constantFrom('1m', '5m', '90s'),
      )
      .map(([f, s, d]) => `${f}(${s}[${d}])`),
    fc
      .tuple(tie('expr'), fc.constantFrom('[5m:1m]', '[10m:]', ' offset 1m', ' @ 100'))
      .map(([e, s]) => `(${e})${s}`),
    fc
      .tuple(fc.constantFrom('abs', 'ceil', 'sort', '-', 'scalar', 'vector'), tie('expr'))
      .map(([f, e]) => (f === '-' ? `-(${e})` : `${f}(${e})`)),
    fc.tuple(fc.constantFrom('0.5', '0.99'), tie('expr')).map(([q, e]) => `histogram_quantile(${q}, ${e})`),
    fc.tuple(tie('expr')).map(([e]) => `(${e})`),
  ),
})).expr;

function promqlStorage(): Storage {
  const st = new Storage();
  for (const [name, a] of [
    ['x', '1'],
    ['x', '2'],
    ['up', '1'],
    ['m', 'b'],
  ] as const) {
    const ref = st.seriesRef({ __name__: name, a, job: 'a' });
    for (let i = 0; i <= 40; i++) st.append(ref, i * 15_000, i % 7 === 3 ? 0 : i * 2.5);
  }
  return st;
}

function checkParseError(input: string, e: PromQLParseError): void {
  const bytes = Buffer.byteLength(input);
  const { start } = e.positionRange;
  if (!(start >= 0 && start <= bytes) || !/^\d+:\d+: parse error: /.test(e.format()))
    throw new FuzzFailure('no-position', `parse error without a position in the query: ${e.format()}`, input);
}

export function promqlTarget(): FuzzTarget<string> {
  const storage = promqlStorage();
  const engine = new Engine({ maxSamples: 200_000 });
  return {
    name: 'promql',
    arbitrary: fc.oneof(tokens(PROMQL_VOCAB, 24), PROMQL_STRUCTURED),
    show: showString,
    check(input) {
      let ast;
      try {
        ast = parseExpr(input);
      } catch (e) {
        if (e instanceof PromQLParseError) {
          checkParseError(input, e);
          return 'refused';
        }
        throw crash(input, e);
      }
      // Printing is the inverse of parsing: the printed form parses, and prints the same.
      let printed: string;
      try {
        printed = formatExpr(ast);
      } catch (e) {
        throw crash(input, e);
      }
      try {
        const again = formatExpr(parseExpr(printed));
        if (again !== printed)
          throw new FuzzFailure('property', `print → parse → print changed ${printed} to ${again}`, input);
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        throw new FuzzFailure(
          'property',
          `the printed form ${printed} does not parse: ${(e as Error).message}`,
          input,
        );
      }
      try {
        engine.instantQuery(storage, ast, 600_000);
        engine.rangeQuery(storage, ast, 0, 600_000, 60_000);
      } catch (e) {
        if (e instanceof PromQLEvalError || e instanceof PromQLParseError) return 'refused';
        throw crash(input, e);
      }
      return 'accepted';
    },
  };
}

// --- the condition language -------------------------------------------------------------------

const CONDITION_VOCAB = [
  'result',
  'result[0]',
  'result[-1]',
  'len(result)',
  'all(result, # > 0)',
  'any(result, {# < 1})',
  'filter(result, # > 0)',
  'map(result, # * 2)',
  'count(result, # > 1)',
  'none(',
  'one(',
  'isNaN(',
  'isInf(',
  'asInt(',
  'asFloat(',
  'default(',
  'isNil(',
  'sum(',
  'max(',
  'min(',
  'abs(',
  'float(',
  'int(',
  'string(',
  'upper(',
  'trim(',
  'split(',
  'join(',
  'now()',
  'duration(',
  'date(',
  'let x = 1;',
  'x',
  '#',
  '#index',
  '.',
  '?.',
  '??',
  '?',
  ':',
  '&&',
  '||',
  'and',
  'or',
  'not',
  '!',
  'in',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '^',
  '..',
  '|',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '1',
  '0',
  '0.95',
  '1e3',
  '0x10',
  '1_000',
  'nil',
  'true',
  'false',
  '"a"',
  "'b'",
  '"^5"',
  '`raw`',
  '"\\u00e9"',
  '"\\x41"',
];

const CONDITION_STRUCTURED: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      'result',
      'result[0]',
      'result[1]',
      'len(result)',
      '1',
      '0.95',
      '-2',
      '"a"',
      'true',
      'nil',
      '#',
      '#index',
      'x',
    ),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom(
          '>',
          '<',
          '>=',
          '==',
          '!=',
          '&&',
          '||',
          'and',
          '+',
          '-',
          '*',
          '/',
          '%',
          '**',
          'in',
          'matches',
          'contains',
          '??',
          '..',
        ),
        tie('expr'),
      )
      .map(([l, op, r]) => `${l} ${op} ${r}`),
    fc.tuple(fc.constantFrom('!', 'not ', '-'), tie('expr')).map(([op, e]) => `${op}(${e})`),
    fc
      .tuple(
        fc.constantFrom('all', 'any', 'none', 'one', 'filter', 'map', 'count', 'find', 'sum'),
        fc.constantFrom('result', '[1, 2]', '1..3'),
        tie('expr'),
      )
      .map(([f, c, e]) => `${f}(${c}, ${e})`),
    fc
      .tuple(
        fc.constantFrom(
          'isNaN',
          'isInf',
          'asInt',
          'asFloat',
          'isNil',
          'abs',
          'float',
          'string',
          'len',
          'max',
        ),
        tie('expr'),
      )
      .map(([f, e]) => `${f}(${e})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    fc.tuple(tie('expr'), tie('expr')).map(([v, b]) => `let x = ${v}; ${b}`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie('expr')).map(([e]) => `default(${e}, 0)`),
    fc.tuple(tie('expr')).map(([e]) => `(${e})`),
  ),
})).expr;

export function conditionTarget(): FuzzTarget<string> {
  const env = { result: [0.97, 1.5, Number.NaN] };
  return {
    name: 'condition',
    arbitrary: fc.oneof(tokens(CONDITION_VOCAB, 20), CONDITION_STRUCTURED),
    show: showString,
    check(input) {
      let ast;
      try {
        ast = parseCondition(input);
      } catch (e) {
        if (e instanceof ConditionSyntaxError) {
          if (!(e.offset >= 0 && e.offset <= input.length))
            throw new FuzzFailure('no-position', `syntax error outside the condition: ${e.message}`, input);
          return 'refused';
        }
        throw crash(input, e);
      }
      try {
        evaluateCondition(ast, env);
      } catch (e) {
        if (e instanceof ConditionEvalError || e instanceof InputError) return 'refused';
        throw crash(input, e);
      }
      return 'accepted';
    },
  };
}

// --- Go durations -----------------------------------------------------------------------------

const DURATION_VOCAB = [
  '1',
  '0',
  '5',
  '30',
  '1.5',
  '.5',
  '9999999999',
  '-',
  '+',
  'ns',
  'us',
  'µs',
  'μs',
  'ms',
  's',
  'm',
  'h',
  'd',
  'w',
  'y',
  '.',
  'e',
  '_',
  ' ',
  '\n',
];

export function durationTarget(): FuzzTarget<{ text: string; ms: number }> {
  return {
    name: 'duration',
    arbitrary: fc.record({
      text: fc.oneof(
        tokens(DURATION_VOCAB, 8),
        fc.string({ maxLength: 12 }),
        fc
          .tuple(
            fc.constantFrom('', '-', '+'),
            fc.array(
              fc.tuple(
                fc.oneof(
                  fc.nat().map(String),
                  fc.double({ min: 0, max: 1e6, noNaN: true }).map(String),
                  fc.constantFrom('.5', '1.', '0', '9223372036854775807'),
                ),
                fc.constantFrom('ns', 'us', 'µs', 'ms', 's', 'm', 'h'),
              ),
              { minLength: 1, maxLength: 4 },
            ),
          )
          .map(([sign, parts]) => sign + parts.map(([n, u]) => n + u).join('')),
      ),
      ms: fc.integer({ min: 0, max: 9_000_000_000_000 }),
    }),
    show: (d) => JSON.stringify(d),
    check({ text, ms }) {
      let v: number | undefined;
      try {
        v = parseGoDuration(text);
      } catch (e) {
        throw crash(text, e);
      }
      if (v !== undefined && !Number.isFinite(v))
        throw new FuzzFailure('property', `${JSON.stringify(text)} parsed to ${v}`, text);
      // Formatting is the inverse of parsing, as Go's time.Duration String and ParseDuration are.
      const printed = formatGoDuration(ms);
      if (parseGoDuration(printed) !== ms)
        throw new FuzzFailure(
          'property',
          `${ms} ms prints as ${printed}, which parses to ${parseGoDuration(printed)}`,
          ms,
        );
      return v === undefined ? 'refused' : 'accepted';
    },
  };
}

// --- YAML and manifests -----------------------------------------------------------------------

const MANIFEST_SEEDS = [
  'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: r}\n  template:\n    metadata:\n      labels: {app: r}\n    spec:\n      containers:\n        - name: c\n          image: ghcr.io/vfarcic/silly-demo:1.4.126\n  strategy:\n    canary:\n      steps:\n        - setWeight: 20\n        - pause: {duration: 30s}\n',
  'apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata:\n  name: t\nspec:\n  args:\n    - name: s\n  metrics:\n    - name: m\n      interval: 30s\n      successCondition: result[0] >= 0.95\n      failureLimit: 1\n      provider:\n        prometheus:\n          address: http://prometheus:9090\n          query: sum(rate(x{s="{{args.s}}"}[1m]))\n',
  'apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: v\nspec:\n  hosts: [a]\n  http:\n    - name: primary\n      match:\n        - headers:\n            x: {regex: "a.*"}\n      route:\n        - destination: {host: a}\n          weight: 100\n',
  'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: r}\n  ports: [{port: 80, targetPort: 8080}]\n',
];

const YAML_NOISE = [
  '&a ',
  '*a',
  '<<: *a\n',
  '{{args.x}}',
  '{{ .Values.x }}',
  '\t',
  '---\n',
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '#',
  '!!binary ',
  '!!str ',
  '? ',
  '|\n',
  '>-\n',
  '\n  ',
  '1e999',
  '-.inf',
  '.nan',
  '0x',
  '~',
  'null',
  'yes',
  'é',
  '\u0000',
  '\ufeff',
];

/** A seed manifest with a few splices: a span deleted, or noise inserted, at random points. */
const manifestText = fc
  .tuple(
    fc.constantFrom(...MANIFEST_SEEDS),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.oneof(fc.constantFrom(...YAML_NOISE), fc.string({ maxLength: 6 })),
        fc.nat({ max: 12 }),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([seed, edits]) => {
    let s = seed;
    for (const [at, insert, del] of edits) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + insert + s.slice(i + del);
    }
    return s;
  });

export function manifestTarget(): FuzzTarget<string> {
  return {
    name: 'manifests',
    arbitrary: manifestText,
    show: showString,
    check(input) {
      try {
        const sink = new IssueSink();
        for (const d of parseYamlFile('fuzz.yaml', input, { lenient: true })) {
          for (const p of d.problems) if (!p.pos) throw new FuzzFailure('no-position', p.message, input);
          collectManifest(d, d.doc.toJS() as unknown, sink);
        }
        for (const issue of sink.issues)
          if (!issue.pos) throw new FuzzFailure('no-position', issue.message, input);
        return sink.issues.length > 0 ? 'refused' : 'accepted';
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        if (e instanceof InputError) {
          if (!e.pos) throw new FuzzFailure('no-position', e.message, input);
          return 'refused';
        }
        throw crash(input, e);
      }
    },
  };
}

// --- the Prometheus HTTP API ------------------------------------------------------------------

const API_PATHS = [
  '/api/v1/query',
  '/api/v1/query_range',
  '/api/v1/series',
  '/api/v1/labels',
  '/api/v1/label/a/values',
  '/api/v1/label/__name__/values',
  '/api/v1/label/%ff/values',
  '/metrics',
  '/-/ready',
  '/api/v1/',
  '/api/v1/query/',
  '/',
];
const API_PARAMS = ['query', 'time', 'start', 'end', 'step', 'match[]', 'timeout', 'limit'];
const API_VALUES = [
  'x',
  'sum(rate(x[1m]))',
  'up == 1',
  '{a="1"}',
  '1',
  '0',
  '-1',
  '1e9',
  '1e308',
  'NaN',
  'Inf',
  '2024-11-11T12:00:00Z',
  '1.5',
  '15s',
  '1m',
  '0s',
  '-15s',
  '',
  '(',
  'x[5m]',
  'x{',
  '9999999999999999999',
];

export function prometheusApiTarget(): FuzzTarget<{
  method: string;
  path: string;
  params: [string, string][];
}> {
  const deps: PrometheusApiDeps = {
    storage: promqlStorage(),
    engine: new Engine({ maxSamples: 200_000 }),
    now: () => 600_000,
    exposition: async () => '# TYPE x counter\nx 1\n',
  };
  return {
    name: 'prometheus-api',
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD'),
      path: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...API_PATHS) }, fc.string({ maxLength: 20 })),
      params: fc.array(
        fc.tuple(
          fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...API_PARAMS) }, fc.string({ maxLength: 5 })),
          fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...API_VALUES) }, fc.string({ maxLength: 12 })),
        ),
        { maxLength: 5 },
      ),
    }),
    show: (r) => JSON.stringify(r),
    async check(r) {
      const params = new Map<string, string[]>();
      for (const [k, v] of r.params) params.set(k, [...(params.get(k) ?? []), v]);
      let res;
      try {
        res = await handlePrometheusApi(r.method, r.path, params, deps);
      } catch (e) {
        throw crash(r, e);
      }
      if (res.status >= 500 && res.status !== 503)
        throw new FuzzFailure('crash', `answered ${res.status}: ${res.body.slice(0, 200)}`, r);
      if (res.status >= 400 && res.contentType.startsWith('application/json')) {
        const body = JSON.parse(res.body) as { status?: string; errorType?: string; error?: string };
        if (body.status !== 'error' || !body.errorType || !body.error)
          throw new FuzzFailure(
            'property',
            `an error without Prometheus's error shape: ${res.body.slice(0, 200)}`,
            r,
          );
      }
      return res.status < 400 ? 'accepted' : 'refused';
    },
  };
}

// --- the live front doors: request targets, the API guard, the control API --------------------

const CONTROL_PATHS = [
  '/status',
  '/rollouts',
  '/pods',
  '/apply',
  '/delete',
  '/faults',
  '/faults/clear',
  '/rollouts/a-team/silly-demo',
  '/rollouts/a-team/silly-demo/promote',
  '/rollouts/a-team/silly-demo/abort',
  '/rollouts/a-team/silly-demo/retry',
  '/rollouts/a-team/silly-demo/image',
  '/rollouts/a-team/silly-demo/restart',
  '/rollouts/a-team/silly-demo/undo',
  '/rollouts/a-team/silly-demo/pause',
  '/rollouts/x/y',
  '/rollouts/%ff/a',
];
const CONTROL_KEYS = [
  'objects',
  'namespace',
  'file',
  'kustomize',
  'image',
  'container',
  'full',
  'in',
  'toRevision',
  'pod',
  'set',
  'errors',
  'latency',
  'share',
  'status',
  'p50',
  'p99',
  'crash',
  '__proto__',
  'constructor',
];
const JSONISH = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'a-team',
      'silly-demo',
      '*=ghcr.io/vfarcic/silly-demo:1.4.127',
      '5s',
      '2%',
      '50%',
      '1e308',
      '-1',
      '',
      'now',
      'ghcr.io/vfarcic/silly-demo:*',
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

export function frontDoorTarget(): FuzzTarget<{
  method: string;
  target: string;
  path: string;
  body: Record<string, unknown>;
  host: string;
  origin: string;
}> {
  const world = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { 'a-team': { istioInjection: true } } });
  const status = () => ({ now: 0, speed: 1, ingress: '', api: '' });
  // The blog's istio overlay, as `canarysim apply -k` sends it, so the rollout routes have a rollout.
  const overlay = path.join(packageRoot(), 'scenarios/blog/kustomize/overlays/istio');
  const applied = handleControl(
    'POST',
    '/canarysim/v1/apply',
    { objects: localManifests({ kustomize: overlay, root: packageRoot() }), namespace: 'a-team' },
    world,
    status,
    'a-team',
  );
  const guard = requestGuard('127.0.0.1');
  return {
    name: 'front-doors',
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'HEAD', 'GeT', ''),
      target: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            '/',
            '/?fail=true',
            'http://[',
            'http://silly-demo.127.0.0.1.nip.io/x',
            '*',
            'a:80',
            '[::1]:8080',
            '//x/../y',
            '/%zz?a=%',
            '/a/./b/../c',
            'https://u:p@h:99999/',
            'http://h:-1/',
          ),
        },
        fc.string({ maxLength: 30 }),
      ),
      path: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...CONTROL_PATHS.map((p) => `/canarysim/v1${p}`)) },
        fc.string({ maxLength: 20 }),
      ),
      body: fc.dictionary(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CONTROL_KEYS) }, fc.string({ maxLength: 6 })),
        JSONISH,
        { maxKeys: 4 },
      ),
      host: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            '127.0.0.1:8080',
            'localhost',
            '[::1]:1',
            'evil.example',
            '127.0.0.1.nip.io',
            '',
          ),
        },
        fc.string({ maxLength: 12 }),
      ),
      origin: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom('', 'null', 'http://127.0.0.1:9', 'http://evil.example', 'file://'),
        },
        fc.string({ maxLength: 12 }),
      ),
    }),
    show: (r) => JSON.stringify(r),
    async check(r) {
      await applied;
      try {
        parseRequestTarget(r.method, r.target);
        guard({ ...(r.host ? { host: r.host } : {}), ...(r.origin ? { origin: r.origin } : {}) });
      } catch (e) {
        throw crash(r, e);
      }
      let res;
      try {
        res = await handleControl(r.method, r.path, r.body, world, status, 'a-team');
      } catch (e) {
        throw crash(r, e);
      }
      if (res && res.status >= 500)
        throw new FuzzFailure('crash', `answered ${res.status}: ${res.body.slice(0, 200)}`, r);
      return !res || res.status >= 400 ? 'refused' : 'accepted';
    },
  };
}

/** Every target, by name. */
export function fuzzTargets(): FuzzTarget<never>[] {
  return [
    promqlTarget(),
    conditionTarget(),
    durationTarget(),
    manifestTarget(),
    prometheusApiTarget(),
    frontDoorTarget(),
  ] as unknown as FuzzTarget<never>[];
}
