import type { DestinationRule } from '../../mesh/index.js';
import { sortKeysDeep } from '../../mesh/index.js';
import { isRfc1123Label } from '../../cluster/names.js';
import type { ManifestNode } from '../ManifestNode.js';

export type DestinationRuleSpec = Pick<DestinationRule, 'host' | 'subsets' | 'rawSpec'>;

const SIMPLE_LB = ['UNSPECIFIED', 'ROUND_ROBIN', 'LEAST_REQUEST', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH'];
/**
 * `loadBalancer`: a `simple` policy is inert — the simulated proxy spreads requests uniformly over
 * ready endpoints, which every simple policy does on average — and so is `localityLbSetting` (the
 * simulation has one locality). Hashing pins a client to one pod, and warm-up gives new pods less
 * traffic: both change who serves what, so they are refused.
 */
function loadBalancer(n: ManifestNode): void {
  n.only(['simple', 'localityLbSetting'], ['consistentHash', 'warmupDurationSecs', 'warmup'], {
    consistentHash:
      'consistentHash load balancing (it pins each client to one pod; the simulated proxy spreads requests uniformly)',
    warmupDurationSecs:
      'slow start (it gives new pods less traffic; the simulated proxy spreads requests uniformly)',
    warmup: 'slow start (it gives new pods less traffic; the simulated proxy spreads requests uniformly)',
  });
  const simple = n.child('simple');
  if (simple.exists) {
    const v = simple.str();
    if (!SIMPLE_LB.includes(v))
      throw simple.error(`invalid value ${JSON.stringify(v)}: expected one of ${SIMPLE_LB.join(', ')}`);
  }
}

/**
 * A traffic policy keeps only what changes nothing observable: `loadBalancer` as above and `tls`
 * (the simulated mesh has no TLS to get wrong). Outlier detection ejects pods from the pool and a
 * connection pool overflows into 503s: both change which requests succeed, so they are refused.
 */
function trafficPolicy(n: ManifestNode, portLevel: boolean): void {
  n.only(
    portLevel ? ['port', 'loadBalancer', 'tls'] : ['loadBalancer', 'tls', 'portLevelSettings'],
    ['connectionPool', 'outlierDetection', ...(portLevel ? [] : ['tunnel', 'proxyProtocol'])],
    {
      connectionPool: 'connectionPool (its limits overflow into 503s, which are not simulated)',
      outlierDetection:
        'outlierDetection (it ejects failing pods from the pool; which pods get traffic would differ)',
      tunnel: 'tunnel (egress tunnelling is not simulated)',
      proxyProtocol: 'proxyProtocol (not simulated)',
    },
  );
  if (n.child('loadBalancer').exists) n.guard(() => loadBalancer(n.child('loadBalancer')), undefined);
  if (n.child('tls').exists) n.guard(() => n.child('tls').map(), {});
  if (portLevel) {
    const port = n.req('port');
    port.only(['number']);
    port.req('number').int({ min: 1, max: 65535 });
  }
  const pls = n.child('portLevelSettings');
  if (pls.exists) for (const p of pls.list()) p.guard(() => trafficPolicy(p, true), undefined);
}

/**
 * networking.istio.io DestinationRule: the `host` and its `subsets` (name and labels), which a
 * VirtualService route names as `destination.subset` and whose labels Argo Rollouts rewrites for
 * subset-level splitting. `exportTo` is inert; `workloadSelector` is refused.
 */
export function parseDestinationRule(spec: ManifestNode): DestinationRuleSpec {
  spec.only(['host', 'subsets', 'trafficPolicy', 'exportTo'], ['workloadSelector'], {
    workloadSelector: 'workloadSelector (a rule for some workloads only is not simulated)',
  });
  const host = spec.req('host').nonEmptyStr();
  if (spec.child('exportTo').exists) spec.guard(() => spec.child('exportTo').list(), []);
  const tp = spec.child('trafficPolicy');
  if (tp.exists) spec.guard(() => trafficPolicy(tp, false), undefined);
  const seen = new Set<string>();
  const subsetsNode = spec.child('subsets');
  const subsets = (subsetsNode.exists ? subsetsNode.list() : []).flatMap((s) =>
    s.guard(() => {
      s.only(['name', 'labels', 'trafficPolicy']);
      const nameNode = s.req('name');
      const name = nameNode.nonEmptyStr();
      if (!isRfc1123Label(name))
        throw nameNode.error(`invalid value ${JSON.stringify(name)}: a subset name must be a DNS-1123 label`);
      if (seen.has(name)) throw nameNode.error(`duplicate subset names: ${JSON.stringify(name)}`);
      seen.add(name);
      const labels = s.child('labels').exists ? s.child('labels').stringMap() : {};
      if (s.child('trafficPolicy').exists)
        s.guard(() => trafficPolicy(s.child('trafficPolicy'), false), undefined);
      return [{ name, labels }];
    }, []),
  );
  return { host, subsets, rawSpec: sortKeysDeep(structuredClone(spec.map())) };
}
