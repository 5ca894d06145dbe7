import { describe, expect, it } from 'vitest';
import { canonicalQuery } from '../../lib/signing';

describe('canonicalQuery', () => {
  it('is empty for no parameters', () => {
    expect(canonicalQuery({})).toBe('');
  });

  it('sorts keys (upper case before lower case) and joins k=v with &', () => {
    expect(canonicalQuery({ start: 0, limit: 10, begin_time: '20200623000000', End: 'x' })).toBe(
      'End=x&begin_time=20200623000000&limit=10&start=0',
    );
  });

  it('keeps an empty value as k=', () => {
    expect(canonicalQuery({ b: '', a: 'x', c: '' })).toBe('a=x&b=&c=');
  });

  it('leaves out undefined values', () => {
    expect(canonicalQuery({ a: undefined, b: 1 })).toBe('b=1');
  });

  it('writes numbers in decimal', () => {
    expect(canonicalQuery({ limit: 10, start: 0 })).toBe('limit=10&start=0');
  });

  it('encodes keys and values like path segments (space as %20, & = + encoded)', () => {
    expect(canonicalQuery({ 'a b': 'x&y=z+w', 'k*': "!'()" })).toBe('a%20b=x%26y%3Dz%2Bw&k%2A=%21%27%28%29');
  });

  it('encodes unicode keys and values as UTF-8', () => {
    expect(canonicalQuery({ név: 'Zoë 😀' })).toBe('n%C3%A9v=Zo%C3%AB%20%F0%9F%98%80');
  });

  it('sorts the raw keys by UTF-16 code unit before encoding, as the SDK does', () => {
    // Raw: "~" (U+007E) < "é" (U+00E9). Encoded, "%C3%A9" would sort before "~".
    expect(canonicalQuery({ aé: 2, 'a~': 1 })).toBe('a~=1&a%C3%A9=2');
    // UTF-16 order: an emoji's high surrogate (U+D83D) sorts before U+FF61, unlike code point order.
    expect(canonicalQuery({ '\uff61': 2, '😀': 1 })).toBe('%F0%9F%98%80=1&%EF%BD%A1=2');
  });

  it('sorts numeric-looking keys as strings', () => {
    expect(canonicalQuery({ 10: 'b', 9: 'c', 1: 'a' })).toBe('1=a&10=b&9=c');
  });
});
