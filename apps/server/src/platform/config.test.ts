import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('TRUSTED_PROXIES', () => {
  it('is empty unless set, so forwarded headers are ignored by default', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });

  it('lists addresses and CIDR ranges, comma-separated', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'fd00::/8',
    ]);
  });

  it('refuses anything else at start-up rather than trusting it', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,proxy.internal' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
  });
});
