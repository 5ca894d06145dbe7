import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES } from '../../bench/budgets';
import {
  BLOCK_BEGIN,
  BLOCK_END,
  README_PATH,
  RECORDED_PATH,
  type Recorded,
  blockDocuments,
  blockOf,
  renderRecorded,
  replaceBlock,
} from '../../bench/recorded';
import { TLS_TARGETS } from '../../bench/tlsRows';

const recorded = JSON.parse(readFileSync(RECORDED_PATH, 'utf8')) as Recorded;

describe('the figures in bench/README.md are the bench’s own (npm run bench -- --record)', () => {
  it('the generated block is bench/recorded.json rendered, not edited by hand, wherever it is shown', () => {
    expect(blockOf(readFileSync(README_PATH, 'utf8'))).toBe(renderRecorded(recorded));
    for (const path of blockDocuments()) {
      const block = blockOf(readFileSync(path, 'utf8'));
      if (block !== undefined) expect(block, path).toBe(renderRecorded(recorded));
    }
  });

  it('the record covers every target of the bench, each judged on the median of at least five repetitions', () => {
    const metrics = recorded.rows.map((r) => r.metric);
    for (const fn of Object.keys(BUNDLE_BUDGET_BYTES)) expect(metrics).toContain(`${fn} bundle (KB)`);
    const targeted = recorded.rows.filter((r) => r.met !== undefined);
    const judgedTargets = new Set(targeted.map((r) => r.target));
    for (const t of [TLS_TARGETS.handlerOverBare, TLS_TARGETS.walkOverBare, TLS_TARGETS.coldOverBare])
      expect(judgedTargets).toContain(`ratio <= ${t}`);
    for (const r of targeted.filter((r) => r.spread !== undefined)) {
      const n = Number(/\(n=(\d+)\)$/.exec(r.spread ?? '')?.[1]);
      expect(n, r.metric).toBeGreaterThanOrEqual(5);
    }
  });

  it('replaces only what lies between the markers, and refuses a document without them', () => {
    const doc = `intro\n${BLOCK_BEGIN}\nold\n${BLOCK_END}\noutro\n`;
    expect(replaceBlock(doc, 'new')).toBe(`intro\n${BLOCK_BEGIN}\nnew\n${BLOCK_END}\noutro\n`);
    expect(blockOf(replaceBlock(doc, 'new'))).toBe('new');
    expect(() => replaceBlock('no markers', 'x')).toThrow(/block/);
  });
});
