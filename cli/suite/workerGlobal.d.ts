// tinypool's types read its `resourceLimits` option off the global `Worker` (the DOM's); Node has
// Worker only in node:worker_threads, and this project compiles without the DOM library.
import type { ResourceLimits } from 'node:worker_threads';

declare global {
  interface Worker {
    resourceLimits?: ResourceLimits;
  }
}
