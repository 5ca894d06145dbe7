import { describe, expect, it } from 'vitest';
import { canonicalUri } from '../../lib/signing';

describe('canonicalUri', () => {
  it('joins the segments and always appends a trailing slash', () => {
    expect(canonicalUri(['v2', 'p1', 'instances', 'i1', 'tasks'])).toBe('/v2/p1/instances/i1/tasks/');
  });

  it('does not double a trailing slash when the last segment is empty', () => {
    expect(canonicalUri(['v2', 'p1', ''])).toBe('/v2/p1/');
  });

  it('is "/" for no segments', () => {
    expect(canonicalUri([])).toBe('/');
    expect(canonicalUri([''])).toBe('/');
  });

  it('keeps empty segments in the middle', () => {
    expect(canonicalUri(['v2', '', 'x'])).toBe('/v2//x/');
  });

  it('encodes each raw segment once, "/" inside a segment included', () => {
    expect(canonicalUri(['a b', 'c/d', 'é*', '%20'])).toBe('/a%20b/c%2Fd/%C3%A9%2A/%2520/');
  });
});
