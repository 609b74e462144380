import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { PasswordPolicy } from '@serviceloop/contracts';

/** OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
// `Algorithm` is a const enum, which isolated modules can't read: 2 is Argon2id (the test checks the hash prefix).
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

/** A hash no password matches, verified against for unknown users so they cost the same time. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (hashed === null) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(hashed, password).catch(() => false);
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 12,
  requireComplexity: false,
  expiryDays: 0,
  refuseCommon: true,
};

/**
 * Widely reused passwords (and their obvious stems). Matching is on the lower-cased
 * password with digits and symbols at the ends stripped, so `Password123!` is caught too.
 */
const COMMON = new Set(
  [
    'password',
    'passw0rd',
    'p@ssw0rd',
    'p@ssword',
    'qwerty',
    'qwertyuiop',
    'asdfghjkl',
    'zxcvbnm',
    'abc',
    'abcd',
    'abcdef',
    'abcdefg',
    'abcdefgh',
    'letmein',
    'welcome',
    'admin',
    'administrator',
    'root',
    'master',
    'dragon',
    'monkey',
    'football',
    'baseball',
    'iloveyou',
    'sunshine',
    'princess',
    'shadow',
    'superman',
    'trustno',
    'changeme',
    'default',
    'guest',
    'test',
    'tester',
    'user',
    'login',
    'secret',
    'hello',
    'welcome',
    'qazwsx',
    'qazwsxedc',
    '1qaz2wsx',
    'woaini',
    'woaiwojia',
    'aini',
    'zhang',
    'wang',
    'li',
    'liu',
    'chen',
    'yang',
    'huang',
    'zhao',
    'zhou',
    'wu',
    'xu',
    'sun',
    'ma',
    'hu',
    'zhu',
    'guo',
    'he',
    'lin',
    'luo',
    'gao',
    'china',
    'beijing',
    'shanghai',
    'shenzhen',
    'guangzhou',
    'serviceloop',
    'service',
    'company',
    'manager',
    'engineer',
    'support',
    'helpdesk',
    'aaaaaa',
    'abc123',
    'a1b2c3',
    'qwe',
    'asd',
    'zxc',
    'qweasd',
    'qweasdzxc',
    'iloveu',
    'lovely',
    'whatever',
    'starwars',
    'computer',
    'internet',
    'windows',
    'linux',
    'ubuntu',
    'oracle',
    'mysql',
    'postgres',
    'database',
  ].map((w) => w.toLowerCase()),
);

function isCommon(password: string, username?: string): boolean {
  const lower = password.toLowerCase();
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) return true;
  if (/^(.)\1+$/.test(lower) || /^\d+$/.test(lower)) return true;
  if (/^(0123456789|1234567890|9876543210)+/.test(lower) || /^(123|1234|12345|123456|654321)+[a-z]*$/.test(lower))
    return true;
  const stem = lower.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, '');
  return stem.length === 0 || COMMON.has(stem) || COMMON.has(lower);
}

/** The rules a password breaks; empty when it is acceptable. Codes are message keys. */
export function passwordProblems(password: string, policy: PasswordPolicy, username?: string): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push('password.too_short');
  if (policy.requireComplexity) {
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
    if (classes < 3) problems.push('password.not_complex');
  }
  if (policy.refuseCommon && isCommon(password, username)) problems.push('password.too_common');
  return problems;
}

export function passwordExpired(changedAt: Date, policy: PasswordPolicy, now: Date): boolean {
  return policy.expiryDays > 0 && now.getTime() - changedAt.getTime() > policy.expiryDays * 86_400_000;
}
