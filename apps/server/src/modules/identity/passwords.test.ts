import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, hashPassword, passwordExpired, passwordProblems, verifyPassword } from './passwords';

describe('password policy', () => {
  const strict = { ...DEFAULT_PASSWORD_POLICY, requireComplexity: true, expiryDays: 90 };

  it('accepts a long, uncommon passphrase', () => {
    expect(passwordProblems('电梯-门机-控制板-2026', DEFAULT_PASSWORD_POLICY)).toEqual([]);
    expect(passwordProblems('Tr4ction-Sheave!x', strict)).toEqual([]);
  });

  it('refuses short, common and username-based passwords', () => {
    expect(passwordProblems('short1!', DEFAULT_PASSWORD_POLICY)).toContain('password.too_short');
    expect(passwordProblems('Password123456!', DEFAULT_PASSWORD_POLICY)).toEqual(['password.too_common']);
    expect(passwordProblems('123456789012', DEFAULT_PASSWORD_POLICY)).toEqual(['password.too_common']);
    expect(passwordProblems('zhangsan-is-me-2026', DEFAULT_PASSWORD_POLICY, 'zhangsan')).toEqual([
      'password.too_common',
    ]);
  });

  it('demands three character classes when complexity is on', () => {
    expect(passwordProblems('onlylowercaseletters', strict)).toEqual(['password.not_complex']);
  });

  it('expires passwords after the configured days only', () => {
    const changed = new Date('2026-01-01T00:00:00Z');
    expect(passwordExpired(changed, strict, new Date('2026-03-01T00:00:00Z'))).toBe(false);
    expect(passwordExpired(changed, strict, new Date('2026-04-02T00:00:00Z'))).toBe(true);
    expect(passwordExpired(changed, DEFAULT_PASSWORD_POLICY, new Date('2036-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('argon2id hashes', () => {
  it('verify the right password only, and never an unknown user', async () => {
    const hashed = await hashPassword('correct horse battery');
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hashed, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hashed, 'wrong horse battery')).toBe(false);
    expect(await verifyPassword(null, 'correct horse battery')).toBe(false);
  });
});
