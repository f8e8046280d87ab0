/**
 * The embedded TSDB: in-memory series with typed-array samples, stale markers, retention, and the
 * `select` the PromQL engine reads through (it declares its own `Queryable`; tsdb never imports it).
 */
export type { LabelSet } from './LabelSet.js';
export { STALE_NAN, isStaleMarker, isStaleAt } from './staleMarker.js';
export { Storage } from './Storage.js';
export type { SelectMatcher, SelectedSeries, StorageOptions } from './Storage.js';
export { Scraper } from './Scraper.js';
export type { Appender, ScrapeSource } from './Scraper.js';
