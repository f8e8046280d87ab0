import { describe, expect, it } from 'vitest';
import { podinfo, PODINFO_STATE } from '../../app/builtins/index.js';
import type { BuiltinAnswer } from '../../app/builtins/builtinTypes.js';
import type { AppRequest } from '../../app/types.js';
import { container, only, probability, proc, req } from './appHelpers.js';

const IMAGE = 'ghcr.io/stefanprodan/podinfo:6.14.1';

function app(flags: string[] = []) {
  return podinfo('6.14.1', container(IMAGE, { command: ['./podinfo', ...flags] }))!;
}

type State = Record<string, string | number | boolean>;
const call = (path: string, r: Partial<AppRequest> = {}, flags: string[] = [], state: State = {}) =>
  app(flags).respond(req(path, r), proc({ state }));
const one = (path: string, r: Partial<AppRequest> = {}, flags: string[] = [], state: State = {}) =>
  only(call(path, r, flags, state));

describe('podinfo middlewares', () => {
  const byStatus = (answers: BuiltinAnswer[]) =>
    Object.fromEntries([200, 400, 409, 500].map((s) => [s, probability(answers, (a) => a.status === s)]));

  it('fails one request in three with --random-error: 500, 400 or 409, empty, on every matched route', () => {
    for (const path of ['/', '/healthz', '/readyz', '/metrics', '/delay/1']) {
      const answers = call(path, {}, ['--random-error']);
      const p = byStatus(answers);
      expect(p[200]).toBeCloseTo(2 / 3, 12);
      for (const s of [500, 400, 409]) expect(p[s]).toBeCloseTo(1 / 9, 12);
      for (const a of answers.filter((x) => x.status !== 200))
        expect([a.body, a.contentType, a.headers]).toEqual(['', undefined, undefined]);
    }
    expect(call('/', {}, ['--random-error']).map((a) => a.weight)).toEqual([6, 1, 1, 1]);
  });

  it('delays every request by 0–4 whole seconds with --random-delay, errors too', () => {
    const answers = call('/', {}, ['--random-delay', '--random-error']);
    for (let s = 0; s < 5; s++) {
      const at = answers.filter((a) => (a.latency?.shiftMs ?? 0) === s * 1000);
      expect(probability(answers, (a) => at.includes(a))).toBeCloseTo(0.2, 12);
      expect(probability(at, (a) => a.status === 500)).toBeCloseTo(1 / 9, 12);
    }
    expect(answers.find((a) => a.latency === undefined)).toBeDefined();
  });

  it.each([
    [
      ['--random-delay-min=2', '--random-delay-max=4'],
      [2000, 3000],
    ],
    [
      ['--random-delay-unit=ms', '--random-delay-max=3'],
      [0, 1, 2],
    ],
    [
      ['--random-delay-min=-2', '--random-delay-max=1'],
      [0, 0, 0],
    ],
  ])('random delay %j: %j ms', (flags, ms) => {
    const answers = call('/', {}, ['--random-delay', ...flags]);
    expect(answers.map((a) => a.latency?.shiftMs ?? 0)).toEqual(ms);
    expect(answers.every((a) => a.weight === 1)).toBe(true);
  });

  it('adds the random delay to the one asked for', () => {
    const answers = call('/delay/2', {}, ['--random-delay', '--random-delay-max=2']);
    expect(answers.map((a) => a.latency?.shiftMs)).toEqual([2000, 3000]);
  });

  it('uses uniform pieces beyond 20 values, split at the WriteTimeout', () => {
    const ms = call('/', {}, ['--random-delay', '--random-delay-unit=ms', '--random-delay-max=1000']);
    expect(ms.map((a) => [a.weight, a.latency])).toEqual([
      [1, undefined],
      [999, { medianMs: 0, sigma: 0, shiftMs: 1, widthMs: 998 }],
    ]);
    const s = call('/', {}, ['--random-delay', '--random-delay-min=20', '--random-delay-max=60']);
    expect(s.map((a) => [a.weight, a.latency, a.noResponse, a.route])).toEqual([
      [1, { medianMs: 0, sigma: 0, shiftMs: 20_000, widthMs: 9000 }, undefined, 'root'],
      [3, { medianMs: 0, sigma: 0, shiftMs: 30_000, widthMs: 29_000 }, true, 'root'],
    ]);
    const forty = call('/', {}, ['--random-delay', '--random-delay-max=40']);
    expect(probability(forty, (a) => a.noResponse === true)).toBe(0.25);
  });

  it('drops every matched request when --random-delay-min equals the max (rand.Intn(0) panics)', () => {
    const a = one('/healthz', {}, ['--random-delay', '--random-delay-min=3', '--random-delay-max=3']);
    expect(a).toEqual({ weight: 1, status: 502, body: '', noResponse: true });
    expect(one('/nope', {}, ['--random-delay', '--random-delay-min=3', '--random-delay-max=3']).status).toBe(
      404,
    );
    expect(
      app(['--random-delay', '--random-delay-min=3', '--random-delay-max=3']).probe(
        'readiness',
        '/readyz',
        proc(),
      ),
    ).toBe(false);
  });
});

describe('podinfo probes', () => {
  it.each([
    // flags, state, kind, path, passes
    [[], {}, 'readiness', '/readyz', true],
    [['--unready'], {}, 'readiness', '/readyz', false],
    [['--unready'], { [PODINFO_STATE.ready]: true }, 'readiness', '/readyz', true],
    [[], { [PODINFO_STATE.ready]: false }, 'readiness', '/readyz', false],
    [[], {}, 'liveness', '/healthz', true],
    [['--unhealthy'], {}, 'liveness', '/healthz', false],
    [['--unhealthy'], { [PODINFO_STATE.ready]: true }, 'liveness', '/healthz', false],
    [['--random-error', '--random-delay'], {}, 'liveness', '/healthz', true],
    [['--random-error'], {}, 'readiness', '/', true],
    [[], { [PODINFO_STATE.faultInjection]: true }, 'readiness', '/', false],
    [[], { [PODINFO_STATE.faultInjection]: true }, 'readiness', '/readyz', true],
    [[], {}, 'readiness', '/nope', false],
    [[], {}, 'readiness', '/status/302', true],
    [[], {}, 'readiness', '/delay/40', false],
    [['--prefix=/api2'], {}, 'readiness', '/api2/readyz', true],
    [['--prefix=/api2'], {}, 'readiness', '/readyz', false],
    [['--port=0'], {}, 'readiness', '/readyz', false],
  ] as const)('%j state %j: %s probe of %s passes: %s', (flags, state, kind, path, passes) => {
    expect(app([...flags]).probe(kind, path, proc({ state }))).toBe(passes);
  });
});

describe('podinfo --prefix', () => {
  const flags = ['--prefix=api2/'];
  it.each([
    ['GET', '/api2', 200, 'api2'],
    ['GET', '/api2/', 200, 'api2'],
    ['GET', '/api2/healthz', 200, 'api2_healthz'],
    ['GET', '/api2/delay/1', 200, 'delay'],
    ['GET', '/api2/status/201', 201, 'status'],
    ['GET', '/api2/debug/pprof/', 404, 'api2_debug_pprof'],
    ['GET', '/healthz', 404, undefined],
    ['GET', '/', 404, undefined],
  ])('%s %s → %d counted as %s', (method, path, status, label) => {
    const a = one(path, { method }, flags);
    expect([a.status, a.route]).toEqual([status, label]);
  });

  it('keeps probes and metrics out of fault injection under the prefix', () => {
    const on = { [PODINFO_STATE.faultInjection]: true };
    expect(one('/api2/healthz', {}, flags, on).status).toBe(200);
    expect(one('/api2/metrics', {}, flags, on).status).toBe(200);
    expect(one('/api2/api/info', {}, flags, on).status).toBe(500);
  });

  it('points its UI and documentation at the prefix', () => {
    expect(one('/api2', { headers: { 'user-agent': 'Mozilla/5.0' } }, flags).body).toContain(
      'const prefix = "/api2";',
    );
    expect(JSON.parse(one('/api2/swagger/doc.json', {}, flags).body).basePath).toBe('/api2');
    expect(one('/api2/swagger/', {}, flags).headers).toEqual({ location: '/api2/swagger/index.html' });
    expect(app(flags).description).toBe('podinfo 6.14.1 (--prefix=/api2)');
  });
});
