import { describe, expect, it } from 'vitest';
import { canonicalHeaders } from '../../lib/signing';

describe('canonicalHeaders', () => {
  it('lower-cases names, sorts them, and writes one name:value line each, each ending in \\n', () => {
    const result = canonicalHeaders({
      'X-Sdk-Date': '20200623T030003Z',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      'X-Project-Id': 'p1',
      'Content-Type': 'application/json',
      'X-Security-Token': 'tok',
    });
    expect(result.block).toBe(
      'content-type:application/json\n' +
        'host:dms.cn-north-4.myhuaweicloud.com\n' +
        'x-project-id:p1\n' +
        'x-sdk-date:20200623T030003Z\n' +
        'x-security-token:tok\n',
    );
    expect(result.signedHeaders).toBe('content-type;host;x-project-id;x-sdk-date;x-security-token');
  });

  it('sorts after lower-casing', () => {
    expect(canonicalHeaders({ b: '1', A: '2', C: '3' }).signedHeaders).toBe('a;b;c');
  });

  it('keeps values exactly as given (no trimming, no case change)', () => {
    expect(canonicalHeaders({ 'X-A': ' Mixed Case ' }).block).toBe('x-a: Mixed Case \n');
  });

  it('gives an empty block and list for no headers', () => {
    expect(canonicalHeaders({})).toEqual({ block: '', signedHeaders: '' });
  });
});
