import { compileRegexp, RegexpError } from '../../go/regexp.js';
import type { LabelMatcher, MatchType } from './ast.js';

/**
 * A label matcher with its test compiled once. Regexes are RE2 with `.` matching `\n`, matched
 * against the whole value (Prometheus compiles `^(?s:re)$`); an invalid one throws its
 * `RegexpError` (the parser reports it at the matcher's position).
 */
export function newLabelMatcher(type: MatchType, name: string, value: string): LabelMatcher {
  switch (type) {
    case '=':
      return { name, type, value, matches: (v) => v === value };
    case '!=':
      return { name, type, value, matches: (v) => v !== value };
    case '=~': {
      const re = promRegex(value);
      return { name, type, value, matches: (v) => re.fullMatch(v) };
    }
    case '!~': {
      const re = promRegex(value);
      return { name, type, value, matches: (v) => !re.fullMatch(v) };
    }
  }
}

function promRegex(value: string) {
  const re = compileRegexp(value, { dotNL: true });
  if (re instanceof RegexpError) throw re;
  return re;
}
