export * from './catalogue.js';
export * from './handler.js';
export * from './latency.js';
