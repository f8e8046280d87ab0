export {
  CounterFamily,
  HistogramFamily,
  MetricSet,
  type CounterSeries,
  type ExposedSample,
  type HistogramSeries,
  type MetricFamily,
  type SeriesLabels,
} from './MetricSet.js';
