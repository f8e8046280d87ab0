import type { LabelMatcher, MatchType } from './ast.js';
import { compileAnchoredRe2 } from './re2.js';

/**
 * A label matcher with its test compiled once. Regexes are RE2, fully anchored (`^(?s:re)$`);
 * an invalid one throws `Re2SyntaxError` (the parser reports it at the matcher's position).
 */
export function newLabelMatcher(type: MatchType, name: string, value: string): LabelMatcher {
  switch (type) {
    case '=':
      return { name, type, value, matches: (v) => v === value };
    case '!=':
      return { name, type, value, matches: (v) => v !== value };
    case '=~': {
      const re = compileAnchoredRe2(value);
      return { name, type, value, matches: (v) => re.test(v) };
    }
    case '!~': {
      const re = compileAnchoredRe2(value);
      return { name, type, value, matches: (v) => !re.test(v) };
    }
  }
}
