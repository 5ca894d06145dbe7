import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../dev/readZip';
import { writeZip } from '../../build/writeZip';

describe('writeZip', () => {
  const files = [
    { name: 'index.js', data: Buffer.from('exports.handler = async () => 1;\n'.repeat(50)) },
    { name: 'empty.txt', data: Buffer.alloc(0) },
    { name: 'dir/größe.json', data: Buffer.from('{"a":1}') },
  ];

  it('round-trips through readZip, in order, and gives the same bytes for the same input', () => {
    const zip = writeZip(files);
    expect(readZip(zip).map((e) => [e.name, e.data.toString('utf8')])).toEqual(
      files.map((f) => [f.name, f.data.toString('utf8')]),
    );
    expect(writeZip(files).equals(zip)).toBe(true);
    expect(zip.length).toBeLessThan(files.reduce((n, f) => n + f.data.length, 0));
  });

  it("writes an archive Python's zipfile accepts: CRCs, UTF-8 names, a 1980 timestamp, mode 0644", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtf-zip-'));
    try {
      writeFileSync(join(dir, 'a.zip'), writeZip(files));
      // An independent reader (the machine's python3): testzip() checks every CRC, None when all are good.
      const script = [
        'import json, sys, zipfile',
        'z = zipfile.ZipFile(sys.argv[1])',
        'print(json.dumps({"bad": z.testzip(), "entries": [[i.filename, list(i.date_time), i.external_attr >> 16,',
        '  len(z.read(i))] for i in z.infolist()]}))',
      ].join('\n');
      const out = JSON.parse(execFileSync('python3', ['-c', script, join(dir, 'a.zip')], { encoding: 'utf8' }));
      expect(out).toEqual({
        bad: null,
        entries: files.map((f) => [f.name, [1980, 1, 1, 0, 0, 0], 0o100644, f.data.length]),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['', '/abs.js', '../up.js', 'a/../b.js', 'a//b.js', 'a\\b.js'])('refuses the entry name %j', (name) => {
    expect(() => writeZip([{ name, data: Buffer.from('x') }])).toThrow(/zip entry name not allowed/);
  });

  it('refuses a duplicate entry', () => {
    const one = { name: 'index.js', data: Buffer.from('x') };
    expect(() => writeZip([one, one])).toThrow('duplicate zip entry: index.js');
  });
});
