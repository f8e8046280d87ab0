import { describe, expect, it } from 'vitest';
import { displayWidth, tabwriter } from '../../cli/views/tabwriter.js';

describe('tabwriter', () => {
  it('pads every column to its widest cell plus 2', () => {
    expect(tabwriter('a\tbbb\tc\naaaa\tb\tc\n')).toBe('a     bbb  c\naaaa  b    c\n');
  });

  it('does not treat the text after the last tab as a column', () => {
    // "long-info" would widen a third column if it were one; it is the last cell.
    expect(tabwriter('x\ty\tlong-info\nxx\tyy\tz\n')).toBe('x   y   long-info\nxx  yy  z\n');
  });

  it('sizes a column per block of consecutive lines (the Go doc example)', () => {
    // Go's documentation: the b and c cells are in distinct columns because "a|" interrupts them.
    const input = 'aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n';
    expect(tabwriter(input)).toBe(['aaaa  bbb  d', 'aa    b    dd', 'a', 'aa    cccc  eee', ''].join('\n'));
  });

  it('counts code points, not bytes, and ignores ANSI colours', () => {
    const green = '\u001b[32m✔\u001b[0m';
    expect(displayWidth('⧉ ✔ ॥')).toBe(5);
    expect(displayWidth(green)).toBe(1);
    expect(tabwriter(`${green}\tx\n..\tx\n`)).toBe(`${green}   x\n..  x\n`);
  });

  it('trims trailing spaces, including padded empty cells', () => {
    expect(tabwriter('a\t\t\n')).toBe('a\n');
    expect(tabwriter('name\tkind\t\t\nn\tk\tage\tinfo\n')).toBe('name  kind\nn     k     age  info\n');
  });

  it('keeps an unterminated last line and honours minwidth and padding', () => {
    expect(tabwriter('a\tb\nccc\td')).toBe('a    b\nccc  d');
    expect(tabwriter('a\tb\n', { minwidth: 6, padding: 1 })).toBe('a     b\n');
  });
});
