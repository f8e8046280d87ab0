export type { Clock, TimerId } from './Clock.js';
export { VirtualClock } from './VirtualClock.js';
export { RealClock, MAX_SPEED, MAX_TIMER_MS } from './RealClock.js';
export { Rng, K8S_ALPHANUMS } from './Rng.js';
