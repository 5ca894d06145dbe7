import { describe, expect, it } from 'vitest';
import { DELIVERY } from '../../lib/notify/constants';
import { TimeBudget } from '../../lib/notify/timeBudget';

/** A budget over a remaining time the test sets, and a fixed wall clock. */
function budgetOf(start: number, options: { deliveryReserveMs?: number } = {}) {
  const left = { ms: start };
  const wall = 1_000_000;
  const budget = new TimeBudget(() => left.ms, { ...options, wallClock: () => wall });
  return { budget, left, wall };
}

describe('TimeBudget', () => {
  it('delivery reserve: 40% of the starting remaining time, at least 10 s, fixed at creation', () => {
    const { budget, left } = budgetOf(60_000);
    expect(budget.deliveryReserveMs).toBe(24_000);
    left.ms = 1000;
    expect(budget.deliveryReserveMs).toBe(24_000);
    expect(budgetOf(20_000).budget.deliveryReserveMs).toBe(10_000);
    expect(budgetOf(60_000, { deliveryReserveMs: 5000 }).budget.deliveryReserveMs).toBe(5000);
  });

  it('the scan phase starts instances while the delivery reserve is untouched', () => {
    const { budget, left } = budgetOf(60_000);
    expect(budget.mayStartScan()).toBe(true);
    left.ms = 24_000;
    expect(budget.mayStartScan()).toBe(true);
    left.ms = 23_999;
    expect(budget.mayStartScan()).toBe(false);
  });

  it('deadlines on the wall clock: the end less the stop margin; a scan call half the reserve earlier', () => {
    const { budget, left, wall } = budgetOf(60_000);
    expect(budget.deadline()).toBe(wall + 60_000 - DELIVERY.reserveMs);
    expect(budget.scanDeadline()).toBe(wall + 60_000 - DELIVERY.reserveMs - 12_000);
    left.ms = 30_000;
    expect(budget.deadline()).toBe(wall + 30_000 - DELIVERY.reserveMs);
    expect(budget.remainingMs()).toBe(30_000);
  });

  it('new delivery work starts only with more than the stop margin left', () => {
    const { budget, left } = budgetOf(60_000);
    left.ms = DELIVERY.reserveMs;
    expect(budget.mayStartWork()).toBe(true);
    left.ms = DELIVERY.reserveMs - 1;
    expect(budget.mayStartWork()).toBe(false);
  });

  it('a POST fits when its timeout, after the wait, ends before the stop margin', () => {
    const { budget, left } = budgetOf(60_000);
    left.ms = 10_000 + DELIVERY.reserveMs + 1;
    expect(budget.fitsPost(10_000)).toBe(true);
    expect(budget.fitsPost(10_000, 1)).toBe(false);
    left.ms = 10_000 + DELIVERY.reserveMs;
    expect(budget.fitsPost(10_000)).toBe(false);
  });

  it('a lease outlives the run: its time left (at most 15 min) plus one minute', () => {
    const { budget, left } = budgetOf(60_000);
    expect(budget.leaseMs()).toBe(120_000);
    left.ms = 3600_000;
    expect(budget.leaseMs()).toBe(16 * 60_000);
  });
});
