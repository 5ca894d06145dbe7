import { describe, expect, it } from 'vitest';
import {
  DmsClient,
  KAFKA_ROCKETMQ_REGIONS,
  RABBITMQ_REGIONS,
  UnknownRegionError,
  endpointForRegion,
} from '../../lib/dms';
import type { Send } from '../../lib/dms/transport';

describe('endpoints', () => {
  it('lists 34 regions for Kafka/RocketMQ and 26 for RabbitMQ', () => {
    expect(new Set(KAFKA_ROCKETMQ_REGIONS).size).toBe(34);
    expect(RABBITMQ_REGIONS).toHaveLength(26);
    expect(RABBITMQ_REGIONS).not.toContain('cn-east-4');
  });

  it('builds dms.{region}.myhuaweicloud.com, and .eu for eu-west-101', () => {
    expect(endpointForRegion('cn-north-4')).toBe('https://dms.cn-north-4.myhuaweicloud.com');
    expect(endpointForRegion('eu-west-101')).toBe('https://dms.eu-west-101.myhuaweicloud.eu');
    expect(endpointForRegion('cn-south-4', 'kafka')).toBe('https://dms.cn-south-4.myhuaweicloud.com');
  });

  it('refuses an unknown region, or one RabbitMQ lacks, before any request', () => {
    expect(() => endpointForRegion('us-east-1')).toThrow(UnknownRegionError);
    expect(() => endpointForRegion('cn-south-4', 'rabbitmq')).toThrow(/cn-south-4" for rabbitmq/);
    let called = 0;
    const sendSpy: Send = async () => {
      called++;
      return { status: 200, headers: {}, body: Buffer.from('{}') };
    };
    expect(
      () =>
        new DmsClient({
          projectId: 'p',
          region: 'mars-1',
          credentials: { accessKeyId: 'a', secretAccessKey: 's' },
          send: sendSpy,
        }),
    ).toThrow(UnknownRegionError);
    expect(called).toBe(0);
  });
});
