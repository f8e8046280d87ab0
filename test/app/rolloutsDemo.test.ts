import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import '../../app/builtins/index.js';
import { rolloutsDemo, ROLLOUTS_DEMO_TAGS } from '../../app/builtins/index.js';
import { lookupImage } from '../../app/catalogue.js';
import type { ContainerConfig } from '../../app/types.js';
import { container, only, probability, proc, req } from './appHelpers.js';

const IMAGE = 'argoproj/rollouts-demo';

function app(tag: string, over: Partial<ContainerConfig> = {}) {
  const a = rolloutsDemo(tag, container(`${IMAGE}:${tag}`, over));
  if (!a) throw new Error(`no image ${tag}`);
  return a;
}

const color = (tag: string, body?: string, over: Partial<ContainerConfig> = {}) =>
  app(tag, over).respond(req('/color', { method: 'POST', ...(body !== undefined ? { body } : {}) }), proc());

const p500 = (tag: string, body?: string, over: Partial<ContainerConfig> = {}) =>
  probability(color(tag, body, over), (a) => a.status === 500);

describe('rollouts-demo images', () => {
  it('has the 18 tags release.sh pushes', () => {
    expect(ROLLOUTS_DEMO_TAGS).toHaveLength(18);
    for (const c of ['red', 'orange', 'yellow', 'green', 'blue', 'purple'])
      for (const t of [c, `bad-${c}`, `slow-${c}`])
        expect(rolloutsDemo(t, container(`${IMAGE}:${t}`))).toBeDefined();
  });

  it.each(['latest', 'pink', 'bad-pink', 'slow-', 'Blue', 'v1', 'bad-slow-blue'])(
    'has no tag %s (the pull fails)',
    (t) => {
      expect(rolloutsDemo(t, container(`${IMAGE}:${t}`))).toBeUndefined();
    },
  );

  it('is registered under its Docker Hub names', () => {
    for (const image of [`${IMAGE}:blue`, `docker.io/${IMAGE}:blue`]) {
      const found = lookupImage(container(image));
      expect(found.kind).toBe('builtin');
      if (found.kind === 'builtin') expect(found.app.kind).toBe('rollouts-demo');
    }
    expect(lookupImage(container(`${IMAGE}:latest`))).toEqual({ kind: 'missing', repository: IMAGE });
  });

  it('listens on 8080, starts in 50 ms, keeps serving 10 s after SIGTERM, exports no metrics', () => {
    const a = app('blue');
    expect([
      a.kind,
      a.port,
      a.startupMs,
      a.terminationDelayMs,
      a.metrics,
      a.exitAtStart,
      a.unsupported,
    ]).toEqual(['rollouts-demo', 8080, 50, 10_000, undefined, undefined, undefined]);
    expect(a.description).toBe('rollouts-demo blue (blue)');
    expect(app('bad-blue').description).toBe(
      'rollouts-demo bad-blue (blue, ERROR_RATE=15: 85 % of /color answers are 500)',
    );
  });
});

describe('rollouts-demo /color', () => {
  it('answers the colour in quotes, as plain text with nosniff, for any method', () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const a = only(app('blue').respond(req('/color', { method }), proc()));
      expect(a).toEqual({
        weight: 1,
        status: 200,
        body: '"blue"',
        contentType: 'text/plain; charset=utf-8',
        headers: { 'x-content-type-options': 'nosniff' },
      });
    }
  });

  it('writes no body for HEAD', () => {
    expect(only(app('blue').respond(req('/color', { method: 'HEAD' }), proc())).body).toBe('');
  });

  it.each([
    // [tag, env, body, P(500)]
    ['blue', {}, undefined, 0],
    ['bad-blue', {}, undefined, 0.85],
    ['slow-blue', {}, undefined, 0],
    ['blue', { ERROR_RATE: '15' }, undefined, 0.85],
    ['blue', { ERROR_RATE: '50' }, undefined, 0.5],
    ['blue', { ERROR_RATE: '1' }, undefined, 0.99],
    ['blue', { ERROR_RATE: '99' }, undefined, 0.01],
    ['blue', { ERROR_RATE: '100' }, undefined, 0],
    ['blue', { ERROR_RATE: '250' }, undefined, 0],
    ['blue', { ERROR_RATE: '0' }, undefined, 0],
    ['blue', { ERROR_RATE: '-5' }, undefined, 0],
    ['bad-blue', { ERROR_RATE: '' }, undefined, 0],
    ['bad-blue', { ERROR_RATE: '40' }, undefined, 0.6],
    ['blue', {}, '[{"color":"blue","return500":30}]', 0.31],
    ['blue', {}, '[{"color":"blue","return500":0}]', 0],
    ['blue', {}, '[{"color":"blue","return500":-3}]', 0],
    ['blue', {}, '[{"color":"blue","return500":98}]', 0.99],
    ['blue', {}, '[{"color":"blue","return500":99}]', 1],
    ['blue', {}, '[{"color":"blue","return500":5000}]', 1],
    ['blue', {}, '[{"color":"red","return500":99}]', 0],
    ['blue', {}, '[{"color":"blue","return500":10},{"color":"blue","return500":50}]', 0.51],
    ['blue', {}, '[{"color":"blue","return500":50},{"color":"blue"}]', 0],
    ['blue', {}, '[{"COLOR":"blue","Return500":99}]', 1],
    ['blue', {}, '[{"color":"blue","return500":30,"return500":null}]', 0],
    ['bad-blue', {}, '[{"color":"blue","return500":30}]', 0.31 + 0.69 * 0.85],
    ['bad-blue', {}, '[{"color":"blue","return500":99}]', 1],
  ] as const)('%s with env %j and body %s: P(500) = %d', (tag, env, body, p) => {
    expect(p500(tag, body, { env })).toBeCloseTo(p, 12);
  });

  it('uses integer weights: bad-* is 85 to 15, return500 30 on a bad image 8,965 of 10,000', () => {
    expect(color('bad-blue').map((a) => [a.status, a.weight])).toEqual([
      [200, 3],
      [500, 17],
    ]);
    const w = color('bad-blue', '[{"color":"blue","return500":30}]').map((a) => [a.status, a.weight]);
    expect(w).toEqual([
      [200, 207],
      [500, 1793],
    ]);
  });

  it.each([
    // [tag, env, body, latency ms (undefined: the usual), requested]
    ['blue', {}, undefined, undefined, false],
    ['slow-blue', {}, undefined, 2000, false],
    ['blue', { LATENCY: '2.7' }, undefined, 2000, false],
    ['blue', { LATENCY: '0.9' }, undefined, undefined, false],
    ['blue', { LATENCY: '-3' }, undefined, undefined, false],
    ['blue', { LATENCY: '1e10' }, undefined, undefined, false],
    ['blue', { LATENCY: 'inf' }, undefined, undefined, false],
    ['slow-blue', { LATENCY: '' }, undefined, undefined, false],
    ['blue', {}, '[{"color":"blue","delayLength":3.2}]', 3000, true],
    ['blue', {}, '[{"color":"blue","delayLength":0.5}]', undefined, false],
    ['slow-blue', {}, '[{"color":"blue","delayLength":0.5}]', undefined, false],
    ['slow-blue', {}, '[{"color":"blue","delayLength":0}]', 2000, false],
    ['slow-blue', {}, '[{"color":"red","delayLength":4}]', 2000, false],
    ['bad-blue', {}, '[{"color":"blue","delayLength":1}]', 1000, true],
  ] as const)('%s with env %j and body %s: latency %s ms', (tag, env, body, ms, requested) => {
    const answers = color(tag, body, { env });
    for (const a of answers) {
      expect(a.latency === undefined ? undefined : a.latency.shiftMs).toBe(ms);
      if (a.latency) expect([a.latency.medianMs, a.latency.widthMs ?? 0]).toEqual([0, 0]);
      expect(a.requestedLatency === true).toBe(requested);
    }
  });

  it('answers every colour with weight 1 when COLOR is empty, matching body entries per colour', () => {
    const answers = color('blue', '[{"color":"red","return500":99}]', {
      env: { COLOR: '', ERROR_RATE: '15' },
    });
    const colours = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'];
    for (const c of colours) expect(probability(answers, (a) => a.body === `"${c}"`)).toBeCloseTo(1 / 6, 12);
    const red = answers.filter((a) => a.body === '"red"');
    expect(probability(red, (a) => a.status === 500)).toBe(1);
    const blue = answers.filter((a) => a.body === '"blue"');
    expect(probability(blue, (a) => a.status === 500)).toBeCloseTo(0.85, 12);
    expect(probability(answers, (a) => a.status === 500)).toBeCloseTo(1 / 6 + (5 / 6) * 0.85, 12);
  });

  it('takes COLOR from the container over the image', () => {
    expect(only(color('blue', undefined, { env: { COLOR: 'pink' } })).body).toBe('"pink"');
  });

  it.each([
    ['', undefined],
    ['"[]"', undefined],
    ['[]', undefined],
    ['null', undefined],
    ['[null]', undefined],
    ['[{"unknown":{"deep":[1,2,{"x":null}]}}]', undefined],
    ['{}', 'json: cannot unmarshal object into Go value of type []main.colorParameters'],
    ['"blue"', 'json: cannot unmarshal string into Go value of type []main.colorParameters'],
    ['17', 'json: cannot unmarshal number into Go value of type []main.colorParameters'],
    ['true', 'json: cannot unmarshal bool into Go value of type []main.colorParameters'],
    ['[1]', 'json: cannot unmarshal number into Go value of type main.colorParameters'],
    ['[[]]', 'json: cannot unmarshal array into Go value of type main.colorParameters'],
    [
      '[{"color":5}]',
      'json: cannot unmarshal number into Go struct field colorParameters.color of type string',
    ],
    [
      '[{"color":{}}]',
      'json: cannot unmarshal object into Go struct field colorParameters.color of type string',
    ],
    [
      '[{"delayLength":"1"}]',
      'json: cannot unmarshal string into Go struct field colorParameters.delayLength of type float64',
    ],
    [
      '[{"delayLength":1e999}]',
      'json: cannot unmarshal number 1e999 into Go struct field colorParameters.delayLength of type float64',
    ],
    [
      '[{"return500":1e2}]',
      'json: cannot unmarshal number 1e2 into Go struct field colorParameters.return500 of type int',
    ],
    [
      '[{"return500":30.5}]',
      'json: cannot unmarshal number 30.5 into Go struct field colorParameters.return500 of type int',
    ],
    [
      '[{"return500":true}]',
      'json: cannot unmarshal bool into Go struct field colorParameters.return500 of type int',
    ],
    [
      '[{"return500":99999999999999999999}]',
      'json: cannot unmarshal number 99999999999999999999 into Go struct field colorParameters.return500 of type int',
    ],
    [
      '[{"color":1},{"return500":"x"}]',
      'json: cannot unmarshal number into Go struct field colorParameters.color of type string',
    ],
    ['[', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['[{"color":"blue"', 'unexpected end of JSON input'],
    ['"abc', 'unexpected end of JSON input'],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    ['fals', "invalid character ' ' in literal false (expecting 'e')"],
    ['tx', "invalid character 'x' in literal true (expecting 'r')"],
    ['-', "invalid character ' ' in numeric literal"],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['1e', "invalid character ' ' in exponent of numeric literal"],
    ['1e+', "invalid character ' ' in exponent of numeric literal"],
    ['[-]', "invalid character ']' in numeric literal"],
    ['[01]', "invalid character '1' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{1:2}', "invalid character '1' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['[] x', "invalid character 'x' after top-level value"],
    ['"a\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"\\', "invalid character ' ' in string escape code"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ["'x'", "invalid character '\\'' looking for beginning of value"],
    ['\ufeff[]', "invalid character 'ï' looking for beginning of value"],
    ['%', "invalid character '%!'(MISSING) looking for beginning of value"],
    ['[%]', "invalid character '%!'(MISSING) looking for beginning of value"],
  ])('body %j: %s', (body, error) => {
    const answers = color('blue', body);
    if (error === undefined) {
      expect(answers.every((a) => a.status === 200 && a.body === '"blue"')).toBe(true);
    } else {
      // Go writes the error text after WriteHeader(500); net/http sniffs it as plain text, no nosniff.
      expect(only(answers)).toEqual({
        weight: 1,
        status: 500,
        body: error,
        contentType: 'text/plain; charset=utf-8',
      });
    }
  });

  it('rejects JSON nested deeper than Go allows', () => {
    expect(only(color('blue', '['.repeat(10_001))).body).toBe("invalid character '[' exceeded max depth");
    expect(only(color('blue', '['.repeat(10_000))).body).toBe('unexpected end of JSON input');
  });
});

describe("rollouts-demo's FileServer", () => {
  const get = (path: string, method = 'GET', query: Record<string, string> = {}) =>
    only(app('blue').respond(req(path, { method, query }), proc()));

  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/main.js', 'application/javascript'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/logo.png', 'image/png'],
    ['/demo.png', 'image/png'],
    ['/favicon.ico', 'image/x-icon'],
    ['/rollouts-demo', 'application/octet-stream'],
  ])('serves %s as %s', (path, type) => {
    const a = get(path);
    expect([a.status, a.contentType, a.headers]).toEqual([200, type, { 'accept-ranges': 'bytes' }]);
  });

  it('serves files whatever the method, as Go’s FileServer does', () => {
    for (const m of ['POST', 'PUT', 'DELETE']) expect(get('/main.js', m).status).toBe(200);
    expect(get('/', 'HEAD').body).toBe('');
  });

  it.each([
    '/nope',
    '/color/',
    '/a/b',
    '/constructor',
    '/__proto__',
    '/index.htm',
    '/main.js.map',
    '/style.scss',
  ])('404s %s with Go’s text', (path) => {
    expect(get(path)).toEqual({
      weight: 1,
      status: 404,
      body: '404 page not found\n',
      contentType: 'text/plain; charset=utf-8',
      headers: { 'x-content-type-options': 'nosniff' },
    });
  });

  it.each([
    ['/index.html', {}, './'],
    ['/foo/index.html', {}, './'],
    ['/index.html', { a: '1' }, './?a=1'],
    ['/main.js/', {}, '../main.js'],
  ])('redirects %s (query %j) to %s with a bare 301', (path, query, location) => {
    expect(get(path, 'GET', query)).toEqual({ weight: 1, status: 301, body: '', headers: { location } });
  });

  it('redirects an unclean path as ServeMux does, with a body for GET only', () => {
    expect(get('//color', 'GET', { x: 'y' })).toEqual({
      weight: 1,
      status: 301,
      body: '<a href="/color?x=y">Moved Permanently</a>.\n\n',
      contentType: 'text/html; charset=utf-8',
      headers: { location: '/color?x=y' },
    });
    expect(get('/a/../main.js', 'POST')).toEqual({
      weight: 1,
      status: 301,
      body: '',
      headers: { location: '/main.js' },
    });
  });

  it('serves the same script and stylesheet that index.html carries inline', () => {
    const html = get('/').body;
    expect(html).toContain(get('/main.js').body);
    expect(html).toContain(get('/style.css').body);
  });
});

describe('rollouts-demo start-up', () => {
  const start = (over: Partial<ContainerConfig>) => {
    const a = app('blue', over);
    return {
      exit: a.exitAtStart,
      unsupported: a.unsupported,
      port: a.port,
      termination: a.terminationDelayMs,
    };
  };

  it.each([
    [['-termination-delay=5'], 5000],
    [['--termination-delay=5'], 5000],
    [['-termination-delay', '5'], 5000],
    [['--termination-delay', '0x10'], 16_000],
    [['-termination-delay=0'], 0],
    [['-termination-delay=-3'], 0],
    [['stop', '-termination-delay=5'], 10_000],
    [['--', '-termination-delay=5'], 10_000],
  ])('args %j: keeps serving %d ms after SIGTERM', (args, ms) => {
    expect(start({ args })).toEqual({ exit: undefined, unsupported: undefined, port: 8080, termination: ms });
  });

  it.each([
    [['-foo'], 2, 'flag provided but not defined: -foo'],
    [['--foo=1'], 2, 'flag provided but not defined: -foo'],
    [['-termination-delay=abc'], 2, 'invalid value "abc" for flag -termination-delay: parse error'],
    [
      ['-termination-delay=99999999999999999999'],
      2,
      'invalid value "99999999999999999999" for flag -termination-delay: value out of range',
    ],
    [['-termination-delay'], 2, 'flag needs an argument: -termination-delay'],
    [['-tls=maybe'], 2, 'invalid boolean value "maybe" for -tls: parse error'],
    [['---x'], 2, 'bad flag syntax: ---x'],
    [['-=x'], 2, 'bad flag syntax: -=x'],
    [['-h'], 0, 'printed its usage (-help) and exited'],
    [['--help'], 0, 'printed its usage (-help) and exited'],
    [['-cpu-burn=two'], 1, 'strconv.Atoi: parsing "two": invalid syntax'],
    [['-listen-addr=8080'], 1, 'Could not listen on 8080: listen tcp: address 8080: missing port in address'],
    [['-listen-addr=:99999'], 1, 'Could not listen on :99999: listen tcp: address 99999: invalid port'],
    [['-listen-addr=:web'], 1, 'Could not listen on :web: listen tcp: lookup tcp/web: unknown port'],
    [
      ['-listen-addr=a:b:80'],
      1,
      'Could not listen on a:b:80: listen tcp: address a:b:80: too many colons in address',
    ],
  ])('args %j: exits %d (%s)', (args, code, reason) => {
    expect(start({ args }).exit).toEqual({ code, reason });
  });

  it.each([
    [['-listen-addr=:9090'], 9090],
    [['-listen-addr', '0.0.0.0:7000'], 7000],
    [['-listen-addr=[::]:7001'], 7001],
    [['-listen-addr=:http'], 80],
    [['-listen-addr='], 80],
  ])('args %j: listens on %d', (args, port) => {
    expect(start({ args })).toMatchObject({ exit: undefined, unsupported: undefined, port });
  });

  it.each([
    [['-tls'], '-tls'],
    [['-tls', 'false'], '-tls'],
    [['-listen-addr=127.0.0.1:8080'], '127.0.0.1'],
    [['-listen-addr=:0'], 'random port'],
  ])('args %j: refused as unsupported (%s)', (args, word) => {
    const s = start({ args });
    expect(s.exit).toBeUndefined();
    expect(s.unsupported).toContain(word);
  });

  it('accepts -tls=false and notes -cpu-burn without simulating it', () => {
    expect(start({ args: ['-tls=false'] }).unsupported).toBeUndefined();
    expect(app('blue', { args: ['-cpu-burn=all'] }).description).toBe(
      'rollouts-demo blue (blue, -cpu-burn=all (CPU load not simulated))',
    );
  });

  it.each([
    [{ LATENCY: 'abc' }, 'failed to parse LATENCY: abc'],
    [{ LATENCY: '1,5' }, 'failed to parse LATENCY: 1,5'],
    [{ ERROR_RATE: '1.5' }, 'failed to parse ERROR_RATE: 1.5'],
    [{ ERROR_RATE: ' 15' }, 'failed to parse ERROR_RATE:  15'],
    [{ ERROR_RATE: 'x', LATENCY: 'y' }, 'failed to parse LATENCY: y'],
  ])('env %j panics in init (exit 2): %s', (env, reason) => {
    expect(start({ env }).exit).toEqual({ code: 2, reason });
    // init() runs before flag.Parse: a bad flag does not change the outcome.
    expect(start({ env, args: ['-nope'] }).exit).toEqual({ code: 2, reason });
  });

  it.each([
    [['/rollouts-demo', '-termination-delay=3'], [], undefined, 3000],
    [['./rollouts-demo'], ['-termination-delay=4'], undefined, 4000],
    [['rollouts-demo'], [], 'exec: "rollouts-demo": executable file not found in $PATH', 10_000],
    [
      ['/app/rollouts-demo'],
      [],
      'exec: "/app/rollouts-demo": stat /app/rollouts-demo: no such file or directory',
      10_000,
    ],
    [['sh', '-c', 'x'], [], 'exec: "sh": executable file not found in $PATH', 10_000],
  ])('command %j args %j: %s', (command, args, failure, ms) => {
    const s = start({ command, args });
    expect(s.exit).toEqual(failure === undefined ? undefined : { code: 128, reason: failure });
    if (!failure) expect(s.termination).toBe(ms);
  });
});

describe('rollouts-demo page', () => {
  const html = only(app('blue').respond(req('/'), proc())).body;

  it('is a small, self-contained HTML document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(Buffer.byteLength(html)).toBeLessThan(20_000);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    // Every element the script looks up exists once.
    for (const id of [
      'colors',
      'start',
      'stop',
      'latency',
      'latency-label',
      'error',
      'error-label',
      'grid',
      'graph',
      'fit',
    ])
      expect(html.match(new RegExp(`id="${id}"`, 'g'))).toHaveLength(1);
    // Tags outside the inline script and style balance.
    const markup = html.replace(/<script>[\s\S]*?<\/script>/, '').replace(/<style>[\s\S]*?<\/style>/, '');
    const stack: string[] = [];
    for (const [, close, name] of markup.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/g)) {
      if (['meta', 'link', 'input', 'rect', 'br'].includes(name!)) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name!);
    }
    expect(stack).toEqual([]);
  });

  it('names the palette, the controls and the polling of ./color', () => {
    for (const hex of [
      '#FB3D3D',
      '#FB823D',
      '#C9FF0D',
      '#3DFB78',
      '#0B9AFF',
      '#6D3DFB',
      '#010101',
      '#272727',
    ])
      expect(html).toContain(hex);
    expect(html).toContain('ARGO ROLLOUTS <span class="accent">DEMO</span>');
    expect(html).toContain(`fetch('./color', { method: 'POST'`);
    expect(html).toContain('const TICK_MS = 20;');
    expect(html).toContain('const LIT_MS = 4000;');
    expect(html).toContain('const BUCKET_S = 5;');
    expect(html).toContain('id="latency" type="range" min="0" max="5" step="0.1"');
    expect(html).toContain('id="error" type="range" min="0" max="100" step="1"');
    expect(html).toContain(
      'return JSON.stringify(\n      [...colours].map(([color, c]) => ({ color, return500: c.error, delayLength: c.latency })),',
    );
    expect(html).toContain("if (colours.size === 0) return '[]';");
    expect(html).toContain("document.addEventListener('visibilitychange'");
  });

  it('parses its own script', () => {
    const script = /<script>\n([\s\S]*)<\/script>/.exec(html)![1]!;
    // Syntax only: compiling does not run it.
    expect(() => new Script(script)).not.toThrow();
  });
});
