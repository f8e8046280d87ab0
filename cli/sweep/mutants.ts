import { formatGoDuration, parseGoDuration } from '../../go/duration.js';
import { imageMatches, parseImagePattern } from '../../sim/apps/index.js';
import { InputError } from '../../sim/errors.js';
import { parseSetImageArg } from '../../sim/manifests/index.js';
import type { Override } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/types.js';

/** One standard bad version (or the healthy one) of `sweep --mutants`. */
export interface Mutant {
  name: string;
  description: string;
  healthy: boolean;
  /** The scenario's `apps:` with the mutant's model first (the first model that matches wins); none for the healthy one. */
  override?: Override;
}

/** What `--mutants` may be told (README): the error shares to add, the path, the load. */
export interface MutantOptions {
  /** `--canary-image`: default, the image of the scenario's last setImage. */
  canaryImage?: string;
  /** `--mutant-errors`: the +x % 5xx mutants (default 1 % and 5 %). */
  errorShares: string[];
  /** `--mutant-path`: the one path that fails (default: the least-used path of the scenario's traffic mix, else /). */
  path?: string;
  /** `--mutant-load`: the per-pod rate above which the under-load mutant fails (default 20/s). */
  load: string;
}

/** The image the scenario updates its Rollout to: its last `setImage`. */
export function canaryImageOf(scenario: Scenario): string | undefined {
  let image: string | undefined;
  for (const a of scenario.timeline) {
    if (a.type === 'setRolloutImage') image = a.image;
    if (a.type === 'setImage') {
      const r = parseSetImageArg(a.image);
      if (typeof r !== 'string' && r.newTag !== undefined) image = `${r.newName ?? r.name}:${r.newTag}`;
    }
  }
  return image;
}

/** The least-used path of the scenario's traffic mixes (the path a path-only bug hides on), else `/`. */
function quietPath(scenario: Scenario): string {
  let best: { path: string; share: number } | undefined;
  for (const a of scenario.timeline) {
    if (a.type !== 'traffic') continue;
    for (const m of a.spec.mix ?? []) {
      const p = m.path ?? '/';
      if (!best || m.share < best.share) best = { path: p, share: m.share };
    }
  }
  return best?.path ?? '/';
}

type Raw = Record<string, unknown>;

/** The base latency of a model as p50/p99 in ms: its own, or the generic service's 5 ms / 25 ms. */
function baseLatency(model: Raw | undefined): { p50: number; p99: number } {
  const l = model?.['latency'] as Raw | undefined;
  const ms = (v: unknown) => (typeof v === 'string' ? parseGoDuration(v) : undefined);
  if (l && ms(l['p50']) !== undefined && ms(l['p99']) !== undefined)
    return { p50: ms(l['p50'])!, p99: ms(l['p99'])! };
  if (l && ms(l['fixed']) !== undefined) return { p50: ms(l['fixed'])!, p99: ms(l['fixed'])! };
  const u = l?.['uniform'];
  if (Array.isArray(u) && ms(u[0]) !== undefined && ms(u[1]) !== undefined) {
    const [a, b] = [ms(u[0])!, ms(u[1])!];
    return { p50: (a + b) / 2, p99: a + 0.99 * (b - a) };
  }
  return { p50: 5, p99: 25 };
}

/** The model's error rules as a list (a bare share is one rule with status 500). */
function baseErrors(model: Raw | undefined): unknown[] {
  const e = model?.['errors'];
  if (e === undefined || e === null) return [];
  if (typeof e === 'string') return [{ share: e, status: 500 }];
  return Array.isArray(e) ? e : [e];
}

/**
 * The standard bad versions of the canary's image, each a model put first in the scenario's
 * `apps:` over the model it had (so it keeps its latency, start-up, metrics…): +x % 5xx, p99 ×2
 * and ×5, a crash loop, errors on one path only, errors only under load — and the healthy
 * version as the scenario models it.
 */
export function standardMutants(scenario: Scenario, rawApps: unknown[], o: MutantOptions): Mutant[] {
  const image = o.canaryImage ?? canaryImageOf(scenario);
  if (!image)
    throw new InputError(
      "--mutants: the scenario sets no image (setImage) to mutate; name the canary's image with --canary-image IMAGE",
    );
  const base = rawApps.find((a) => {
    const pattern = (a as Raw | null)?.['image'];
    return typeof pattern === 'string' && imageMatches(parseImagePattern(pattern), image);
  }) as Raw | undefined;
  const lat = baseLatency(base);
  const path = o.path ?? quietPath(scenario);
  const model = (name: string, change: Raw): Override => ({
    path: ['apps'],
    value: [{ ...base, image, ...change }, ...rawApps],
    flag: `--mutants (${name})`,
  });
  const latency = (k: number) => ({
    latency: { p50: formatGoDuration(lat.p50), p99: formatGoDuration(lat.p99 * k) },
  });
  const bad = (name: string, description: string, change: Raw): Mutant => ({
    name,
    description,
    healthy: false,
    override: model(name, change),
  });
  return [
    { name: 'healthy', description: `${image} as the scenario models it`, healthy: true },
    ...o.errorShares.map((x) =>
      bad(`5xx +${x}`, `${x} more of its requests answer 500`, {
        errors: [{ share: x, status: 500 }, ...baseErrors(base)],
      }),
    ),
    bad('p99 ×2', `p99 ${formatGoDuration(lat.p99)} → ${formatGoDuration(lat.p99 * 2)}`, latency(2)),
    bad('p99 ×5', `p99 ${formatGoDuration(lat.p99)} → ${formatGoDuration(lat.p99 * 5)}`, latency(5)),
    bad('crash loop', 'each process exits 1 after 30s (CrashLoopBackOff)', { crash: { after: '30s' } }),
    bad('one path', `every request to ${path}… answers 500`, {
      errors: [{ share: '100%', status: 500, when: { uri: { prefix: path } } }, ...baseErrors(base)],
    }),
    bad('under load', `above ${o.load} per pod the excess answers 503`, {
      saturation: { rate: o.load, errors: '100%', status: 503 },
    }),
  ];
}
