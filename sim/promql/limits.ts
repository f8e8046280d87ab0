/*
 * The engine's stated bounds. Prometheus has no depth or length limit of its own (Go's stack
 * grows; net/http caps a GET URL at 1 MiB and a POSTed form at 10 MB): ours keep every recursive
 * stage — parser, checker, evaluator, printer — far from the JavaScript stack's end, and are far
 * above anything a canary analysis writes (a typical query is 10 levels deep and 200 bytes long).
 */

/** The deepest expression tree accepted: `((…))`, `1+1+…` and `f(g(…))` each count a level a node. */
export const MAX_EXPR_DEPTH = 200;

/** The longest query text accepted, in UTF-8 bytes (64 KiB). */
export const MAX_QUERY_BYTES = 64 * 1024;

/**
 * The most points a range query may produce per series, as Prometheus's HTTP API enforces
 * (`exceeded maximum resolution of 11,000 points per timeseries`).
 */
export const MAX_RANGE_POINTS = 11_000;
