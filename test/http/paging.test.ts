import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../dev/emulator';
import { HEADERS, type HttpResponse } from '../../lib/http';
import { handlersFor } from '../support/http';
import { auth, json, K, LIST_PATH, P, v2Event } from '../support/events';

/** The paging settings (`offsetBase`, `pageSize`) against the emulator's modes. */

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});
async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  started.push(emu);
  return emu;
}
const ids = (r: HttpResponse): string[] => (json(r).tasks as { id: string }[]).map((t) => t.id);

/** Follows `Link` from `query` to the end; the ids seen and the queries sent upstream. */
async function walk(list: (e: unknown) => Promise<HttpResponse>, query: string): Promise<string[]> {
  const seen: string[] = [];
  let next: string | undefined = query;
  for (let pages = 0; next !== undefined && pages < 20; pages++) {
    const r = await list(v2Event({ path: LIST_PATH, query: next, headers: auth() }));
    expect(r.statusCode).toBe(200);
    seen.push(...ids(r));
    next = r.headers.Link ? /\?([^>]+)>/.exec(r.headers.Link)?.[1] : undefined;
  }
  return seen;
}

describe('offsetBase and pageSize at the HTTP edge', () => {
  it('offsetBase 0 against a 0-based server: Link from 0, every task once', async () => {
    const emu = await emulatorWith({ offsetBase: 0 });
    const h = handlersFor(emu, { offsetBase: 0 });
    const first = await h.list(v2Event({ path: LIST_PATH, query: 'limit=10', headers: auth() }));
    expect(first.headers[HEADERS.nextOffset]).toBe('10');
    const all = emu.tasks(P, K);
    expect(await walk(h.list, 'limit=25')).toEqual(all.map((t) => t.id));
  });

  it('offsetBase 1 (the default) against the default server: Link from 1, every task once', async () => {
    const emu = await emulatorWith();
    const h = handlersFor(emu);
    expect(await walk(h.list, 'limit=25')).toEqual(emu.tasks(P, K).map((t) => t.id));
    expect(emu.requests.map((q) => q.query.start)).toEqual([undefined, '26', '51']);
  });

  it('all=true asks pageSize per page and starts at the base', async () => {
    const emu = await emulatorWith({ offsetBase: 0 });
    const h = handlersFor(emu, { offsetBase: 0, pageSize: 30 });
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'all=true', headers: auth() }));
    expect(ids(r)).toHaveLength(64);
    expect(emu.requests.map((q) => q.query)).toEqual([
      { start: '0', limit: '30' },
      { start: '30', limit: '30' },
      { start: '60', limit: '30' },
    ]);
  });

  it('a server allowing at most 50: a caller asking 100 gets a Link after the short page', async () => {
    const emu = await emulatorWith({ maxLimit: 50 });
    const h = handlersFor(emu);
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'limit=100', headers: auth() }));
    expect(ids(r)).toHaveLength(50);
    expect(r.headers.Link).toBe(`<${LIST_PATH}?start=51&limit=100>; rel="next"`);
  });
});
