import { goQuote } from '../../../go/quote.js';

/** Token kinds, named as expr-lang names them in its errors (`Operator(">")`, `EOF`). */
export type TokenKind = 'Identifier' | 'Number' | 'String' | 'Operator' | 'Bracket' | 'EOF';

/** One lexeme. `start`/`end` are UTF-16 offsets into the source; `value` is decoded for strings. */
export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** expr-lang's `Token.String()`: `Operator(">")`, `Identifier("foo")`, or the bare kind when empty. */
export function describeToken(token: Token): string {
  return token.value === '' ? token.kind : `${token.kind}(${goQuote(token.value)})`;
}
