import type { Clock } from './clock/index.js';

/** A Kubernetes-style event, stamped with simulated time. */
export interface SimEvent {
  /** Simulated ms since the epoch. */
  time: number;
  /** `Normal` or `Warning`, as Kubernetes events. */
  type: 'Normal' | 'Warning';
  /** Kind/name of the object the event is about, e.g. `Rollout/silly-demo`. */
  object: string;
  namespace: string;
  reason: string;
  message: string;
}

/** The simulation's event stream: controllers record, renderers and reports read. */
export class EventLog {
  readonly events: SimEvent[] = [];
  private readonly listeners: ((e: SimEvent) => void)[] = [];

  constructor(private readonly clock: Clock) {}

  record(
    kind: string,
    namespace: string,
    name: string,
    reason: string,
    message: string,
    type: 'Normal' | 'Warning' = 'Normal',
  ): void {
    const e: SimEvent = {
      time: this.clock.now(),
      type,
      object: `${kind}/${name}`,
      namespace,
      reason,
      message,
    };
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }

  subscribe(listener: (e: SimEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
}
