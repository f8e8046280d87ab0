import { parseGoDuration } from '../../go/duration.js';
import { goDurationError } from '../../go/duration.js';
import { parseInt64 } from '../../go/strconv.js';
import type { ContainerConfig } from '../types.js';
import { containerStart } from './containerExec.js';
import { pathClean } from './goHttp.js';
import { isStrconvError, parseBool, parseIntBase0 } from '../../go/strconv.js';
import { parsePflags, type PflagDef, type PflagValue } from '../../go/pflag.js';

/** podinfo's settings after flags, PODINFO_* variables and defaults (viper's precedence). */
export interface PodinfoConfig {
  version: string;
  revision: string;
  /** os.Args, for /debug/pprof/cmdline. */
  argv: string[];
  host: string;
  /** `--prefix` normalised: `/` or a clean path without a trailing slash. */
  prefix: string;
  /** The HTTP port; 0: no HTTP server at all. */
  port: number;
  portMetrics: number;
  grpcPort: number;
  level: string;
  backendUrl: readonly string[];
  httpServerTimeoutMs: number;
  dataPath: string;
  certPath: string;
  configPath: string;
  config: string;
  uiPath: string;
  uiLogo: string;
  uiColor: string;
  uiMessage: string;
  h2c: boolean;
  randomDelay: boolean;
  randomDelayUnit: 's' | 'ms';
  randomDelayMin: number;
  randomDelayMax: number;
  randomError: boolean;
  unhealthy: boolean;
  unready: boolean;
  stressCpu: number;
  stressMemory: number;
  cacheServer: string;
  secureport: number;
  otelServiceName: string;
  jwtSecret: string;
}

/** How a podinfo container starts. */
export type PodinfoStart =
  | { kind: 'run'; config: PodinfoConfig }
  | { kind: 'exit'; code: number; reason: string }
  | { kind: 'other'; program: string };

/** podinfo's flags and defaults (cmd/podinfo/main.go, v6.14.1); durations in ms. */
function flagDefs(version: string): Record<string, PflagDef> {
  return {
    host: { type: 'string', default: '' },
    prefix: { type: 'string', default: '/' },
    port: { type: 'int', default: 9898n },
    'secure-port': { type: 'int', default: 0n },
    'port-metrics': { type: 'int', default: 0n },
    'grpc-port': { type: 'int', default: 0n },
    'grpc-service-name': { type: 'string', default: 'podinfo' },
    level: { type: 'string', default: 'info' },
    'backend-url': { type: 'stringSlice', default: [] },
    'http-client-timeout': { type: 'duration', default: 120_000 },
    'http-server-timeout': { type: 'duration', default: 30_000 },
    'server-shutdown-timeout': { type: 'duration', default: 5_000 },
    'data-path': { type: 'string', default: '/data' },
    'config-path': { type: 'string', default: '' },
    'cert-path': { type: 'string', default: '/data/cert' },
    config: { type: 'string', default: 'config.yaml' },
    'ui-path': { type: 'string', default: './ui' },
    'ui-logo': { type: 'string', default: '' },
    'ui-color': { type: 'string', default: '#34577c' },
    'ui-message': { type: 'string', default: `greetings from podinfo v${version}` },
    h2c: { type: 'bool', default: false },
    'random-delay': { type: 'bool', default: false },
    'random-delay-unit': { type: 'string', default: 's' },
    'random-delay-min': { type: 'int', default: 0n },
    'random-delay-max': { type: 'int', default: 5n },
    'random-error': { type: 'bool', default: false },
    unhealthy: { type: 'bool', default: false },
    unready: { type: 'bool', default: false },
    'stress-cpu': { type: 'int', default: 0n },
    'stress-memory': { type: 'int', default: 0n },
    'cache-server': { type: 'string', default: '' },
    'otel-service-name': { type: 'string', default: '' },
    version: { type: 'bool', default: false },
  };
}

/** viper.SetDefault values, which beat a flag's own default but not the environment. */
const VIPER_DEFAULTS: Readonly<Record<string, string>> = {
  'ui-logo': 'https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif',
  'jwt-secret': 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
};

/** podinfo's image: CMD ["./podinfo"] in WORKDIR /home/app, on alpine with curl, nc and podcli. */
const IMAGE = {
  entrypoint: [],
  cmd: ['./podinfo'],
  workdir: '/home/app',
  path: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  binary: '/home/app/podinfo',
  others: [
    '/bin/sh',
    '/bin/ash',
    '/bin/busybox',
    '/bin/sleep',
    '/bin/cat',
    '/bin/echo',
    '/bin/ls',
    '/usr/bin/env',
    '/usr/bin/curl',
    '/usr/bin/nc',
    '/usr/local/bin/podcli',
  ],
} as const;

/** The environment variable viper reads for a key: `random-delay` → `PODINFO_RANDOM_DELAY`. */
export function podinfoEnvName(key: string): string {
  return `PODINFO_${key.toUpperCase().replace(/-/g, '_')}`;
}

/** `normalizePrefix`: trimmed, rooted, cleaned; empty or `/` is `/`. */
function normalizePrefix(p: string): string {
  const t = p.trim();
  if (t === '' || t === '/') return '/';
  const c = pathClean(t.startsWith('/') ? t : `/${t}`);
  return c === '.' || c === '' ? '/' : c;
}

/**
 * How podinfo starts from its container, as cmd/podinfo/main.go does it: the program (`./podinfo`
 * — the image has only a CMD, so `args` alone replace it), pflag's parse (an unknown flag exits 2,
 * `--help` and `--version` exit 0), then viper's precedence for each setting — a flag given on
 * the command line, else `PODINFO_<NAME>` (non-empty), else the default — and the checks main()
 * makes: `--random-delay-max` below the minimum or a unit other than s|ms panic (exit 2), and so
 * does an environment value that does not decode into its setting's type; an HTTP or gRPC port
 * it cannot listen on exits 1.
 */
export function podinfoStart(version: string, revision: string, c: ContainerConfig): PodinfoStart {
  const start = containerStart(c, IMAGE);
  if (start.kind === 'fail') return { kind: 'exit', code: start.code, reason: start.reason };
  if (start.kind === 'other') return start;
  const defs = flagDefs(version);
  const parsed = parsePflags({ defs, shorthands: { v: 'version' } }, start.args);
  if (parsed.kind === 'help')
    return { kind: 'exit', code: 0, reason: 'printed its usage (--help) and exited' };
  if (parsed.kind === 'error') return { kind: 'exit', code: 2, reason: `Error: ${parsed.message}` };
  if (parsed.values['version'] === true)
    return { kind: 'exit', code: 0, reason: `printed its version (${version}) and exited` };

  const env = (key: string): string | undefined => {
    const v = c.env[podinfoEnvName(key)];
    return v === undefined || v === '' ? undefined : v;
  };
  /** viper.Get: the flag when the command line set it, else the environment, else the default. */
  const raw = (key: string): PflagValue =>
    parsed.changed.has(key) ? parsed.values[key]! : (env(key) ?? VIPER_DEFAULTS[key] ?? parsed.values[key]!);
  const str = (key: string) => String(raw(key));
  /** viper.GetInt (spf13/cast): an environment value that is no integer reads as 0. */
  const castInt = (key: string): number => {
    const v = raw(key);
    if (typeof v !== 'string') return Number(v);
    const n = parseIntBase0(v.replace(/\.0*$/, ''));
    return isStrconvError(n) ? 0 : Number(n);
  };

  if (castInt('random-delay-max') < castInt('random-delay-min'))
    return {
      kind: 'exit',
      code: 2,
      reason: 'panic: `--random-delay-max` should be greater than `--random-delay-min`',
    };
  const unit = str('random-delay-unit');
  if (unit !== 's' && unit !== 'ms')
    return { kind: 'exit', code: 2, reason: 'panic: `random-delay-unit` accepted values are: s|ms' };

  // viper.Unmarshal (mapstructure, weakly typed): environment strings decode into the settings'
  // types; the first failure panics with "config unmarshal failed".
  const errors: string[] = [];
  const int = (key: string): number => {
    const v = raw(key);
    if (typeof v !== 'string') return Number(v);
    const n = parseIntBase0(v);
    if (isStrconvError(n)) errors.push(`cannot parse '${key}' as int: ${n.error}`);
    return isStrconvError(n) ? 0 : Number(n);
  };
  const bool = (key: string): boolean => {
    const v = raw(key);
    if (typeof v !== 'string') return v === true;
    const b = parseBool(v);
    if (isStrconvError(b)) errors.push(`cannot parse '${key}' as bool: ${b.error}`);
    return b === true;
  };
  const duration = (key: string): number => {
    const v = raw(key);
    if (typeof v !== 'string') return v as number;
    const ms = parseGoDuration(v);
    if (ms === undefined) errors.push(`error decoding '${key}': ${goDurationError(v)}`);
    return ms ?? 0;
  };
  const slice = (key: string): readonly string[] => {
    const v = raw(key);
    return typeof v === 'string' ? v.split(',') : (v as readonly string[]);
  };
  /** `port` and `secure-port` are strings in the config; main() replaces one that is no integer by the flag's value. */
  const portOf = (key: string): number => {
    const v = str(key);
    const n = parseInt64(v);
    return typeof n === 'string' ? Number(parsed.values[key]) : Number(n);
  };

  const config: PodinfoConfig = {
    version,
    revision,
    argv: [start.argv0, ...start.args],
    host: str('host'),
    prefix: normalizePrefix(str('prefix')),
    port: portOf('port'),
    secureport: portOf('secure-port'),
    portMetrics: int('port-metrics'),
    grpcPort: int('grpc-port'),
    level: str('level'),
    backendUrl: slice('backend-url'),
    httpServerTimeoutMs: duration('http-server-timeout'),
    dataPath: str('data-path'),
    certPath: str('cert-path'),
    configPath: str('config-path'),
    config: str('config'),
    uiPath: str('ui-path'),
    uiLogo: str('ui-logo'),
    uiColor: str('ui-color'),
    uiMessage: str('ui-message'),
    h2c: bool('h2c'),
    randomDelay: bool('random-delay'),
    randomDelayUnit: unit,
    randomDelayMin: int('random-delay-min'),
    randomDelayMax: int('random-delay-max'),
    randomError: bool('random-error'),
    unhealthy: bool('unhealthy'),
    unready: bool('unready'),
    stressCpu: castInt('stress-cpu'),
    stressMemory: castInt('stress-memory'),
    cacheServer: str('cache-server'),
    otelServiceName: str('otel-service-name'),
    jwtSecret: str('jwt-secret'),
  };
  duration('http-client-timeout');
  duration('server-shutdown-timeout');
  if (errors.length > 0)
    return { kind: 'exit', code: 2, reason: `panic: config unmarshal failed: ${errors.join('; ')}` };

  // The gRPC server listens (synchronously) before the HTTP one; either failing is logger.Fatal.
  if (config.grpcPort > 0xffff)
    return { kind: 'exit', code: 1, reason: `failed to listen (gRPC port ${config.grpcPort})` };
  if (config.port < 0 || config.port > 0xffff)
    return {
      kind: 'exit',
      code: 1,
      reason: `HTTP server crashed: listen tcp: address ${config.port}: invalid port`,
    };
  if (config.grpcPort > 0 && config.grpcPort === config.port)
    return {
      kind: 'exit',
      code: 1,
      reason: `HTTP server crashed: listen tcp ${config.host}:${config.port}: bind: address already in use`,
    };
  return { kind: 'run', config };
}

/**
 * The settings podinfo obeys but canarysim cannot simulate, each of which changes what a client
 * or the metrics would see; undefined when there is none.
 */
export function podinfoUnsupported(cfg: PodinfoConfig): string | undefined {
  const out: string[] = [];
  if (cfg.backendUrl.some((u) => u !== ''))
    out.push(`--backend-url=${cfg.backendUrl.join(',')}: /echo forwards each request to other services`);
  if (cfg.cacheServer !== '') out.push(`--cache-server=${cfg.cacheServer}: /cache reads and writes Redis`);
  if (cfg.stressCpu > 0) out.push(`--stress-cpu=${cfg.stressCpu}: CPU load that would slow every answer`);
  if (cfg.stressMemory > 0)
    out.push(`--stress-memory=${cfg.stressMemory}: memory load canarysim has no model of`);
  if (cfg.secureport !== 0)
    out.push(
      `--secure-port=${cfg.secureport}: an HTTPS listener whose certificate files (--cert-path=${cfg.certPath}) canarysim cannot see`,
    );
  if (cfg.configPath !== '')
    out.push(`--config-path=${cfg.configPath}: reads settings and /configs from files canarysim cannot see`);
  else if (cfg.config.startsWith('/'))
    out.push(`--config=${cfg.config}: reads settings from a file canarysim cannot see`);
  if (cfg.host !== '' && cfg.host !== '0.0.0.0' && cfg.host !== '::')
    out.push(
      `--host=${cfg.host}: listens on one address only; canarysim models a process listening on all the pod's addresses`,
    );
  return out.length > 0 ? `podinfo ${out.join('; ')}` : undefined;
}
