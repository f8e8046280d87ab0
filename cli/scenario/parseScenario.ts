import { parseHeyArgs, HeyUsageError } from '../../loadgen/heyFlags.js';
import {
  ARGO_HELPER_NAMES,
  ConditionSyntaxError,
  freeNames,
  parseCondition,
} from '../../sim/analysis/condition/index.js';
import { STATE_NAMES } from './state.js';
import { GO_DURATION_EXPECTED, parseGoDuration } from '../../go/duration.js';
import { DEFAULT_POD_TIMINGS } from '../../sim/cluster/index.js';
import { ManifestNode } from '../../sim/manifests/ManifestNode.js';
import {
  atReference,
  joinPath,
  readRequired,
  SCENARIO_LIMIT,
  type FileSystem,
} from '../../sim/manifests/FileSystem.js';
import { kustomizationFile, parseSetImageArg } from '../../sim/manifests/kustomize.js';
import { onlyDocument, parseYamlFile } from '../../sim/manifests/YamlSource.js';
import { parseExpr, PromQLParseError } from '../../sim/promql/index.js';
import { ARGO_PROFILES, DEFAULT_ARGO_PROFILE, isArgoProfile } from '../../sim/rollout/index.js';
import { parseApps, parseFault, parseFaultTarget } from './parseApps.js';
import { applyOverrides, type Override } from './overrides.js';
import { MAX_SCENARIO_DURATION_MS, parseDuration } from './quantities.js';
import { MIN_POLL_MS } from './runBounds.js';
import { parseStopTrafficAction, parseTrafficAction } from './parseTraffic.js';
import { expandVars, shellWords } from './shellWords.js';
import type { Action, Condition, Expectation, Scenario, ScenarioSettings } from './types.js';
import { didYouMean } from '../lint/Known.js';

const ACTIONS = [
  'say',
  'apply',
  'delete',
  'setImage',
  'fault',
  'clearFault',
  'prometheus',
  'restartGateway',
  'promote',
  'abort',
  'retry',
  'pause',
  'undo',
  'restart',
  'get',
  'getVirtualService',
  'hey',
  'stopHey',
  'traffic',
  'stopTraffic',
  'curl',
  'query',
  'wait',
  'waitUntil',
  'expect',
];

/** A duration in the scenario: a Go duration or seconds, at most 30 days (quantities.ts). */
const duration = (n: ManifestNode): number => parseDuration(n);

/** `restart --in`: the plugin reads it with Go's time.ParseDuration (a unit is required). */
function restartIn(n: ManifestNode): number {
  const s = typeof n.value === 'number' ? String(n.value) : n.str();
  const ms = parseGoDuration(s);
  if (ms === undefined || ms < 0)
    throw n.error(`invalid duration ${JSON.stringify(s)}: expected ${GO_DURATION_EXPECTED}`);
  if (ms > MAX_SCENARIO_DURATION_MS)
    throw n.error(`duration ${JSON.stringify(s)} is longer than 720h (30 days)`);
  return ms;
}

function conditionAt(n: ManifestNode): Condition {
  const condition = n.nonEmptyStr();
  let ast;
  try {
    ast = parseCondition(condition);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) throw n.errorAt(e.offset, `invalid condition: ${e.reason}`);
    throw e;
  }
  // A misspelt name would otherwise wait out the whole timeout before saying so.
  for (const { name, offset } of freeNames(ast))
    if (!STATE_NAMES.includes(name) && !ARGO_HELPER_NAMES.includes(name))
      throw n.errorAt(
        offset,
        `invalid condition: unknown name ${name} (a scenario's condition reads ${STATE_NAMES.join(', ')})${didYouMean(name, STATE_NAMES)}`,
      );
  return {
    condition,
    condPos: (o) => n.posAt(o),
    condError: (o, message) => n.errorAt(o, `invalid condition: ${message}`),
  };
}

function settings(root: ManifestNode): ScenarioSettings {
  const seedNode = root.child('seed');
  const argoNode = root.child('argoRollouts');
  const argo = argoNode.exists ? String(argoNode.value) : DEFAULT_ARGO_PROFILE;
  if (!isArgoProfile(argo))
    throw argoNode.error(
      `invalid value ${JSON.stringify(argo)}: expected ${Object.keys(ARGO_PROFILES)
        .map((v) => JSON.stringify(v))
        .join(', ')} (a quoted string: 1.10 unquoted is the number 1.1)`,
    );
  const startNode = root.child('startTime');
  let startMs = Date.UTC(2024, 10, 11, 12, 0, 0);
  if (startNode.exists) {
    const s = startNode.value instanceof Date ? startNode.value.toISOString() : startNode.str();
    const t = Date.parse(s);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s) || Number.isNaN(t))
      throw startNode.error(
        `invalid time ${JSON.stringify(s)}: expected RFC 3339 UTC such as 2024-11-11T12:00:00Z`,
      );
    startMs = t;
  }
  const cluster = root.child('cluster');
  const namespaces: ScenarioSettings['namespaces'] = {};
  const pods = { ...DEFAULT_POD_TIMINGS };
  if (cluster.exists) {
    cluster.only(['namespaces', 'pods']);
    const nsNode = cluster.child('namespaces');
    if (nsNode.exists) {
      for (const name of Object.keys(nsNode.map())) {
        const n = nsNode.child(name);
        n.only(['istioInjection']);
        const inj = n.child('istioInjection');
        namespaces[name] = { istioInjection: inj.exists ? inj.bool() : false };
      }
    }
    const p = cluster.child('pods');
    if (p.exists) {
      p.only(['pullTime', 'cachedPullTime', 'sidecarReady', 'firstProbe', 'terminationGrace', 'jitter']);
      if (p.child('pullTime').exists) pods.pullMs = duration(p.child('pullTime'));
      if (p.child('cachedPullTime').exists) pods.cachedPullMs = duration(p.child('cachedPullTime'));
      if (p.child('sidecarReady').exists) pods.sidecarReadyMs = duration(p.child('sidecarReady'));
      if (p.child('firstProbe').exists) pods.firstProbeMs = duration(p.child('firstProbe'));
      if (p.child('terminationGrace').exists) pods.terminationMs = duration(p.child('terminationGrace'));
      const j = p.child('jitter');
      if (j.exists) {
        if (typeof j.value !== 'number' || j.value < 0 || j.value >= 1)
          throw j.error('expected a number in [0, 1)');
        pods.jitter = j.value;
      }
    }
  }
  if (Object.keys(namespaces).length === 0) namespaces['default'] = { istioInjection: false };
  const prom = root.child('prometheus');
  let scrapeIntervalMs = 30_000;
  let prometheusAddresses = ['http://kube-prometheus-stack-prometheus.monitoring:9090'];
  let retentionMs: number | undefined;
  let allowRemote = false;
  if (prom.exists) {
    prom.only(['scrapeInterval', 'addresses', 'retention', 'allowRemote']);
    if (prom.child('retention').exists) retentionMs = duration(prom.child('retention'));
    if (retentionMs !== undefined && retentionMs < 600_000)
      throw prom
        .child('retention')
        .error('expected at least 10m (the longest range a canary query looks back is usually 5m)');
    if (prom.child('allowRemote').exists) allowRemote = prom.child('allowRemote').bool();
    if (prom.child('scrapeInterval').exists) scrapeIntervalMs = duration(prom.child('scrapeInterval'));
    if (scrapeIntervalMs < 1000) throw prom.child('scrapeInterval').error('expected at least 1s');
    if (prom.child('addresses').exists)
      prometheusAddresses = prom
        .child('addresses')
        .list()
        .map((a) => a.nonEmptyStr().replace(/\/+$/, ''));
  }
  const traffic = root.child('traffic');
  let trafficTickMs = 1000;
  if (traffic.exists) {
    traffic.only(['tick']);
    if (traffic.child('tick').exists) trafficTickMs = duration(traffic.child('tick'));
    if (trafficTickMs < 10) throw traffic.child('tick').error('expected at least 10ms');
  }
  const env = root.child('env').exists ? root.child('env').stringMap() : {};
  const nsDefault = root.child('namespace').exists
    ? root.child('namespace').nonEmptyStr()
    : Object.keys(namespaces)[0]!;
  return {
    seed: seedNode.exists ? seedNode.int({ min: 0 }) : 1,
    argo,
    startMs,
    namespaces,
    pods,
    scrapeIntervalMs,
    prometheusAddresses,
    retentionMs,
    allowRemote,
    trafficTickMs,
    env,
    namespace: nsDefault,
    apps: root.child('apps').exists ? parseApps(root.child('apps')) : [],
  };
}

function rolloutRef(n: ManifestNode, s: ScenarioSettings): { rollout: string; namespace: string } {
  if (typeof n.value === 'string') return { rollout: n.nonEmptyStr(), namespace: s.namespace };
  n.only(['rollout', 'namespace', 'full']);
  return { rollout: n.req('rollout').nonEmptyStr(), namespace: n.optStr('namespace') ?? s.namespace };
}

function action(n: ManifestNode, s: ScenarioSettings, fs: FileSystem, dir: string): Action {
  const keys = Object.keys(n.map());
  if (keys.length !== 1)
    throw n.error(`expected exactly one action per timeline entry (one of: ${ACTIONS.join(', ')})`);
  n.only(ACTIONS);
  const type = keys[0]!;
  const v = n.child(type);
  const pos = n.pos(true);
  switch (type) {
    case 'say':
      return { type, text: v.str(), pos };
    case 'apply':
    case 'delete': {
      v.only(['kustomize', 'file', 'namespace']);
      const kustomize = v.optStr('kustomize');
      const file = v.optStr('file');
      if ((kustomize === undefined) === (file === undefined))
        throw v.error('expected exactly one of kustomize or file');
      const written = kustomize ?? file!;
      const node = v.child(kustomize !== undefined ? 'kustomize' : 'file');
      const path = joinPath(dir, written);
      // Read now (the kustomization file too), so a path outside the scenario's folder, a device
      // or an oversized file is refused at this line before anything else is read.
      const found = atReference(node, written, fs, path, () => {
        if (kustomize === undefined) return fs.read(path) !== undefined;
        if (!fs.isDirectory(path)) return false;
        kustomizationFile(fs, path);
        return true;
      });
      if (!found) throw node.error(`${JSON.stringify(written)} not found (looked for ${fs.display(path)})`);
      return { type, kustomize, file, namespace: v.optStr('namespace') ?? s.namespace, pos };
    }
    case 'setImage': {
      if (typeof v.value === 'object' && v.value !== null && 'rollout' in v.map()) {
        // The plugin's `set image ROLLOUT CONTAINER=IMAGE`: {rollout, container, image, namespace}.
        v.only(['rollout', 'container', 'image', 'namespace']);
        const image = v.req('image').nonEmptyStr();
        if (/\s/.test(image) || image.includes('='))
          throw v
            .child('image')
            .error(`invalid image ${JSON.stringify(image)}: expected an image such as repo:tag`);
        return {
          type: 'setRolloutImage',
          rollout: v.req('rollout').nonEmptyStr(),
          namespace: v.optStr('namespace') ?? s.namespace,
          container: v.optStr('container') ?? '*',
          image,
          pos,
        };
      }
      v.only(['kustomization', 'image']);
      const kustomization = v.req('kustomization').nonEmptyStr();
      const kdir = joinPath(dir, kustomization);
      if (!atReference(v.child('kustomization'), kustomization, fs, kdir, () => fs.isDirectory(kdir)))
        throw v.child('kustomization').error(`directory ${JSON.stringify(kustomization)} not found`);
      const image = v.req('image').nonEmptyStr();
      const parsed = parseSetImageArg(image);
      if (typeof parsed === 'string') throw v.child('image').error(parsed);
      return { type, kustomization, image, pos };
    }
    case 'promote': {
      const ref = rolloutRef(v, s);
      const full = typeof v.value === 'object' && v.child('full').exists ? v.child('full').bool() : false;
      return { type, ...ref, full, pos };
    }
    case 'abort':
    case 'retry':
    case 'pause':
      return { type, ...rolloutRef(v, s), pos };
    case 'undo': {
      // `undo: NAME` or `{rollout, toRevision, namespace}` (kubectl argo rollouts undo --to-revision).
      if (typeof v.value === 'string')
        return { type, rollout: v.nonEmptyStr(), namespace: s.namespace, toRevision: 0, pos };
      v.only(['rollout', 'namespace', 'toRevision']);
      return {
        type,
        rollout: v.req('rollout').nonEmptyStr(),
        namespace: v.optStr('namespace') ?? s.namespace,
        toRevision: v.optInt('toRevision', { min: 0 }) ?? 0,
        pos,
      };
    }
    case 'restart': {
      // `restart: NAME` or `{rollout, in, namespace}` (kubectl argo rollouts restart --in 10s).
      if (typeof v.value === 'string')
        return { type, rollout: v.nonEmptyStr(), namespace: s.namespace, inMs: 0, pos };
      v.only(['rollout', 'namespace', 'in']);
      const inNode = v.child('in');
      return {
        type,
        rollout: v.req('rollout').nonEmptyStr(),
        namespace: v.optStr('namespace') ?? s.namespace,
        inMs: inNode.exists ? restartIn(inNode) : 0,
        in: inNode.exists ? inNode.str() : undefined,
        pos,
      };
    }
    case 'get': {
      if (typeof v.value === 'string') return { type, rollout: v.nonEmptyStr(), namespace: s.namespace, pos };
      v.only(['rollout', 'namespace', 'id']);
      return {
        type,
        rollout: v.req('rollout').nonEmptyStr(),
        namespace: v.optStr('namespace') ?? s.namespace,
        id: v.optStr('id'),
        pos,
      };
    }
    case 'getVirtualService': {
      if (typeof v.value === 'string') return { type, name: v.nonEmptyStr(), namespace: s.namespace, pos };
      v.only(['name', 'namespace']);
      return {
        type,
        name: v.req('name').nonEmptyStr(),
        namespace: v.optStr('namespace') ?? s.namespace,
        pos,
      };
    }
    case 'hey': {
      v.only(['id', 'args', 'namespace', 'summary']);
      const argsNode = v.req('args');
      const command = argsNode.nonEmptyStr();
      const argv = shellWords(command, s.env);
      if (typeof argv === 'string') throw argsNode.error(argv);
      try {
        parseHeyArgs(argv);
      } catch (e) {
        if (e instanceof HeyUsageError) throw argsNode.error(`invalid hey arguments: ${e.message}`);
        throw e;
      }
      const sum = v.child('summary');
      return {
        type,
        id: v.optStr('id') ?? 'hey',
        argv,
        command,
        namespace: v.optStr('namespace') ?? s.namespace,
        summary: sum.exists ? sum.bool() : true,
        pos,
      };
    }
    case 'fault':
      return { type, fault: parseFault(v, s.namespace), pos };
    case 'clearFault': {
      if (v.value === 'all') return { type, pos };
      const target = parseFaultTarget(v, s.namespace);
      if (!target) throw v.error('expected all, or the image and/or pod of the fault to clear');
      return { type, target, pos };
    }
    case 'prometheus': {
      const state = v.str();
      if (state !== 'unreachable' && state !== 'slow' && state !== 'up')
        throw v.error(`invalid prometheus state ${JSON.stringify(state)}: expected unreachable, slow or up`);
      return { type, fault: state === 'up' ? undefined : state, pos };
    }
    case 'restartGateway':
      if (v.str() !== 'istio-ingress')
        throw v.error(
          `invalid gateway ${JSON.stringify(v.str())}: expected istio-ingress (the one gateway canarysim runs)`,
        );
      return { type, pos };
    case 'traffic':
      return { type, spec: parseTrafficAction(v, s.env, { namespace: s.namespace }), pos };
    case 'stopTraffic':
      return { type, id: parseStopTrafficAction(v), pos };
    case 'stopHey':
      return { type, id: typeof v.value === 'string' ? v.nonEmptyStr() : 'hey', pos };
    case 'curl': {
      const obj = typeof v.value === 'string' ? undefined : v;
      if (obj) obj.only(['url', 'count', 'namespace', 'id', 'headers']);
      const urlNode = obj ? obj.req('url') : v;
      const url = urlNode.nonEmptyStr();
      const expanded = expandVars(url, s.env);
      if (typeof expanded !== 'string') throw urlNode.error(expanded.error);
      if (!/^https?:\/\/[^\s]+$/.test(expanded))
        throw urlNode.error(`invalid URL ${JSON.stringify(expanded)}: expected http://host[:port]/path`);
      const count = obj?.optInt('count', { min: 1, max: 100_000 }) ?? 1;
      let headers: Record<string, string> | undefined;
      const hNode = obj?.child('headers');
      if (hNode?.exists) {
        headers = {};
        for (const [name, value] of Object.entries(hNode.map())) {
          const h = hNode.child(name);
          if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))
            throw h.error(
              `invalid header name ${JSON.stringify(name)}: expected an HTTP token such as X-Canary`,
              true,
            );
          if (typeof value === 'number' || typeof value === 'boolean')
            // YAML would turn 1.10 into 1.1 and 0x10 into 16: the header says what the file says.
            throw h.error(
              `expected a header value (a string), got ${typeof value} ${String(value)}: quote it`,
            );
          if (typeof value !== 'string')
            throw h.error(
              `expected a header value (a string), got ${value === null ? 'null' : 'a ' + (Array.isArray(value) ? 'list' : 'mapping')}`,
            );
          const v = expandVars(value, s.env);
          if (typeof v !== 'string') throw h.error(v.error);
          if (/[\r\n\0]/.test(v)) throw h.error('invalid header value: it contains a line break or NUL');
          headers[name] = v;
        }
      }
      return {
        type,
        url: expanded,
        count,
        namespace: obj?.optStr('namespace') ?? s.namespace,
        id: obj?.optStr('id'),
        ...(headers ? { headers } : {}),
        pos,
      };
    }
    case 'query': {
      const obj = typeof v.value === 'string' ? undefined : v;
      if (obj) obj.only(['expr', 'id']);
      const exprNode = obj ? obj.req('expr') : v;
      const expr = exprNode.nonEmptyStr();
      try {
        parseExpr(expr);
      } catch (e) {
        if (e instanceof PromQLParseError) throw exprNode.errorAt(e.index, `invalid PromQL: ${e.message}`);
        throw e;
      }
      return { type, expr, id: obj?.optStr('id'), exprPos: (o) => exprNode.posAt(o), pos };
    }
    case 'wait':
      return { type, ms: duration(v), raw: String(v.value), pos };
    case 'waitUntil': {
      const obj = typeof v.value === 'string' ? undefined : v;
      if (obj) obj.only(['condition', 'timeout', 'poll']);
      const c = conditionAt(obj ? obj.req('condition') : v);
      const timeoutMs = obj?.child('timeout').exists ? duration(obj.child('timeout')) : 3_600_000;
      const pollMs = obj?.child('poll').exists ? duration(obj.child('poll')) : 1000;
      if (pollMs < MIN_POLL_MS)
        throw obj!
          .child('poll')
          .error(`poll ${String(obj!.child('poll').value)} is shorter than 1s, canarysim's minimum`);
      return { type, ...c, timeoutMs, pollMs, pos };
    }
    case 'expect':
      return { type, ...conditionAt(v), pos };
  }
  throw new Error(`unreachable action ${type}`);
}

/**
 * Reads and validates a scenario file: settings, the timeline of actions and the final
 * expectations. Every problem is an InputError at the file's line:col (or at the `--set`/`--env`
 * flag that wrote the value); nothing runs before this has accepted the whole file.
 */
export function parseScenario(fs: FileSystem, path: string, overrides: readonly Override[] = []): Scenario {
  const text = readRequired(fs, path, SCENARIO_LIMIT);
  const file = onlyDocument(parseYamlFile(fs.display(path), text), fs.display(path), 'a scenario');
  // `--set` and `--env` change the values before anything reads them: every check below applies.
  const { doc, value } = applyOverrides(file, overrides);
  const root = new ManifestNode(doc, [], value, 'scenario');
  root.map();
  root.only([
    'name',
    'description',
    'seed',
    'argoRollouts',
    'startTime',
    'cluster',
    'prometheus',
    'traffic',
    'env',
    'namespace',
    'apps',
    'timeline',
    'expect',
  ]);
  const s = settings(root);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
  const timeline = root
    .req('timeline')
    .list()
    .map((n) => action(n, s, fs, dir));
  const expect: Expectation[] = root.child('expect').exists
    ? root
        .child('expect')
        .list()
        .map((n) => ({ ...conditionAt(n), pos: n.pos() }))
    : [];
  return {
    file: fs.display(path),
    dir,
    name: root.optStr('name') ?? fs.display(path),
    description: root.optStr('description') ?? '',
    settings: s,
    timeline,
    expect,
  };
}
