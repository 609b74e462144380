import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters over a 31-symbol alphabet; the last is a
 * check character over the first 17 with fixed weights, modulo 31.
 */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  const sum = CREDIT_WEIGHTS.reduce((acc, w, i) => acc + CREDIT_CHARSET.indexOf(code[i]!) * w, 0);
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31] === code[17];
}

/** Appends the right check character to 17 characters: for demo data and tests. */
export function withCreditCheck(first17: string): string {
  const sum = CREDIT_WEIGHTS.reduce((acc, w, i) => acc + CREDIT_CHARSET.indexOf(first17[i]!) * w, 0);
  return first17 + CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}

/** A mainland China mobile number (the default metadata would accept `12345678901`). */
export function isMobileCN(value: string): boolean {
  const parsed = parsePhoneNumberFromString(value, 'CN');
  return !!parsed && parsed.isValid() && parsed.getType() === 'MOBILE';
}

/** 138****5678: enough to recognise a number in a list without exposing it. */
export function maskPhone(value: string | null): string | null {
  if (!value) return value;
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** The 11-digit national form of a mainland mobile (`+86 138-1234-5678` → `13812345678`), or null. */
export function nationalMobileCN(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value, 'CN');
  return parsed?.isValid() && parsed.getType() === 'MOBILE' ? String(parsed.nationalNumber) : null;
}
