import { parseGoDuration } from '../../go/duration.js';
import { InputError } from '../../sim/errors.js';
import { ManifestNode } from '../../sim/manifests/ManifestNode.js';
import { parseYamlFile } from '../../sim/manifests/YamlSource.js';
import { readYamlNode } from '../io/readYamlNode.js';
import type { ControlClient, FaultInfo, FaultTarget } from '../live/controlApi.js';
import { parseFault } from '../scenario/parseApps.js';
import type { Out } from './live.js';

/** `canarysim fault set`'s flags, as commander hands them over. */
export interface FaultSetFlags {
  image?: string;
  pod?: string;
  namespace?: string;
  errors?: string;
  status?: string;
  latency?: string;
  ready?: string;
  unhealthy?: boolean;
  crash?: string;
  filename?: string;
}

const TARGET_FLAGS = { image: '--image', pod: '--pod', namespace: '-n' } as const;
const BEHAVIOUR_FLAGS = {
  errors: '--errors',
  status: '--status',
  latency: '--latency',
  ready: '--ready',
  unhealthy: '--unhealthy',
  crash: '--crash',
} as const;

/** One line of the YAML a set of flags becomes, and the flag (with its value) that wrote it. */
interface FlagLine {
  flag: string;
  raw: string;
  yaml: string;
}

const q = (s: string) => JSON.stringify(s);

const LATENCY_EXPECTED = 'expected a duration such as 2s, p50=200ms,p99=2s, fixed=2s or uniform=10ms..50ms';
const STATUS_EXPECTED = 'expected a status such as 503, or a mix such as 500=3,503=1';

/** `key=value,key=value` pairs of a flag; undefined when a part is not one, or a key repeats. */
function pairs(raw: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (const part of raw.split(',')) {
    const m = /^([a-z0-9]+)=(.+)$/.exec(part);
    if (!m || out.some(([k]) => k === m[1])) return undefined;
    out.push([m[1]!, m[2]!]);
  }
  return out;
}

/** `--status 503` or `--status 500=3,503=1`, as a scenario writes `status:`. */
function statusYaml(raw: string): string {
  if (/^\d+$/.test(raw)) return raw;
  const mix = pairs(raw);
  if (!mix || mix.some(([k, w]) => !/^\d+$/.test(k) || !/^\d+$/.test(w)))
    throw new InputError(`invalid --status ${q(raw)}: ${STATUS_EXPECTED}`);
  return `{${mix.map(([k, w]) => `${q(k)}: ${w}`).join(', ')}}`;
}

/** `--latency 2s`, `p50=200ms,p99=2s`, `fixed=2s`, `uniform=10ms..50ms`, as a scenario writes `latency:`. */
function latencyYaml(raw: string): string {
  if (!raw.includes('=')) return q(raw);
  const fields = pairs(raw);
  if (!fields) throw new InputError(`invalid --latency ${q(raw)}: ${LATENCY_EXPECTED}`);
  return `{${fields
    .map(([k, v]) => {
      if (k !== 'uniform') return `${q(k)}: ${q(v)}`;
      const range = /^(.+)\.\.(.+)$/.exec(v);
      if (!range) throw new InputError(`invalid --latency ${q(raw)}: ${LATENCY_EXPECTED}`);
      return `"uniform": [${q(range[1]!)}, ${q(range[2]!)}]`;
    })
    .join(', ')}}`;
}

/**
 * The YAML a scenario's `fault:` would hold for these flags, one line per flag so that a problem
 * the scenario's parser finds can be told by the flag that caused it. Only the flags' own syntax
 * is checked here; what the values mean is parseFault's.
 */
function flagLines(o: FaultSetFlags): FlagLine[] {
  const lines: FlagLine[] = [];
  const add = (flag: string, raw: string, yaml: string) => lines.push({ flag, raw, yaml });
  if (o.image !== undefined) add('--image', o.image, `image: ${q(o.image)}`);
  if (o.pod !== undefined) add('--pod', o.pod, `pod: ${q(o.pod)}`);
  if (o.namespace !== undefined) add('-n', o.namespace, `namespace: ${q(o.namespace)}`);
  if (o.errors !== undefined && o.status === undefined) add('--errors', o.errors, `errors: ${q(o.errors)}`);
  if (o.errors !== undefined && o.status !== undefined) {
    add('--errors', o.errors, 'errors:');
    add('--errors', o.errors, `  share: ${q(o.errors)}`);
    add('--status', o.status, `  status: ${statusYaml(o.status)}`);
  }
  if (o.latency !== undefined) add('--latency', o.latency, `latency: ${latencyYaml(o.latency)}`);
  if (o.ready !== undefined) {
    if (o.ready !== 'true' && o.ready !== 'false')
      throw new InputError(`invalid --ready ${q(o.ready)}: expected true or false`);
    add('--ready', o.ready, `ready: ${o.ready}`);
  }
  if (o.unhealthy) add('--unhealthy', 'true', 'unhealthy: true');
  if (o.crash !== undefined) {
    if (o.crash === 'now') add('--crash', o.crash, 'crash: "now"');
    else if (parseGoDuration(o.crash) !== undefined)
      add('--crash', o.crash, `crash: {"after": ${q(o.crash)}}`);
    else throw new InputError(`invalid --crash ${q(o.crash)}: expected now or a duration such as 30s`);
  }
  return lines;
}

/**
 * A problem parseFault found in the flags' YAML, said about the flag: `fault: errors: invalid
 * share "2": expected a percentage such as 2% or 12.5%` becomes `invalid --errors "2": expected a
 * percentage such as 2% or 12.5%`.
 */
function aboutFlag(e: InputError, line: FlagLine): InputError {
  const inner = e.message.replace(/^fault: \S+: /, '');
  // The parsers quote values with JSON.stringify; a number they print bare.
  const said = /^invalid [a-z ]+ ("(?:[^"\\]|\\.)*"|\S+): (.*)$/.exec(inner);
  const tail =
    said && (said[1] === q(line.raw) || said[1] === line.raw)
      ? said[2]!
      : (/^invalid [a-z ]+: (.*)$/.exec(inner)?.[1] ?? inner);
  return new InputError(`invalid ${line.flag} ${q(line.raw)}: ${tail}`, undefined, { cause: e });
}

/**
 * The fault `canarysim fault set` sends: the -f file's mapping, or the object the flags build —
 * either checked here by the scenario's parser first, so bad input fails before the server is
 * asked, naming the file's line:col or the flag.
 */
export function faultBody(o: FaultSetFlags): Record<string, unknown> {
  const given = (flags: Record<string, string>) =>
    Object.entries(flags)
      .filter(([k]) => o[k as keyof FaultSetFlags] !== undefined && o[k as keyof FaultSetFlags] !== false)
      .map(([, flag]) => flag);
  const targets = given(TARGET_FLAGS);
  const behaviours = given(BEHAVIOUR_FLAGS);
  if (o.filename !== undefined) {
    if (targets.length + behaviours.length > 0)
      throw new InputError(
        `fault set: -f FILE holds the whole fault; drop ${[...targets, ...behaviours].join(', ')}`,
      );
    const node = readYamlNode(o.filename, '-f', 'fault');
    parseFault(node);
    return node.map();
  }
  if (o.image === undefined && o.pod === undefined)
    throw new InputError('fault set: expected --image IMAGE or --pod POD (or both), or -f FILE');
  if (o.status !== undefined && o.errors === undefined)
    throw new InputError('fault set: --status needs --errors (the share of requests that fail)');
  if (behaviours.length === 0)
    throw new InputError(
      'fault set: expected something to change: --errors, --latency, --ready, --unhealthy or --crash',
    );
  const lines = flagLines(o);
  try {
    const doc = parseYamlFile('flags', `${lines.map((l) => l.yaml).join('\n')}\n`)[0]!;
    const node = new ManifestNode(doc, [], doc.doc.toJS(), 'fault');
    parseFault(node);
    return node.map();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const line = e.pos && !e.message.startsWith('fault: (document): ') ? lines[e.pos.line - 1] : undefined;
    if (!line)
      throw new InputError(`fault set: ${e.message.replace(/^fault: \S+: /, '')}`, undefined, { cause: e });
    throw aboutFlag(e, line);
  }
}

/** `canarysim fault set …`: prints the server's line (`fault set on image …: 2 running pods affected`). */
export async function faultSetCommand(client: ControlClient, o: FaultSetFlags, out: Out): Promise<number> {
  out.write(`${await client.setFault(faultBody(o))}\n`);
  return 0;
}

/** `canarysim fault clear --image IMG | --pod POD [-n NS] | --all`. */
export async function faultClearCommand(
  client: ControlClient,
  o: FaultTarget & { all?: boolean },
  out: Out,
): Promise<number> {
  const target: FaultTarget = {
    ...(o.image !== undefined ? { image: o.image } : {}),
    ...(o.pod !== undefined ? { pod: o.pod } : {}),
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
  };
  if (o.all && Object.keys(target).length > 0)
    throw new InputError('fault clear: --all clears every fault; drop --image, --pod and -n');
  if (!o.all && o.image === undefined && o.pod === undefined)
    throw new InputError('fault clear: expected --image IMAGE, --pod POD (with -n NS) or --all');
  out.write(`${await client.clearFaults(target)}\n`);
  return 0;
}

/** `canarysim fault list`: the faults in force, as a table. */
export async function faultListCommand(client: ControlClient, out: Out): Promise<number> {
  out.write(renderFaults(await client.faults()));
  return 0;
}

/** A value as a scenario would write it in flow style: `{share: 50%, status: 503}`. */
function compact(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${compact(x)}`)
      .join(', ')}}`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Who a fault hits: `image repo:tag`, `image repo:* in a-team`, `pod a-team/name`. */
export function faultTarget(f: FaultTarget): string {
  const parts: string[] = [];
  if (f.image !== undefined)
    parts.push(
      `image ${f.image}${f.pod === undefined && f.namespace !== undefined ? ` in ${f.namespace}` : ''}`,
    );
  if (f.pod !== undefined) parts.push(`pod ${f.namespace !== undefined ? `${f.namespace}/` : ''}${f.pod}`);
  return parts.join(', ');
}

/**
 * The faults as `kubectl get` lays out a table: TARGET and WHAT (the fields as they were set).
 *
 *   TARGET                                     WHAT
 *   image ghcr.io/vfarcic/silly-demo:1.4.127   errors: {share: 50%, status: 503}
 *   pod a-team/silly-demo-6b8f9c7d54-x2x4z     crash: now
 */
export function renderFaults(faults: readonly FaultInfo[]): string {
  if (faults.length === 0) return 'No faults set.\n';
  const rows = faults.map((f) => [
    faultTarget(f),
    Object.entries(f.set)
      .map(([k, v]) => `${k}: ${compact(v)}`)
      .join(', ') || '-',
  ]);
  const width = Math.max('TARGET'.length, ...rows.map(([t]) => t!.length));
  return [['TARGET', 'WHAT'], ...rows].map(([t, w]) => `${t!.padEnd(width)}   ${w}\n`).join('');
}
