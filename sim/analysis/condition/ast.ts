/**
 * The condition syntax tree, one node kind per expr-lang AST node. Every node carries its source
 * span (`start`..`end`, UTF-16 offsets) and `pos`, the offset expr-lang reports errors at (an
 * operator, a property name, a call's name).
 */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly pos: number;
}

export interface NilNode extends Span {
  readonly kind: 'Nil';
}
export interface BoolNode extends Span {
  readonly kind: 'Bool';
  readonly value: boolean;
}
/** An int literal: Go `int` (64-bit), hence bigint. */
export interface IntegerNode extends Span {
  readonly kind: 'Integer';
  readonly value: bigint;
}
export interface FloatNode extends Span {
  readonly kind: 'Float';
  readonly value: number;
}
export interface StringNode extends Span {
  readonly kind: 'String';
  readonly value: string;
}
export interface IdentifierNode extends Span {
  readonly kind: 'Identifier';
  readonly name: string;
}
/** `#` (the current element), `#index`, or the implicit `.field` receiver inside a predicate. */
export interface PointerNode extends Span {
  readonly kind: 'Pointer';
  readonly name: string;
}
export interface UnaryNode extends Span {
  readonly kind: 'Unary';
  readonly op: string;
  readonly operand: Node;
}
export interface BinaryNode extends Span {
  readonly kind: 'Binary';
  readonly op: string;
  readonly left: Node;
  readonly right: Node;
}
/** Delimits an optional chain: a nil met by `?.` inside makes the whole chain nil. */
export interface ChainNode extends Span {
  readonly kind: 'Chain';
  readonly node: Node;
}
/** `a.b`, `a?.b`, `a[i]`; `method` when the member is called (`a.b()`). */
export interface MemberNode extends Span {
  readonly kind: 'Member';
  readonly object: Node;
  readonly property: Node;
  readonly optional: boolean;
  readonly method: boolean;
}
export interface SliceNode extends Span {
  readonly kind: 'Slice';
  readonly object: Node;
  readonly from: Node | undefined;
  readonly to: Node | undefined;
}
/** A call of something in the environment (`asInt(x)`) or of a member. */
export interface CallNode extends Span {
  readonly kind: 'Call';
  readonly callee: Node;
  readonly args: readonly Node[];
}
/** A call of an expr-lang builtin (`len`, `all`, ...). */
export interface BuiltinNode extends Span {
  readonly kind: 'Builtin';
  readonly name: string;
  readonly args: readonly Node[];
}
/** The closure argument of `all`, `filter`, ... (`# > 1` or `{# > 1}`). */
export interface PredicateNode extends Span {
  readonly kind: 'Predicate';
  readonly body: Node;
}
export interface ConditionalNode extends Span {
  readonly kind: 'Conditional';
  readonly cond: Node;
  readonly then: Node;
  readonly otherwise: Node;
}
export interface ArrayNode extends Span {
  readonly kind: 'Array';
  readonly items: readonly Node[];
}
export interface PairNode extends Span {
  readonly kind: 'Pair';
  readonly key: Node;
  readonly value: Node;
}
export interface MapNode extends Span {
  readonly kind: 'Map';
  readonly pairs: readonly PairNode[];
}
/** `let name = value; body`. */
export interface LetNode extends Span {
  readonly kind: 'Let';
  readonly name: string;
  readonly value: Node;
  readonly body: Node;
}
/** `a; b` — the value of the last expression. */
export interface SequenceNode extends Span {
  readonly kind: 'Sequence';
  readonly nodes: readonly Node[];
}

export type Node =
  | NilNode
  | BoolNode
  | IntegerNode
  | FloatNode
  | StringNode
  | IdentifierNode
  | PointerNode
  | UnaryNode
  | BinaryNode
  | ChainNode
  | MemberNode
  | SliceNode
  | CallNode
  | BuiltinNode
  | PredicateNode
  | ConditionalNode
  | ArrayNode
  | PairNode
  | MapNode
  | LetNode
  | SequenceNode;

/** A parsed condition: the tree plus the text it came from (kept for messages). */
export interface ConditionAst {
  readonly root: Node;
  readonly source: string;
}
