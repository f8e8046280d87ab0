import { createActor, setup, type Actor } from 'xstate';
import type { Clock } from '../clock/index.js';
import type { Rollout } from './types.js';

/**
 * What the machine and the world need of a rollout's controller (the canary's RolloutController
 * and the BlueGreenController both fit): one reconcile per SYNC, the requeue it asked for, and
 * informer-style enqueueing.
 */
export interface RolloutReconciler {
  readonly rollout: Rollout;
  /** Simulated time of the earliest requeue the last sync asked for, or undefined. */
  requeueAt: number | undefined;
  /** Delivers a SYNC to the rollout's machine (set when the machine starts). */
  sendSync: () => void;
  /** Syncs that changed something (a cheap change stamp for observers). */
  changes: number;
  /** Hears the end of every sync. */
  onSynced: () => void;
  /** One sync, and another soon when it changed anything. */
  syncAndSchedule(): void;
  /** Queues a sync, as an informer event puts the rollout on Argo's workqueue. */
  enqueue(): void;
  now(): number;
}

/** What users and the cluster tell a rollout. Commands are the plugin's patches (spec/argo-rollouts.md §3.5). */
export type RolloutEvent =
  | { type: 'SYNC' }
  | { type: 'PROMOTE'; full: boolean }
  | { type: 'ABORT' }
  | { type: 'RETRY' }
  | { type: 'PAUSE' };

export interface RolloutMachineContext {
  ctrl: RolloutReconciler;
  commands: RolloutCommands;
}

/** The status patches of the plugin's commands, applied before the sync they trigger. */
export interface RolloutCommands {
  promote(full: boolean): void;
  abort(): void;
  retry(): void;
  pause(): void;
}

const phaseStates = {
  initial: 'check',
  states: {
    check: { always: [{ guard: 'hasRequeue', target: 'waiting' }, { target: 'idle' }] },
    // Argo's `enqueueAfter`: the end of a timed pause, a scale-down deadline.
    waiting: { after: { requeue: { target: '#rollout.Reconciling' } } },
    idle: {},
  },
} as const;

/**
 * The rollout's lifecycle as an XState machine. Every event goes through `Reconciling`, which runs
 * one controller sync, then settles in the phase the sync computed (Healthy, Progressing, Paused,
 * Degraded). Waits — a `pause: {duration}`, a scale-down delay — are the machine's `after` timers,
 * which run on the injected clock, so a 300 s pause costs nothing in virtual time.
 */
export const rolloutMachine = setup({
  types: {
    context: {} as RolloutMachineContext,
    events: {} as RolloutEvent,
    input: {} as RolloutMachineContext,
  },
  actions: {
    sync: ({ context }) => context.ctrl.syncAndSchedule(),
    promote: ({ context, event }) => {
      if (event.type === 'PROMOTE') context.commands.promote(event.full);
    },
    abort: ({ context }) => context.commands.abort(),
    retry: ({ context }) => context.commands.retry(),
    pause: ({ context }) => context.commands.pause(),
  },
  guards: {
    isDegraded: ({ context }) => context.ctrl.rollout.status.phase === 'Degraded',
    isPaused: ({ context }) => context.ctrl.rollout.status.phase === 'Paused',
    isHealthy: ({ context }) => context.ctrl.rollout.status.phase === 'Healthy',
    hasRequeue: ({ context }) => context.ctrl.requeueAt !== undefined,
  },
  delays: {
    requeue: ({ context }) => Math.max(0, (context.ctrl.requeueAt ?? 0) - context.ctrl.now()),
  },
}).createMachine({
  id: 'rollout',
  context: ({ input }) => input,
  initial: 'Reconciling',
  on: {
    SYNC: { target: '.Reconciling', reenter: true },
    PROMOTE: { target: '.Reconciling', reenter: true, actions: 'promote' },
    ABORT: { target: '.Reconciling', reenter: true, actions: 'abort' },
    RETRY: { target: '.Reconciling', reenter: true, actions: 'retry' },
    PAUSE: { target: '.Reconciling', reenter: true, actions: 'pause' },
  },
  states: {
    Reconciling: {
      entry: 'sync',
      always: [
        { guard: 'isDegraded', target: 'Degraded' },
        { guard: 'isPaused', target: 'Paused' },
        { guard: 'isHealthy', target: 'Healthy' },
        { target: 'Progressing' },
      ],
    },
    Healthy: phaseStates,
    Progressing: phaseStates,
    Paused: phaseStates,
    Degraded: phaseStates,
  },
});

export type RolloutActor = Actor<typeof rolloutMachine>;

/** Starts the machine for a controller on the simulation's clock. */
export function startRolloutActor(
  ctrl: RolloutReconciler,
  commands: RolloutCommands,
  clock: Clock,
): RolloutActor {
  const actor = createActor(rolloutMachine, { input: { ctrl, commands }, clock });
  actor.start();
  return actor;
}
