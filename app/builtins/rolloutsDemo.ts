import { parseFloat64, parseInt64 } from '../../go/strconv.js';
import type { AppProcessView, AppRequest, ContainerConfig } from '../types.js';
import { probeByAnswers } from '../types.js';
import type { BuiltinAnswer, BuiltinImage } from './builtinTypes.js';
import { containerStart } from './containerExec.js';
import { parseGoFlags } from '../../go/flag.js';
import { forMethod, goCleanPath, goRedirect, withQuery } from './goHttp.js';
import { colorAnswers, ROLLOUTS_DEMO_COLORS, type ColorSettings } from './rolloutsDemoColor.js';
import { fileServerAnswer } from './rolloutsDemoFiles.js';
import { goSleepSecondsMs } from './goTime.js';

/** Argo's demo app on Docker Hub (parseImage drops `docker.io/`). */
export const ROLLOUTS_DEMO_REPOSITORY = 'argoproj/rollouts-demo';

/** What release.sh bakes into each image: COLOR, and ERROR_RATE=15 for bad-*, LATENCY=2 for slow-*. */
interface BakedEnv {
  COLOR: string;
  ERROR_RATE: string;
  LATENCY: string;
}

/** Every tag release.sh pushes: the six colours, `bad-<colour>` and `slow-<colour>`. */
export const ROLLOUTS_DEMO_TAGS: readonly string[] = ROLLOUTS_DEMO_COLORS.flatMap((c) => [
  c,
  `bad-${c}`,
  `slow-${c}`,
]);

function bakedEnv(tag: string): BakedEnv | undefined {
  if (!ROLLOUTS_DEMO_TAGS.includes(tag)) return undefined;
  const [, kind, colour] = /^(?:(bad|slow)-)?(.*)$/.exec(tag)!;
  return { COLOR: colour!, ERROR_RATE: kind === 'bad' ? '15' : '', LATENCY: kind === 'slow' ? '2' : '' };
}

const FLAGS = {
  'listen-addr': { type: 'string', default: ':8080' },
  'termination-delay': { type: 'int', default: 10n },
  'cpu-burn': { type: 'string', default: '' },
  tls: { type: 'bool', default: false },
} as const;

/** Go's built-in service names, which net.Listen resolves without /etc/services (the image has none). */
const SERVICES: Readonly<Record<string, number>> = {
  ftp: 21,
  ftps: 990,
  gopher: 70,
  http: 80,
  https: 443,
  imap2: 143,
  imap3: 220,
  imaps: 993,
  pop3: 110,
  pop3s: 995,
  smtp: 25,
  ssh: 22,
  telnet: 23,
};

type Listen = { port: number } | { error: string } | { unsupported: string };

/** What `server.ListenAndServe()` makes of `-listen-addr`: a port on every address, or why not. */
function listenOn(addr: string): Listen {
  const fail = (why: string): Listen => ({ error: `Could not listen on ${addr}: listen tcp: ${why}` });
  // ListenAndServe listens on ":http" when Addr is empty.
  const a = addr === '' ? ':http' : addr;
  let host: string;
  let port: string;
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    if (end < 0) return fail(`address ${a}: missing ']' in address`);
    if (end + 1 === a.length) return fail(`address ${a}: missing port in address`);
    if (a[end + 1] !== ':') return fail(`address ${a}: missing port in address`);
    host = a.slice(1, end);
    port = a.slice(end + 2);
    if (port.includes(':')) return fail(`address ${a}: too many colons in address`);
  } else {
    const i = a.lastIndexOf(':');
    if (i < 0) return fail(`address ${a}: missing port in address`);
    host = a.slice(0, i);
    port = a.slice(i + 1);
    if (host.includes(':')) return fail(`address ${a}: too many colons in address`);
  }
  let n: number;
  if (/^[+-]?\d+$/.test(port)) n = Number(port);
  else if (port === '') n = 0;
  else if (Object.hasOwn(SERVICES, port.toLowerCase())) n = SERVICES[port.toLowerCase()]!;
  else return fail(`lookup tcp/${port}: unknown port`);
  if (n < 0 || n > 0xffff) return fail(`address ${port}: invalid port`);
  if (n === 0)
    return {
      unsupported: `rollouts-demo -listen-addr=${addr}: listens on a random port, which no Service can name`,
    };
  if (host !== '' && host !== '0.0.0.0' && host !== '::')
    return {
      unsupported: `rollouts-demo -listen-addr=${addr}: listens on ${host} only; canarysim models a process listening on all the pod's addresses`,
    };
  return { port: n };
}

/** The env value the process sees: the container's (even empty) over the image's. */
function envOf(c: ContainerConfig, baked: BakedEnv, key: keyof BakedEnv): string {
  return Object.hasOwn(c.env, key) ? c.env[key]! : baked[key];
}

/** How the process came up: its settings, or how it refused to. */
interface RolloutsDemoStart {
  settings: ColorSettings;
  port: number;
  terminationDelayMs: number;
  /** Accepted settings canarysim does not simulate, for the description. */
  notes: string[];
  exitAtStart?: { code: number; reason: string };
  unsupported?: string;
}

/**
 * main.go's start-up, in its order: the runtime starts `/rollouts-demo` (or fails to); init()
 * reads LATENCY then ERROR_RATE, panicking (exit 2) on a value strconv rejects; flag.Parse exits
 * 2 on a bad flag and 0 on -help; a bad -cpu-burn or listen address is log.Fatal (exit 1).
 */
function startRolloutsDemo(c: ContainerConfig, baked: BakedEnv): RolloutsDemoStart {
  const s: RolloutsDemoStart = {
    settings: { color: envOf(c, baked, 'COLOR'), errorRate: 0n, latencySeconds: 0 },
    port: 8080,
    terminationDelayMs: 10_000,
    notes: [],
  };
  const exit = (code: number, reason: string): RolloutsDemoStart => ({ ...s, exitAtStart: { code, reason } });
  const refuse = (unsupported: string): RolloutsDemoStart => ({ ...s, unsupported });
  const run = containerStart(c, {
    entrypoint: ['/rollouts-demo'],
    cmd: [],
    workdir: '/',
    binary: '/rollouts-demo',
    others: [],
  });
  if (run.kind === 'fail') return exit(run.code, run.reason);
  if (run.kind === 'other')
    return refuse(`rollouts-demo: the container runs ${run.program}, not /rollouts-demo`);
  const latency = envOf(c, baked, 'LATENCY');
  if (latency !== '') {
    const f = parseFloat64(latency);
    if (typeof f === 'string') return exit(2, `failed to parse LATENCY: ${latency}`);
    s.settings.latencySeconds = f;
  }
  const errorRate = envOf(c, baked, 'ERROR_RATE');
  if (errorRate !== '') {
    const n = parseInt64(errorRate);
    if (typeof n === 'string') return exit(2, `failed to parse ERROR_RATE: ${errorRate}`);
    s.settings.errorRate = n;
  }
  const flags = parseGoFlags(FLAGS, run.args);
  if (flags.kind === 'help') return exit(0, 'printed its usage (-help) and exited');
  if (flags.kind === 'error') return exit(2, flags.message);
  // time.NewTicker panics on a delay ≤ 0: the process then ends at once (exit 2).
  s.terminationDelayMs = goSleepSecondsMs(flags.values['termination-delay'] as bigint);
  if (flags.values['tls'] === true)
    return refuse(
      'rollouts-demo -tls: serves HTTPS with a self-signed certificate; canarysim’s mesh and probes speak plain HTTP to pods',
    );
  const burn = flags.values['cpu-burn'] as string;
  if (burn !== '' && burn !== 'all') {
    const n = parseInt64(burn);
    if (typeof n === 'string') return exit(1, n.replace('strconv.ParseInt', 'strconv.Atoi'));
  }
  // Burning CPU changes nothing canarysim measures (it has no CPU model), so it is only noted.
  if (burn !== '') s.notes.push(`-cpu-burn=${burn} (CPU load not simulated)`);
  const listen = listenOn(flags.values['listen-addr'] as string);
  if ('error' in listen) return exit(1, listen.error);
  if ('unsupported' in listen) return refuse(listen.unsupported);
  return { ...s, port: listen.port };
}

/** For notices: the tag and what it does, e.g. `rollouts-demo bad-blue (blue, ERROR_RATE=15: 85 % of /color answers are 500)`. */
function describe(tag: string, s: RolloutsDemoStart): string {
  const { color, errorRate: e, latencySeconds } = s.settings;
  const parts = [color !== '' ? color : 'a random colour per request'];
  if (e > 0n) parts.push(`ERROR_RATE=${e}: ${e < 100n ? 100 - Number(e) : 0} % of /color answers are 500`);
  if (latencySeconds > 0) parts.push(`LATENCY=${latencySeconds} s per /color request`);
  return `rollouts-demo ${tag} (${[...parts, ...s.notes].join(', ')})`;
}

/**
 * Argo's rollouts-demo (argoproj/rollouts-demo @f528fdd, main.go): `/color` answers the colour in
 * quotes — COLOR, or a random one of six per request — slowed by LATENCY and failing by
 * ERROR_RATE (inverted: 15 fails 85 %) or by the page's per-colour settings in the POST body
 * (see {@link colorAnswers}); every other path is the image's FileServer (the bubbles page at
 * `/`). After SIGTERM it keeps serving `-termination-delay` seconds (default 10). No metrics of
 * its own. Undefined for a tag that was never pushed (the pull fails).
 */
export function rolloutsDemo(tag: string, c: ContainerConfig): BuiltinImage | undefined {
  const baked = bakedEnv(tag);
  if (!baked) return undefined;
  const start = startRolloutsDemo(c, baked);
  const app: BuiltinImage = {
    kind: 'rollouts-demo',
    image: c.image,
    description: describe(tag, start),
    port: start.port,
    // A static Go binary: listening almost at once.
    startupMs: 50,
    statelessRespond: true,
    terminationDelayMs: start.terminationDelayMs,
    ...(start.exitAtStart ? { exitAtStart: start.exitAtStart } : {}),
    ...(start.unsupported ? { unsupported: start.unsupported } : {}),
    probe: (_kind, path, proc) => probeByAnswers(app, path, proc),
    respond(req: AppRequest, _proc: AppProcessView): BuiltinAnswer[] {
      // ServeMux redirects a path that is not clean before anything serves it.
      const clean = goCleanPath(req.path);
      if (clean !== req.path && req.method !== 'CONNECT')
        return forMethod(req.method, [goRedirect(req.method, withQuery(clean, req.query))]);
      const answers =
        req.path === '/color'
          ? colorAnswers(start.settings, req.body)
          : [fileServerAnswer(req.path, req.query)];
      return forMethod(req.method, answers);
    },
  };
  return app;
}
