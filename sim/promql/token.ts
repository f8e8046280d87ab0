import { goQuote } from './goFormat.js';

/** Kinds of lexer tokens, named as in Prometheus's `ItemType`. */
export type TokenType =
  | 'EOF'
  | 'ERROR'
  | 'COMMENT'
  | 'IDENTIFIER'
  | 'METRIC_IDENTIFIER'
  | 'NUMBER'
  | 'DURATION'
  | 'STRING'
  | 'LEFT_PAREN'
  | 'RIGHT_PAREN'
  | 'LEFT_BRACE'
  | 'RIGHT_BRACE'
  | 'LEFT_BRACKET'
  | 'RIGHT_BRACKET'
  | 'COMMA'
  | 'EQL'
  | 'COLON'
  // Operators.
  | 'ADD'
  | 'SUB'
  | 'MUL'
  | 'DIV'
  | 'MOD'
  | 'POW'
  | 'EQLC'
  | 'NEQ'
  | 'LTE'
  | 'LSS'
  | 'GTE'
  | 'GTR'
  | 'EQL_REGEX'
  | 'NEQ_REGEX'
  | 'LAND'
  | 'LOR'
  | 'LUNLESS'
  | 'ATAN2'
  | 'AT'
  // Aggregators.
  | 'SUM'
  | 'AVG'
  | 'COUNT'
  | 'MIN'
  | 'MAX'
  | 'GROUP'
  | 'STDDEV'
  | 'STDVAR'
  | 'TOPK'
  | 'BOTTOMK'
  | 'COUNT_VALUES'
  | 'QUANTILE'
  | 'LIMITK'
  | 'LIMIT_RATIO'
  // Keywords.
  | 'OFFSET'
  | 'BY'
  | 'WITHOUT'
  | 'ON'
  | 'IGNORING'
  | 'GROUP_LEFT'
  | 'GROUP_RIGHT'
  | 'BOOL'
  | 'SMOOTHED'
  | 'ANCHORED'
  | 'FILL'
  | 'FILL_LEFT'
  | 'FILL_RIGHT'
  // Preprocessors.
  | 'START'
  | 'END'
  | 'STEP'
  | 'RANGE';

/** A lexer token: its kind, where it starts (UTF-16 index), and its text. */
export interface Token {
  readonly type: TokenType;
  readonly pos: number;
  readonly val: string;
}

/** Lower-cased word → keyword token (PromQL keywords are case-insensitive). */
export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['and', 'LAND'],
  ['or', 'LOR'],
  ['unless', 'LUNLESS'],
  ['atan2', 'ATAN2'],
  ['sum', 'SUM'],
  ['avg', 'AVG'],
  ['count', 'COUNT'],
  ['min', 'MIN'],
  ['max', 'MAX'],
  ['group', 'GROUP'],
  ['stddev', 'STDDEV'],
  ['stdvar', 'STDVAR'],
  ['topk', 'TOPK'],
  ['bottomk', 'BOTTOMK'],
  ['count_values', 'COUNT_VALUES'],
  ['quantile', 'QUANTILE'],
  ['limitk', 'LIMITK'],
  ['limit_ratio', 'LIMIT_RATIO'],
  ['offset', 'OFFSET'],
  ['smoothed', 'SMOOTHED'],
  ['anchored', 'ANCHORED'],
  ['by', 'BY'],
  ['without', 'WITHOUT'],
  ['on', 'ON'],
  ['ignoring', 'IGNORING'],
  ['group_left', 'GROUP_LEFT'],
  ['group_right', 'GROUP_RIGHT'],
  ['fill', 'FILL'],
  ['fill_left', 'FILL_LEFT'],
  ['fill_right', 'FILL_RIGHT'],
  ['bool', 'BOOL'],
  ['start', 'START'],
  ['end', 'END'],
  ['step', 'STEP'],
  ['range', 'RANGE'],
]);

const OPERATORS = new Set<TokenType>([
  'ADD',
  'SUB',
  'MUL',
  'DIV',
  'MOD',
  'POW',
  'EQLC',
  'NEQ',
  'LTE',
  'LSS',
  'GTE',
  'GTR',
  'EQL_REGEX',
  'NEQ_REGEX',
  'LAND',
  'LOR',
  'LUNLESS',
  'ATAN2',
  'AT',
]);

const AGGREGATORS = new Set<TokenType>([
  'SUM',
  'AVG',
  'COUNT',
  'MIN',
  'MAX',
  'GROUP',
  'STDDEV',
  'STDVAR',
  'TOPK',
  'BOTTOMK',
  'COUNT_VALUES',
  'QUANTILE',
  'LIMITK',
  'LIMIT_RATIO',
]);

const KEYWORD_TYPES = new Set<TokenType>([
  'OFFSET',
  'BY',
  'WITHOUT',
  'ON',
  'IGNORING',
  'GROUP_LEFT',
  'GROUP_RIGHT',
  'BOOL',
  'SMOOTHED',
  'ANCHORED',
  'FILL',
  'FILL_LEFT',
  'FILL_RIGHT',
]);

/** Token kinds with a fixed spelling (Prometheus's `ItemTypeStr`): described by their text. */
const FIXED = new Set<TokenType>([
  'LEFT_PAREN',
  'RIGHT_PAREN',
  'LEFT_BRACE',
  'RIGHT_BRACE',
  'LEFT_BRACKET',
  'RIGHT_BRACKET',
  'COMMA',
  'EQL',
  'COLON',
  ...OPERATORS,
  ...AGGREGATORS,
  ...KEYWORD_TYPES,
  'START',
  'END',
  'STEP',
  'RANGE',
]);

/** True for aggregation operators (`sum`, `topk`, …). */
export function isAggregator(t: TokenType): boolean {
  return AGGREGATORS.has(t);
}

/**
 * The token as Prometheus names it in "unexpected …" messages: `<op:*>`, `<aggr:sum>`, `<by>`,
 * `"("`, `identifier "foo"`, `number "1"`, `end of input`.
 */
export function describeToken(tok: Token): string {
  if (tok.type === 'EOF') return 'end of input';
  if (tok.type === 'ERROR') return tok.val;
  if (FIXED.has(tok.type)) return tokenString(tok);
  return `${describeType(tok.type)} ${tokenString(tok)}`;
}

function tokenString(tok: Token): string {
  if (tok.type === 'IDENTIFIER' || tok.type === 'METRIC_IDENTIFIER') return goQuote(tok.val);
  if (KEYWORD_TYPES.has(tok.type)) return `<${tok.val}>`;
  if (OPERATORS.has(tok.type)) return `<op:${tok.val}>`;
  if (AGGREGATORS.has(tok.type)) return `<aggr:${tok.val}>`;
  // Go's %.10q: the first 10 characters, quoted, then an ellipsis.
  if ([...tok.val].length > 10) return `${goQuote([...tok.val].slice(0, 10).join(''))}...`;
  return goQuote(tok.val);
}

function describeType(t: TokenType): string {
  switch (t) {
    case 'IDENTIFIER':
      return 'identifier';
    case 'METRIC_IDENTIFIER':
      return 'metric identifier';
    case 'STRING':
      return 'string';
    case 'NUMBER':
      return 'number';
    case 'DURATION':
      return 'duration';
    case 'COMMENT':
      return 'comment';
    default:
      return goQuote(t);
  }
}
