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
  it('delivery reserve: 10 s plus 500 ms per notification of the backlog, at most 40% of the starting time', () => {
    const { budget, left } = budgetOf(300_000);
    expect(budget.deliveryReserveMs).toBe(10_000);
    budget.noteBacklog(20);
    expect(budget.deliveryReserveMs).toBe(20_000);
    budget.noteBacklog(0);
    budget.noteBacklog(-5);
    expect(budget.backlog).toBe(20);
    left.ms = 1000; // sized from the starting time, not from what is left
    budget.noteBacklog(1000);
    expect(budget.deliveryReserveMs).toBe(120_000);
    // A short run still keeps one POST's worth; a configured reserve is fixed, whatever the backlog.
    expect(budgetOf(20_000).budget.deliveryReserveMs).toBe(10_000);
    const fixed = budgetOf(60_000, { deliveryReserveMs: 5000 }).budget;
    fixed.noteBacklog(100);
    expect(fixed.deliveryReserveMs).toBe(5000);
  });

  it('the scan phase starts instances while the delivery reserve is untouched, and stops sooner as it grows', () => {
    const { budget, left } = budgetOf(60_000);
    expect(budget.mayStartScan()).toBe(true);
    left.ms = 10_000;
    expect(budget.mayStartScan()).toBe(true);
    left.ms = 9_999;
    expect(budget.mayStartScan()).toBe(false);
    left.ms = 12_000;
    expect(budget.mayStartScan()).toBe(true);
    budget.noteBacklog(5);
    expect(budget.mayStartScan()).toBe(false);
  });

  it('deadlines on the wall clock: the end less the stop margin; a scan call half the reserve earlier', () => {
    const { budget, left, wall } = budgetOf(60_000);
    expect(budget.deadline()).toBe(wall + 60_000 - DELIVERY.reserveMs);
    expect(budget.scanDeadline()).toBe(wall + 60_000 - DELIVERY.reserveMs - 5_000);
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

  it('a lease outlives the run whatever the platform allows: its time left plus one minute', () => {
    const { budget, left } = budgetOf(60_000);
    expect(budget.leaseMs()).toBe(120_000);
    // FunctionGraph allows runs of up to 259,200 s: an hour's run keeps its items for the hour.
    left.ms = 3600_000;
    expect(budget.leaseMs()).toBe(61 * 60_000);
    left.ms = 259_200_000;
    expect(budget.leaseMs()).toBe(259_200_000 + 60_000);
    left.ms = Number.POSITIVE_INFINITY; // a local run without a platform limit
    expect(budget.leaseMs()).toBe(259_200_000 + 60_000);
  });
});
