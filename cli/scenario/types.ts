import type { AppModel, Fault } from '../../sim/apps/index.js';
import type { PodTimings } from '../../sim/cluster/index.js';
import type { TrafficSpec } from '../../loadgen/TrafficSpec.js';
import type { InputError, SourcePos } from '../../sim/errors.js';
import type { ArgoProfile } from '../../sim/rollout/index.js';
import type { PrometheusFault } from '../../sim/analysis/index.js';

/** Where a timeline entry was written, for messages. */
export interface At {
  pos: SourcePos;
}

export type Action =
  | ({ type: 'say'; text: string } & At)
  | ({ type: 'apply'; kustomize?: string; file?: string; namespace: string } & At)
  | ({ type: 'delete'; kustomize?: string; file?: string; namespace: string } & At)
  | ({ type: 'setImage'; kustomization: string; image: string } & At)
  /** `kubectl argo rollouts set image ROLLOUT CONTAINER=IMAGE` (the plugin's, on the live object). */
  | ({ type: 'setRolloutImage'; rollout: string; namespace: string; container: string; image: string } & At)
  | ({ type: 'fault'; fault: Fault } & At)
  | ({ type: 'clearFault'; target?: Pick<Fault, 'image' | 'pod' | 'namespace'> } & At)
  /** The embedded Prometheus goes unreachable or slow; `undefined` (`up`): it answers again. */
  | ({ type: 'prometheus'; fault?: PrometheusFault } & At)
  /** The ingress gateway's Envoy restarts in place: its counters reset. */
  | ({ type: 'restartGateway' } & At)
  | ({ type: 'promote'; rollout: string; namespace: string; full: boolean } & At)
  | ({ type: 'abort'; rollout: string; namespace: string } & At)
  | ({ type: 'retry'; rollout: string; namespace: string } & At)
  | ({ type: 'pause'; rollout: string; namespace: string } & At)
  | ({ type: 'undo'; rollout: string; namespace: string; toRevision: number } & At)
  | ({ type: 'restart'; rollout: string; namespace: string; inMs: number; in?: string } & At)
  | ({ type: 'get'; rollout: string; namespace: string; id?: string } & At)
  | ({ type: 'getVirtualService'; name: string; namespace: string } & At)
  | ({ type: 'hey'; id: string; argv: string[]; command: string; namespace: string; summary: boolean } & At)
  | ({ type: 'stopHey'; id: string } & At)
  | ({ type: 'traffic'; spec: TrafficSpec } & At)
  | ({ type: 'stopTraffic'; id: string } & At)
  | ({
      type: 'curl';
      url: string;
      count: number;
      namespace: string;
      id?: string;
      /** `-H 'Name: value'` headers, in order as written. */
      headers?: Record<string, string>;
    } & At)
  | ({ type: 'query'; expr: string; id?: string; exprPos: (offset: number) => SourcePos } & At)
  | ({ type: 'wait'; ms: number; raw: string } & At)
  | ({ type: 'waitUntil'; timeoutMs: number; pollMs: number } & Condition & At)
  | ({ type: 'expect' } & Condition & At);

/** A condition as written in the scenario, with what reports a problem at a character of it. */
export interface Condition {
  condition: string;
  condPos: (offset: number) => SourcePos;
  /** `file:line:col: scenario: <field>: invalid condition: <message>` at `offset` in the condition. */
  condError: (offset: number, message: string) => InputError;
}

export interface ScenarioSettings {
  seed: number;
  argo: ArgoProfile;
  startMs: number;
  namespaces: Record<string, { istioInjection: boolean }>;
  pods: PodTimings;
  scrapeIntervalMs: number;
  prometheusAddresses: string[];
  /** How long the embedded Prometheus keeps samples; undefined: all. */
  retentionMs?: number;
  /** Measurements for other addresses go to real Prometheus servers over HTTP. */
  allowRemote: boolean;
  trafficTickMs: number;
  env: Record<string, string>;
  /** kubectl's current namespace for actions that name none. */
  namespace: string;
  /** App models: how the images they match behave, per version. */
  apps: AppModel[];
}

export interface Expectation extends At, Condition {}

export interface Scenario {
  file: string;
  /** Directory the scenario's relative paths start from. */
  dir: string;
  name: string;
  description: string;
  settings: ScenarioSettings;
  timeline: Action[];
  expect: Expectation[];
}
