import { describe, expect, it } from 'vitest';
import type { CoreProject } from '../../lib/config/types';
import { allInstances } from '../../lib/ops/page/fleetData';

const project = (projectId: string, region: string, names: readonly string[]): CoreProject => ({
  projectId,
  region,
  instances: names.map((name, n) => ({ id: `${name}-id-${n}`, engine: n % 2 ? 'kafka' : 'rabbitmq', name })),
});

describe('the fleet view’s instance order', () => {
  it('is project, region, engine, name, id, computed once per configuration', () => {
    const projects = new Map([
      ['p2', project('p2', 'cn-north-4', ['b', 'a'])],
      ['p1', project('p1', 'cn-north-4', ['z', 'y', 'x'])],
    ]);
    const order = allInstances(projects);
    expect(order.map((i) => `${i.projectId}/${i.engine}/${i.name}`)).toEqual([
      'p1/kafka/y',
      'p1/rabbitmq/x',
      'p1/rabbitmq/z',
      'p2/kafka/a',
      'p2/rabbitmq/b',
    ]);
    // The same configuration: the same sorted list, not a new sort; another configuration: its own.
    expect(allInstances(projects)).toBe(order);
    expect(Object.isFrozen(order)).toBe(true);
    const other = new Map([['p3', project('p3', 'eu-west-101', ['c'])]]);
    expect(allInstances(other).map((i) => i.projectId)).toEqual(['p3']);
  });
});
