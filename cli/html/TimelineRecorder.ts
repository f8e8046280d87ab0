import { revisionOf } from '../../sim/cluster/index.js';
import type { AnyWorld } from '../../sim/world.js';
import type { RunEvent } from '../scenario/runScenario.js';
import { projectRollout, rolloutImages } from '../views/projectRollout.js';

/** A rollout's state at one instant, as the HTML report charts it. */
export interface RolloutFrame {
  /** Simulated ms since the scenario started. */
  t: number;
  phase: string;
  /** `index/steps`, "" without steps. */
  step: string;
  /** Traffic weight (percent) by image: the canary's ActualWeight as the plugin computes it, the rest to the stable (blue-green: 100 to the active). */
  weights: Record<string, number>;
  replicaSets: FrameReplicaSet[];
}

export interface FrameReplicaSet {
  name: string;
  revision: number;
  image: string;
  /** spec.replicas */
  replicas: number;
  ready: number;
}

/** A command a user typed at a rollout (promote, abort, retry, …), from the run's own command lines. */
export interface UserAction {
  t: number;
  namespace: string;
  rollout: string;
  /** `promote`, `promote --full`, `abort`, `retry`, `pause`, `undo`, `restart`, `set image`. */
  action: string;
}

/** At most this many frames per rollout (README, Limits): later changes are counted, not kept. */
export const MAX_FRAMES = 10_000;

interface Track {
  frames: RolloutFrame[];
  last: string;
  dropped: number;
}

const ROLLOUT_COMMAND =
  /^kubectl argo rollouts --namespace (\S+) (promote(?: --full)?|abort|retry|pause|undo|restart|set image) (\S+)/;

/**
 * Records how each rollout's weights, phase and ReplicaSets change over a run, for the HTML
 * report (what the TSDB does not hold: Argo exports no weights, and there is no kube-state-metrics).
 * It reads the world only when something may have changed (World.changeStamp) — before each timer
 * of the virtual clock and at each thing the run says — and stamps a change with the time of the
 * event that made it: the timer or action before the read. Reads only: the run is the same with
 * or without it.
 */
export class TimelineRecorder {
  private readonly tracks = new Map<string, Track>();
  readonly actions: UserAction[] = [];
  private world: AnyWorld | undefined;
  private stamp = '';
  /** When the last timer ran or the last action was said: what a change seen now happened at. */
  private lastAt = 0;

  /** Hooks into the world's clock (after the run has set its own hook, which still runs). */
  attach(world: AnyWorld & { clock: { beforeTimer?: ((id: number) => void) | undefined } }): void {
    this.world = world;
    this.lastAt = world.now();
    const before = world.clock.beforeTimer;
    world.clock.beforeTimer = (id) => {
      this.sample();
      before?.(id);
    };
    this.sample();
  }

  /** Hears what the run says (its emit): samples, and keeps the commands typed at a rollout. */
  event(e: RunEvent): void {
    this.sample();
    if (e.type !== 'command' || !this.world) return;
    const m = ROLLOUT_COMMAND.exec(e.text);
    if (m)
      this.actions.push({
        t: this.world.now() - this.world.options.startMs,
        namespace: m[1]!,
        action: m[2]!,
        rollout: m[3]!,
      });
  }

  /** The frames by `namespace/name`, with the final state as the last one. */
  finish(): Map<string, { frames: RolloutFrame[]; dropped: number }> {
    this.sample();
    return new Map([...this.tracks].map(([k, t]) => [k, { frames: t.frames, dropped: t.dropped }]));
  }

  private sample(): void {
    const w = this.world;
    if (!w) return;
    const now = w.now();
    const stamp = w.changeStamp();
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      const t = this.lastAt - w.options.startMs;
      const seen = new Set<string>();
      for (const { ro } of w.rollouts.values()) {
        const key = `${ro.meta.namespace}/${ro.meta.name}`;
        seen.add(key);
        this.record(key, t, this.frame(t, w, ro));
      }
      // A deleted Rollout (and its ReplicaSets) is gone until it is applied again.
      for (const key of this.tracks.keys())
        if (!seen.has(key)) this.record(key, t, { t, phase: '', step: '', weights: {}, replicaSets: [] });
    }
    this.lastAt = now;
  }

  private frame(t: number, w: AnyWorld, ro: Parameters<typeof projectRollout>[1]): RolloutFrame {
    const view = projectRollout(w, ro);
    const rss = w.cluster.listReplicaSets(ro.meta.namespace, ro.meta.name);
    const imageOf = (hash: string | undefined) =>
      rss.find((rs) => rs.podTemplateHash === hash)?.template.containers[0]?.image;
    const weights: Record<string, number> = {};
    if (ro.spec.strategy.canary) {
      const imgs = rolloutImages(w, ro);
      const canary = imgs.canary !== undefined ? Number(view.actualWeight) : 0;
      if (imgs.canary !== undefined) weights[imgs.canary] = canary;
      if (imgs.stable !== undefined) weights[imgs.stable] = (weights[imgs.stable] ?? 0) + 100 - canary;
    } else {
      const active = imageOf(ro.status.blueGreen.activeSelector);
      if (active !== undefined) weights[active] = 100;
    }
    return {
      t,
      phase: view.status,
      step: view.step,
      weights,
      replicaSets: rss
        .map((rs) => ({
          name: rs.meta.name,
          revision: revisionOf(rs),
          image: rs.template.containers[0]?.image ?? '',
          replicas: rs.replicas,
          ready: rs.status.readyReplicas,
        }))
        .sort((a, b) => a.revision - b.revision || (a.name < b.name ? -1 : 1)),
    };
  }

  private record(key: string, t: number, frame: RolloutFrame): void {
    let track = this.tracks.get(key);
    if (!track) this.tracks.set(key, (track = { frames: [], last: '', dropped: 0 }));
    const { t: _t, ...rest } = frame;
    const text = JSON.stringify(rest);
    if (text === track.last) return;
    track.last = text;
    // Changes at one instant: the chart shows where they ended.
    if (track.frames[track.frames.length - 1]?.t === t) track.frames[track.frames.length - 1] = frame;
    else if (track.frames.length < MAX_FRAMES) track.frames.push(frame);
    else track.dropped++;
  }
}
