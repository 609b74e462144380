import { describe, expect, it } from 'vitest';
import { isMobileCN, isValidCreditCode, maskPhone, withCreditCheck } from './validators';

describe('unified social credit code', () => {
  it('accepts codes with a correct check character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode(withCreditCheck('91440300MA5F00001'))).toBe(true);
  });
  it('refuses a wrong check character, a bad length and excluded letters', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100I000100Y43')).toBe(false);
  });
});

describe('mobile numbers', () => {
  it('accepts real mainland mobile numbers only', () => {
    expect(isMobileCN('13812345678')).toBe(true);
    expect(isMobileCN('+86 139 1234 5678')).toBe(true);
    expect(isMobileCN('12345678901')).toBe(false);
    expect(isMobileCN('02088889999')).toBe(false);
  });
  it('masks the middle digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
  });
});
