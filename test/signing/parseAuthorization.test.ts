import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../lib/signing';

const SIG = '23c09765348a6bf1d0ddd0d02e6f3bf393a2d74448ae507a2c4f2a37134b9b95';
const VALID =
  'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
  `Signature=${SIG}`;

describe('parseAuthorization', () => {
  it('parses what the signer writes', () => {
    expect(parseAuthorization(VALID)).toEqual({
      accessKeyId: 'HPUAEXAMPLEAKEXAMPLE',
      signedHeaders: ['content-type', 'host', 'x-project-id', 'x-sdk-date'],
      signature: SIG,
    });
  });

  it('accepts a single signed header and separators without a space', () => {
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=AK,SignedHeaders=host,Signature=${SIG}`)?.signedHeaders).toEqual([
      'host',
    ]);
  });

  it.each([
    ['empty', ''],
    ['another algorithm', VALID.replace('SDK-HMAC-SHA256', 'SDK-HMAC-SHA512')],
    [
      'the AWS scheme',
      `AWS4-HMAC-SHA256 Credential=AK/20200623/r/s/aws4_request, SignedHeaders=host, Signature=${SIG}`,
    ],
    ['lower-case algorithm', VALID.replace('SDK-HMAC-SHA256', 'sdk-hmac-sha256')],
    ['Bearer token', 'Bearer abc.def.ghi'],
    ['algorithm only', 'SDK-HMAC-SHA256'],
    ['no Access', `SDK-HMAC-SHA256 SignedHeaders=host, Signature=${SIG}`],
    ['empty Access', `SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=${SIG}`],
    ['space in Access', `SDK-HMAC-SHA256 Access=A K, SignedHeaders=host, Signature=${SIG}`],
    ['no SignedHeaders', `SDK-HMAC-SHA256 Access=AK, Signature=${SIG}`],
    ['empty SignedHeaders', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=${SIG}`],
    ['empty name inside SignedHeaders', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, Signature=${SIG}`],
    ['leading ; in SignedHeaders', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=;host, Signature=${SIG}`],
    ['trailing ; in SignedHeaders', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;, Signature=${SIG}`],
    ['upper-case header name', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host, Signature=${SIG}`],
    ['no Signature', 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host'],
    ['short Signature', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${SIG.slice(1)}`],
    ['long Signature', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${SIG}0`],
    ['upper-case hex Signature', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${SIG.toUpperCase()}`],
    ['non-hex Signature', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${'g'.repeat(64)}`],
    ['fields out of order', `SDK-HMAC-SHA256 SignedHeaders=host, Access=AK, Signature=${SIG}`],
    ['trailing garbage', `${VALID}, Extra=1`],
    ['two spaces after the algorithm', VALID.replace('SDK-HMAC-SHA256 ', 'SDK-HMAC-SHA256  ')],
  ])('rejects a malformed value: %s', (_name, value) => {
    expect(parseAuthorization(value)).toBeUndefined();
  });
});
