import { DEFAULT_POLICY, type PolicyRule } from '@serviceloop/contracts';
import { describe, expect, it } from 'vitest';
import { grantFor, lockoutProblems } from './policy';

describe('grantFor', () => {
  const rules: PolicyRule[] = [
    { role: 'engineer', resource: 'customer', action: 'read', scope: 'region', hiddenFields: ['creditCode', 'tier'] },
    { role: 'quality', resource: 'customer', action: 'read', scope: 'all', hiddenFields: ['creditCode'] },
  ];

  it('denies when no role grants the action', () => {
    expect(grantFor(rules, ['engineer'], 'customer', 'delete')).toBeNull();
    expect(grantFor(rules, ['customer'], 'customer', 'read')).toBeNull();
  });

  it('takes the widest scope and hides only what every granting rule hides', () => {
    expect(grantFor(rules, ['engineer'], 'customer', 'read')).toEqual({
      scope: 'region',
      hiddenFields: ['creditCode', 'tier'],
    });
    expect(grantFor(rules, ['engineer', 'quality'], 'customer', 'read')).toEqual({
      scope: 'all',
      hiddenFields: ['creditCode'],
    });
  });

  it('the default policy keeps admins in control and limits customers to their organisation', () => {
    expect(lockoutProblems(DEFAULT_POLICY)).toEqual([]);
    expect(lockoutProblems(DEFAULT_POLICY.filter((r) => r.resource !== 'settings'))).toHaveLength(2);
    expect(grantFor(DEFAULT_POLICY, ['customer'], 'ticket', 'read')?.scope).toBe('organisation');
    expect(grantFor(DEFAULT_POLICY, ['customer'], 'contract', 'read')?.hiddenFields).toEqual(['value']);
    expect(grantFor(DEFAULT_POLICY, ['customer'], 'user', 'read')).toBeNull();
  });
});
