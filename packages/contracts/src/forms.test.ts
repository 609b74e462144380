import { describe, expect, it } from 'vitest';
import { checkFieldValues, type FieldDefinition, fieldShown } from './forms';

type Def = Parameters<typeof checkFieldValues>[0][number];
const def = (d: Partial<Def> & Pick<Def, 'key' | 'kind'>): Def =>
  ({ required: false, choices: [], active: true, showWhen: null, ...d }) as Def;

const AREAS = [
  {
    value: '440000',
    labelZh: '广东省',
    labelEn: 'Guangdong',
    children: [{ value: '440300', labelZh: '深圳市', labelEn: 'Shenzhen' }],
  },
];

describe('custom field values', () => {
  const form: Def[] = [
    def({ key: 'runningHours', kind: 'number', required: true, min: 0, max: 100_000 }),
    def({ key: 'quote', kind: 'money' }),
    def({ key: 'errorCode', kind: 'text', pattern: 'E\\d{2,3}' }),
    def({ key: 'area', kind: 'cascade', choices: AREAS }),
    def({ key: 'underWarranty', kind: 'checkbox' }),
    def({ key: 'warrantyCard', kind: 'text', required: true, showWhen: { key: 'underWarranty', equals: true } }),
    def({ key: 'retired', kind: 'text', required: true, active: false }),
  ];

  it('accepts good values and skips hidden and retired fields', () => {
    expect(
      checkFieldValues(form, { runningHours: 1200, quote: 99.5, errorCode: 'E35', area: ['440000', '440300'] }),
    ).toEqual([]);
  });

  it('names each field that is wrong, with why', () => {
    const problems = checkFieldValues(form, {
      runningHours: -1,
      quote: 1.234,
      errorCode: 'X1',
      area: ['440000', '110100'],
      underWarranty: true,
      typo: 1,
    });
    expect(problems.map((p) => [p.key, p.message])).toEqual([
      ['typo', 'validation.field_unknown'],
      ['runningHours', 'validation.field_min'],
      ['quote', 'validation.field_money'],
      ['errorCode', 'validation.field_pattern'],
      ['area', 'validation.field_choice'],
      ['warrantyCard', 'validation.required'],
    ]);
  });

  it('requires what is required and checks types', () => {
    expect(checkFieldValues(form, {}).map((p) => p.key)).toEqual(['runningHours']);
    expect(checkFieldValues(form, { runningHours: '12' })[0]?.message).toBe('validation.field_type');
    expect(fieldShown({ showWhen: { key: 'underWarranty', equals: true } } as FieldDefinition, {})).toBe(false);
  });
});
