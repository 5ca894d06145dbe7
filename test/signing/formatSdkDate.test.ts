import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSdkDate, parseSdkDate } from '../../lib/signing';

describe('formatSdkDate', () => {
  it('writes UTC as YYYYMMDDTHHmmssZ', () => {
    expect(formatSdkDate(new Date('2020-06-23T03:00:03Z'))).toBe('20200623T030003Z');
  });

  it('drops milliseconds (truncates, never rounds)', () => {
    expect(formatSdkDate(new Date('2020-06-23T03:00:03.999Z'))).toBe('20200623T030003Z');
  });

  it('uses UTC whatever the offset the date was written with', () => {
    expect(formatSdkDate(new Date('2020-06-23T23:30:00-02:00'))).toBe('20200624T013000Z');
  });

  it('throws RangeError on an invalid Date', () => {
    expect(() => formatSdkDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('parseSdkDate', () => {
  it('parses a valid value', () => {
    expect(parseSdkDate('20200623T030003Z')?.toISOString()).toBe('2020-06-23T03:00:03.000Z');
  });

  it('round-trips with formatSdkDate for any whole second in years 0000-9999', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (d) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const text = formatSdkDate(whole);
          expect(parseSdkDate(text)?.getTime()).toBe(whole.getTime());
          expect(formatSdkDate(parseSdkDate(text) as Date)).toBe(text);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('reads years 0000-0099 as written, not as 1900-1999 (Date.UTC does)', () => {
    expect(parseSdkDate('00500101T000000Z')?.toISOString()).toBe('0050-01-01T00:00:00.000Z');
    expect(parseSdkDate('00000229T000000Z')?.toISOString()).toBe('0000-02-29T00:00:00.000Z');
  });

  it('accepts leap days and the last second of a day', () => {
    expect(parseSdkDate('20240229T235959Z')?.toISOString()).toBe('2024-02-29T23:59:59.000Z');
    expect(parseSdkDate('20000229T000000Z')).toBeDefined();
  });

  it.each([
    ['February 30', '20240230T000000Z'],
    ['February 29 of a common year', '20230229T000000Z'],
    ['February 29 of 1900 (not a leap year)', '19000229T000000Z'],
    ['April 31', '20240431T000000Z'],
    ['day 00', '20240100T000000Z'],
    ['month 00', '20240001T000000Z'],
    ['month 13', '20241301T000000Z'],
    ['hour 24', '20240101T240000Z'],
    ['minute 60', '20240101T006000Z'],
    ['second 60 (no leap seconds)', '20240101T000060Z'],
  ])('rejects an impossible date: %s', (_name, value) => {
    expect(parseSdkDate(value)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['no Z', '20240101T000000'],
    ['lower-case t', '20240101t000000Z'],
    ['lower-case z', '20240101T000000z'],
    ['ISO extended', '2024-01-01T00:00:00Z'],
    ['milliseconds', '20240101T000000.000Z'],
    ['offset instead of Z', '20240101T000000+0000'],
    ['short', '2024011T000000Z'],
    ['surrounding space', ' 20240101T000000Z'],
    ['trailing newline', '20240101T000000Z\n'],
    ['non-ASCII digits', '２０２４0101T000000Z'],
  ])('rejects a malformed value: %s', (_name, value) => {
    expect(parseSdkDate(value)).toBeUndefined();
  });
});
