// playwright-core's types name four DOM types. canarysim compiles without the DOM library (its
// code runs in Node; page scripts are text), so for the browser tests they are opaque here.
interface Node {
  readonly nodeType: number;
}
interface HTMLElement extends Node {
  readonly tagName: string;
}
interface SVGElement extends Node {
  readonly tagName: string;
}
interface HTMLElementTagNameMap {
  [tag: string]: HTMLElement;
}
