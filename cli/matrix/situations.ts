/**
 * The situations `canarysim matrix` drives an analysis into (issue 12): each a recipe of
 * timeline actions played through the whole simulation — traffic through the mesh, Istio's
 * counters scraped into the embedded Prometheus, the template's own PromQL, Argo's verdicts —
 * never a value handed to the condition.
 */

/**
 * What a situation says about the canary, which decides which outcome is a trap:
 * - `healthy`: a good version with traffic (a counter reset too) — aborting it is a false abort;
 * - `quiet`: a good version with little or no data — aborting it is a false abort, promoting it
 *   is promoting on no evidence;
 * - `bad`: a broken version — promoting it ships the bug;
 * - `outage`: Prometheus itself is down or slow — promoting is promoting on no evidence.
 */
export type SituationKind = 'healthy' | 'quiet' | 'bad' | 'outage';

/** Where a recipe's actions go on the row's timeline. */
export interface Recipe {
  /** No load at all, not even before the update. */
  noTraffic?: boolean;
  /** Actions just before the image is updated (faults, Prometheus state, stopping the load). */
  before?: (ctx: RecipeContext) => Record<string, unknown>[];
  /** Actions after the update (their waits are relative to it). */
  after?: (ctx: RecipeContext) => Record<string, unknown>[];
}

export interface RecipeContext {
  /** `rollouts["name"]` in conditions. */
  rollout: string;
  /** The canary's image, for faults. */
  canaryImage: string;
  scrapeIntervalMs: number;
  /** When the first analysis measurement is due, ms after the update (the static timeline's). */
  firstMeasurementMs: number;
}

/** What the measurements' answers must show for the situation to have been reached. */
export type Reached = 'empty' | 'nan' | 'inf' | 'refused' | 'timeout' | 'always';

export interface Situation {
  /** Row name, for `--accept`. */
  id: string;
  /** The situation, as the table prints it. */
  title: string;
  kind: SituationKind;
  /** How canarysim makes it happen, one line for the README and `--json`. */
  how: string;
  reached: Reached;
  recipe: Recipe;
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;

/** The rows, in the order the table prints them. */
export const SITUATIONS: readonly Situation[] = [
  {
    id: 'healthy',
    title: 'traffic, no 5xx series yet',
    kind: 'healthy',
    how: 'steady load at --rps; the new version answers every request 200, so no 5xx series exists',
    reached: 'always',
    recipe: {},
  },
  {
    id: 'no-traffic',
    title: 'no traffic at all',
    kind: 'quiet',
    how: 'no load at any time: no Istio series for the service exist',
    reached: 'always',
    recipe: { noTraffic: true },
  },
  {
    id: 'empty-vector',
    title: 'empty vector',
    kind: 'quiet',
    how: "the load stops as the image is updated: the stable's series exist, the canary's never appear",
    reached: 'empty',
    recipe: { before: () => [{ stopTraffic: 'users' }] },
  },
  {
    id: 'nan',
    title: 'NaN (0/0)',
    kind: 'quiet',
    how: 'the canary serves the load for two scrapes after it first gets weight, then the load stops: counters stand still, rates are 0',
    reached: 'nan',
    recipe: {
      after: (c) => [
        {
          waitUntil: {
            condition: `rollouts[${JSON.stringify(c.rollout)}].actualWeight > 0`,
            timeout: '1h',
          },
        },
        { wait: seconds(2 * c.scrapeIntervalMs) },
        { stopTraffic: 'users' },
      ],
    },
  },
  {
    id: 'counter-reset',
    title: 'counter reset',
    kind: 'healthy',
    how: "the ingress gateway's Envoy restarts in place one scrape before the first measurement: every istio_requests_total drops to 0",
    reached: 'always',
    recipe: {
      after: (c) => [
        { wait: seconds(Math.max(1000, c.firstMeasurementMs - c.scrapeIntervalMs)) },
        { restartGateway: 'istio-ingress' },
      ],
    },
  },
  {
    id: 'only-errors',
    title: 'only errors',
    kind: 'bad',
    how: 'the new version answers every request 500',
    reached: 'always',
    recipe: { before: (c) => [{ fault: { image: c.canaryImage, errors: '100%' } }] },
  },
  {
    id: 'inf',
    title: '+Inf',
    kind: 'bad',
    how: "the new version takes 1h to answer (canarysim's longest latency, Istio's last finite bucket); a ratio of counters reaches +Inf only when its divisor can be 0 while its dividend is not",
    reached: 'inf',
    recipe: { before: (c) => [{ fault: { image: c.canaryImage, latency: '1h' } }] },
  },
  {
    id: 'prometheus-unreachable',
    title: 'provider unreachable',
    kind: 'outage',
    how: 'Prometheus is down from the update on: every query is refused (connection refused)',
    reached: 'refused',
    recipe: { before: () => [{ prometheus: 'unreachable' }] },
  },
  {
    id: 'prometheus-slow',
    title: 'provider slow (timeout)',
    kind: 'outage',
    how: "Prometheus answers no query from the update on: each gives up after the provider's timeout (30s unless set)",
    reached: 'timeout',
    recipe: { before: () => [{ prometheus: 'slow' }] },
  },
];
