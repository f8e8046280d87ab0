import { describe, expect, it } from 'vitest';
import { podinfo } from '../../app/builtins/index.js';
import { podinfoEnvName, podinfoStart, type PodinfoConfig } from '../../app/builtins/podinfoFlags.js';
import type { ContainerConfig } from '../../app/types.js';
import { container, only, proc, req } from './appHelpers.js';

const IMAGE = 'ghcr.io/stefanprodan/podinfo:6.14.1';

function start(over: Partial<ContainerConfig>) {
  return podinfoStart('6.14.1', 'rev', container(IMAGE, over));
}

/** The settings of a podinfo started as `./podinfo <flags>` with `env`. */
function config(flags: string[], env: Record<string, string> = {}): PodinfoConfig {
  const s = start({ command: ['./podinfo', ...flags], env });
  if (s.kind !== 'run') throw new Error(`did not start: ${JSON.stringify(s)}`);
  return s.config;
}

function exit(flags: string[], env: Record<string, string> = {}) {
  const s = start({ command: ['./podinfo', ...flags], env });
  return s.kind === 'exit' ? { code: s.code, reason: s.reason } : s;
}

describe('podinfo flags', () => {
  it('has podinfo’s defaults', () => {
    const c = config([]);
    expect(c).toMatchObject({
      host: '',
      prefix: '/',
      port: 9898,
      portMetrics: 0,
      grpcPort: 0,
      level: 'info',
      backendUrl: [],
      httpServerTimeoutMs: 30_000,
      dataPath: '/data',
      configPath: '',
      config: 'config.yaml',
      uiPath: './ui',
      uiLogo: 'https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif',
      uiColor: '#34577c',
      uiMessage: 'greetings from podinfo v6.14.1',
      h2c: false,
      randomDelay: false,
      randomDelayUnit: 's',
      randomDelayMin: 0,
      randomDelayMax: 5,
      randomError: false,
      unhealthy: false,
      unready: false,
      stressCpu: 0,
      stressMemory: 0,
      cacheServer: '',
      jwtSecret: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      argv: ['./podinfo'],
    });
  });

  it.each([
    [['--port=8080'], 'port', 8080],
    [['--port', '8080'], 'port', 8080],
    [['--port=0x1F90'], 'port', 8080],
    [['--random-error'], 'randomError', true],
    [['--random-error=true'], 'randomError', true],
    [['--random-error=false'], 'randomError', false],
    [['--random-error', 'false'], 'randomError', true],
    [['--random-error=0'], 'randomError', false],
    [['--random-delay-unit', 'ms'], 'randomDelayUnit', 'ms'],
    [['--http-server-timeout=1m30s'], 'httpServerTimeoutMs', 90_000],
    [
      ['--backend-url=http://a,http://b', '--backend-url', 'http://c'],
      'backendUrl',
      ['http://a', 'http://b', 'http://c'],
    ],
    [['--prefix=api/v1/'], 'prefix', '/api/v1'],
    [['--prefix=  '], 'prefix', '/'],
    [['--prefix=/a/../b'], 'prefix', '/b'],
    [['positional', '--unready', 'more'], 'unready', true],
    [['--', '--unready'], 'unready', false],
    [['-v=false', '--level=debug'], 'level', 'debug'],
  ])('%j sets %s to %j', (flags, key, value) => {
    expect(config(flags)[key as keyof PodinfoConfig]).toEqual(value);
  });

  it('names the environment variables as viper does', () => {
    expect(podinfoEnvName('random-delay-max')).toBe('PODINFO_RANDOM_DELAY_MAX');
    expect(podinfoEnvName('ui-color')).toBe('PODINFO_UI_COLOR');
  });

  it.each([
    [{ PODINFO_UI_COLOR: '#000000' }, [], 'uiColor', '#000000'],
    [{ PODINFO_UI_COLOR: '#000000' }, ['--ui-color=#ffffff'], 'uiColor', '#ffffff'],
    [{ PODINFO_UI_COLOR: '' }, [], 'uiColor', '#34577c'],
    [{ PODINFO_UI_MESSAGE: 'hi' }, [], 'uiMessage', 'hi'],
    [{ PODINFO_UI_LOGO: 'logo.png' }, [], 'uiLogo', 'logo.png'],
    [{ PODINFO_RANDOM_ERROR: 'true' }, [], 'randomError', true],
    [{ PODINFO_RANDOM_ERROR: '1' }, [], 'randomError', true],
    [{ PODINFO_RANDOM_ERROR: 'true' }, ['--random-error=false'], 'randomError', false],
    [{ PODINFO_RANDOM_DELAY_MAX: '10' }, [], 'randomDelayMax', 10],
    [{ PODINFO_PORT: '7000' }, [], 'port', 7000],
    [{ PODINFO_PORT: '7000' }, ['--port=8000'], 'port', 8000],
    // main() replaces a port that is no integer with the flag's value.
    [{ PODINFO_PORT: 'http' }, [], 'port', 9898],
    [{ PODINFO_PORT: 'http' }, ['--port', '9000'], 'port', 9000],
    [{ PODINFO_HTTP_SERVER_TIMEOUT: '5s' }, [], 'httpServerTimeoutMs', 5000],
    [{ PODINFO_BACKEND_URL: 'http://a,http://b' }, [], 'backendUrl', ['http://a', 'http://b']],
    [{ PODINFO_LEVEL: 'debug' }, [], 'level', 'debug'],
    [{ PODINFO_JWT_SECRET: 'x' }, [], 'jwtSecret', 'x'],
    [{ PODINFO_STRESS_CPU: 'lots' }, [], 'stressCpu', 0],
    [{ RANDOM_ERROR: 'true' }, [], 'randomError', false],
  ])('env %j with %j: %s is %j', (env, flags, key, value) => {
    expect(config(flags, env)[key as keyof PodinfoConfig]).toEqual(value);
  });

  it.each([
    [['--foo'], 2, 'Error: unknown flag: --foo'],
    [['--foo=1'], 2, 'Error: unknown flag: --foo'],
    [['-x'], 2, "Error: unknown shorthand flag: 'x' in -x"],
    [['-vx'], 2, "Error: unknown shorthand flag: 'x' in -x"],
    [['---port'], 2, 'Error: bad flag syntax: ---port'],
    [['--port'], 2, 'Error: flag needs an argument: --port'],
    [
      ['--port=abc'],
      2,
      'Error: invalid argument "abc" for "--port" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    ],
    [
      ['--port=08'],
      2,
      'Error: invalid argument "08" for "--port" flag: strconv.ParseInt: parsing "08": invalid syntax',
    ],
    [
      ['--random-error=yes'],
      2,
      'Error: invalid argument "yes" for "--random-error" flag: strconv.ParseBool: parsing "yes": invalid syntax',
    ],
    [
      ['-v=maybe'],
      2,
      'Error: invalid argument "maybe" for "-v, --version" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
    [
      ['--http-server-timeout=30'],
      2,
      'Error: invalid argument "30" for "--http-server-timeout" flag: time: missing unit in duration "30"',
    ],
    [['--help'], 0, 'printed its usage (--help) and exited'],
    [['-h'], 0, 'printed its usage (--help) and exited'],
    [['--version'], 0, 'printed its version (6.14.1) and exited'],
    [['-v'], 0, 'printed its version (6.14.1) and exited'],
    [
      ['--random-delay-min=3', '--random-delay-max=2'],
      2,
      'panic: `--random-delay-max` should be greater than `--random-delay-min`',
    ],
    [['--random-delay-unit=m'], 2, 'panic: `random-delay-unit` accepted values are: s|ms'],
    [['--port=99999'], 1, 'HTTP server crashed: listen tcp: address 99999: invalid port'],
    [['--port=-1'], 1, 'HTTP server crashed: listen tcp: address -1: invalid port'],
    [['--grpc-port=70000'], 1, 'failed to listen (gRPC port 70000)'],
    [['--grpc-port=9898'], 1, 'HTTP server crashed: listen tcp :9898: bind: address already in use'],
  ])('%j exits %d: %s', (flags, code, reason) => {
    expect(exit(flags)).toEqual({ code, reason });
  });

  it.each([
    [
      { PODINFO_RANDOM_ERROR: 'yes' },
      'cannot parse \'random-error\' as bool: strconv.ParseBool: parsing "yes": invalid syntax',
    ],
    [
      { PODINFO_RANDOM_DELAY_MAX: 'ten' },
      'cannot parse \'random-delay-max\' as int: strconv.ParseInt: parsing "ten": invalid syntax',
    ],
    [
      { PODINFO_HTTP_SERVER_TIMEOUT: '30' },
      'error decoding \'http-server-timeout\': time: missing unit in duration "30"',
    ],
  ])('env %j panics in viper.Unmarshal (exit 2)', (env, why) => {
    expect(exit([], env)).toEqual({ code: 2, reason: `panic: config unmarshal failed: ${why}` });
  });

  it('checks the random-delay bounds before decoding the environment, reading bad numbers as 0', () => {
    expect(exit([], { PODINFO_RANDOM_DELAY_MIN: '1', PODINFO_RANDOM_DELAY_MAX: 'x' })).toEqual({
      code: 2,
      reason: 'panic: `--random-delay-max` should be greater than `--random-delay-min`',
    });
  });

  it.each([
    [[], [], 'run', undefined],
    [['./podinfo'], [], 'run', undefined],
    [['/home/app/podinfo', '--port=1'], [], 'run', undefined],
    [[], ['./podinfo', '--port=1'], 'run', undefined],
    [['./podinfo'], ['--port=1'], 'run', undefined],
    [['podinfo'], [], 'exit', 'exec: "podinfo": executable file not found in $PATH'],
    [['/podinfo'], [], 'exit', 'exec: "/podinfo": stat /podinfo: no such file or directory'],
    [[], ['--random-error'], 'exit', 'exec: "--random-error": executable file not found in $PATH'],
    [['sh', '-c', './podinfo --random-error'], [], 'other', '/bin/sh'],
    [['podcli', 'check', 'http', 'localhost:9898'], [], 'other', '/usr/local/bin/podcli'],
  ])('command %j args %j: %s', (command, args, kind, detail) => {
    const s = start({ command, args });
    expect(s.kind).toBe(kind);
    if (s.kind === 'exit') expect(s).toEqual({ kind: 'exit', code: 128, reason: detail });
    if (s.kind === 'other') expect(s.program).toBe(detail);
  });

  it('reads the flags from command then args', () => {
    expect(config(['--port=1']).argv).toEqual(['./podinfo', '--port=1']);
    const s = start({ command: ['./podinfo', '--port=1'], args: ['--port=2'] });
    expect(s.kind === 'run' && s.config.port).toBe(2);
  });
});

describe('podinfo flags canarysim cannot simulate', () => {
  const image = (command: string[], env: Record<string, string> = {}) =>
    podinfo('6.14.1', container(IMAGE, { command: ['./podinfo', ...command], env }))!;

  it.each([
    [['--backend-url=http://backend:9898/echo'], '--backend-url=http://backend:9898/echo'],
    [['--cache-server=tcp://redis:6379'], '--cache-server=tcp://redis:6379'],
    [['--stress-cpu=1'], '--stress-cpu=1'],
    [['--stress-memory=100'], '--stress-memory=100'],
    [['--secure-port=8443'], '--secure-port=8443'],
    [['--config-path=/podinfo/config'], '--config-path=/podinfo/config'],
    [['--config=/etc/podinfo.yaml'], '--config=/etc/podinfo.yaml'],
    [['--host=127.0.0.1'], '--host=127.0.0.1'],
  ])('%j is refused, naming the flag', (flags, named) => {
    const a = image(flags);
    expect(a.unsupported).toMatch(new RegExp(`^podinfo ${named.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(a.exitAtStart).toBeUndefined();
  });

  it('refuses settings given through the environment too, and lists several', () => {
    expect(image([], { PODINFO_BACKEND_URL: 'http://b' }).unsupported).toContain('--backend-url=http://b');
    expect(image(['--stress-cpu=1', '--cache-server=tcp://r:6379']).unsupported).toBe(
      'podinfo --cache-server=tcp://r:6379: /cache reads and writes Redis; --stress-cpu=1: CPU load that would slow every answer',
    );
  });

  it('refuses a container that runs another program', () => {
    const a = podinfo('6.14.1', container(IMAGE, { command: ['sh', '-c', './podinfo'] }))!;
    expect(a.unsupported).toBe('podinfo: the container runs /bin/sh, not podinfo');
  });

  it("accepts podinfo's own kustomize deployment, whose extra ports change nothing canarysim observes", () => {
    const a = image(
      [
        '--port=9898',
        '--port-metrics=9797',
        '--grpc-port=9999',
        '--grpc-service-name=podinfo',
        '--level=info',
        '--random-delay=false',
        '--random-error=false',
      ],
      { PODINFO_UI_COLOR: '#34577c' },
    );
    expect([a.unsupported, a.exitAtStart, a.port]).toEqual([undefined, undefined, 9898]);
    expect(a.description).toBe('podinfo 6.14.1 (metrics also on port 9797, gRPC on port 9999 not simulated)');
    expect(JSON.parse(only(a.respond(req('/api/info'), proc())).body).num_goroutine).toBe('11');
    expect(image(['--h2c', '--otel-service-name=podinfo', '--backend-url=']).unsupported).toBeUndefined();
  });

  it('has no HTTP server with --port=0', () => {
    const a = image(['--port=0']);
    expect([a.port, a.description]).toEqual([0, 'podinfo 6.14.1 (--port=0: no HTTP server)']);
    expect(only(a.respond(req('/'), proc()))).toEqual({ weight: 1, status: 502, body: '', noResponse: true });
  });

  it('answers nothing and fails probes when it does not start', () => {
    const a = image(['--nope']);
    expect(a.exitAtStart).toEqual({ code: 2, reason: 'Error: unknown flag: --nope' });
    expect(a.probe('readiness', '/readyz', proc())).toBe(false);
    expect(only(a.respond(req('/'), proc())).noResponse).toBe(true);
  });
});
