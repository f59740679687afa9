import { describe, expect, it } from 'vitest';
import { EXPIRING_WITHIN_MS, exemptionStatus, parseExpiry } from './compile-exemptions.js';

describe('exemption expiry', () => {
  it('a date is valid through the end of that day in UTC', () => {
    expect(parseExpiry('2027-01-31')).toBe(Date.UTC(2027, 1, 1));
    expect(parseExpiry('2028-02-29')).toBe(Date.UTC(2028, 2, 1));
  });

  it('a date-time must carry a zone and is exact', () => {
    expect(parseExpiry('2027-01-31T12:00:00Z')).toBe(Date.UTC(2027, 0, 31, 12));
    expect(parseExpiry('2027-01-31T12:00:00+02:00')).toBe(Date.UTC(2027, 0, 31, 10));
    expect(parseExpiry('2027-01-31T12:00:00')).toBeUndefined();
  });

  it('rejects dates that do not exist and other formats', () => {
    for (const text of [
      '2027-02-29',
      '2027-13-01',
      '2027-02-30T00:00:00Z',
      '31/01/2027',
      'tomorrow',
      '2027-1-31',
    ]) {
      expect(parseExpiry(text), text).toBeUndefined();
    }
  });

  it('is active until the expiry, expiring within the last 14 days, expired from the expiry on', () => {
    const expiresAt = Date.UTC(2027, 1, 1);
    expect(exemptionStatus({ expiresAt }, expiresAt - EXPIRING_WITHIN_MS - 1)).toBe('active');
    expect(exemptionStatus({ expiresAt }, expiresAt - EXPIRING_WITHIN_MS)).toBe('expiring');
    expect(exemptionStatus({ expiresAt }, expiresAt - 1)).toBe('expiring');
    expect(exemptionStatus({ expiresAt }, expiresAt)).toBe('expired');
    expect(exemptionStatus({ expiresAt: undefined }, expiresAt)).toBe('active');
  });
});
