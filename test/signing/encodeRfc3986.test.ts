import { describe, expect, it } from 'vitest';
import { encodeRfc3986 } from '../../lib/signing';

describe('encodeRfc3986', () => {
  it('keeps the RFC 3986 unreserved characters as they are', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
    expect(encodeRfc3986(unreserved)).toBe(unreserved);
  });

  it("encodes ! ' ( ) *, which encodeURIComponent keeps", () => {
    expect(encodeRfc3986("!'()*")).toBe('%21%27%28%29%2A');
  });

  it('encodes a space as %20, never +', () => {
    expect(encodeRfc3986('a b+c')).toBe('a%20b%2Bc');
  });

  it('encodes every other printable ASCII character, with upper-case hex', () => {
    expect(encodeRfc3986(' "#$%&+,/:;<=>?@[\\]^`{|}')).toBe(
      '%20%22%23%24%25%26%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D',
    );
    expect(encodeRfc3986('\u0000\t\n\u007f')).toBe('%00%09%0A%7F');
  });

  it('encodes an already encoded value again (no decoding)', () => {
    expect(encodeRfc3986('%20')).toBe('%2520');
  });

  it('encodes unicode as the UTF-8 bytes', () => {
    expect(encodeRfc3986('é')).toBe('%C3%A9');
    expect(encodeRfc3986('中文')).toBe('%E4%B8%AD%E6%96%87');
    expect(encodeRfc3986('e\u0301')).toBe('e%CC%81');
  });

  it('encodes an emoji (a surrogate pair) as its four UTF-8 bytes', () => {
    expect(encodeRfc3986('😀')).toBe('%F0%9F%98%80');
    expect(encodeRfc3986('👍🏽')).toBe('%F0%9F%91%8D%F0%9F%8F%BD');
  });

  it('throws URIError on a lone surrogate rather than sign something no server decodes', () => {
    expect(() => encodeRfc3986('\ud83d')).toThrow(URIError);
    expect(() => encodeRfc3986('a\ude00b')).toThrow(URIError);
  });

  it('returns the empty string for the empty string', () => {
    expect(encodeRfc3986('')).toBe('');
  });
});
