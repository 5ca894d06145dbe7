import { DmsResponseError, type DmsErrorDetails } from './errors';

/** Reads a response body as text, refusing more than `maxBytes` (checked on Content-Length and while streaming). */
export async function readBodyCapped(res: Response, maxBytes: number, details: DmsErrorDetails): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new DmsResponseError('too-large', `upstream body of ${declared} bytes exceeds ${maxBytes}`, details);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new DmsResponseError('too-large', `upstream body exceeds ${maxBytes} bytes`, details);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
