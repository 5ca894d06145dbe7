import { describe, expect, it } from 'vitest';
import { DestinationHealth } from '../../lib/notify/deliver/destinationHealth';

describe('DestinationHealth', () => {
  it('down after N failures in a row; a success or a refusal in between starts the count again', () => {
    const h = new DestinationHealth(3);
    h.record('retry');
    h.record('retry');
    h.record('permanent');
    h.record('retry');
    h.record('retry');
    expect(h.down).toBe(false);
    h.record('retry');
    expect(h.down).toBe(true);
  });

  it('healthy only once it accepted a message, and not after it went down', () => {
    const h = new DestinationHealth(2);
    expect(h.healthy).toBe(false);
    h.record('permanent');
    expect(h.healthy).toBe(false); // a 4xx answers, but says nothing about acceptance
    h.record('delivered');
    expect(h.healthy).toBe(true);
    h.record('retry');
    expect(h.healthy).toBe(true);
    h.record('retry');
    expect({ healthy: h.healthy, down: h.down }).toEqual({ healthy: false, down: true });
  });

  it('the deferral wait is what the destination asked for, 0 by default', () => {
    const h = new DestinationHealth(1);
    expect(h.retryInMs).toBe(0);
    h.retryIn(2000);
    expect(h.retryInMs).toBe(2000);
  });
});
