/*
 * A condition's stated bounds. expr-lang (v1.17, what Argo Rollouts 1.8/1.9 runs) refuses more
 * than 10,000 nodes and allocations past a memory budget of 1,000,000; it bounds neither depth nor
 * work, so `all([1,2], all([1,2], … # > 0))` 25 deep runs 2^25 predicates. canarysim also bounds
 * both: the checker and interpreter recurse over the tree, and an analysis must end.
 */

/** The deepest tree accepted (parentheses, operator chains, `.a.b.c`, nested calls). */
export const MAX_CONDITION_DEPTH = 500;

/** expr-lang's `conf.DefaultMaxNodes`: "compilation failed: expression exceeds maximum allowed nodes". */
export const MAX_CONDITION_NODES = 10_000;

/**
 * Nodes one evaluation may visit: a predicate over a 100,000-element result costs a few hundred
 * thousand; exponential nesting is stopped in well under a second.
 */
export const MAX_CONDITION_STEPS = 1_000_000;

/**
 * expr-lang's `conf.DefaultMemoryBudget`: elements of arrays, maps and ranges built during one
 * evaluation ("memory budget exceeded"); canarysim also counts the bytes of concatenated strings.
 */
export const CONDITION_MEMORY_BUDGET = 1_000_000;
