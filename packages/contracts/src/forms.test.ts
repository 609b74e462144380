import { describe, expect, it } from 'vitest';
import { attachmentIds, checkFieldValues, definitionProblems, type FieldDefinition, fieldShown } from './forms';

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

describe('attachment, location, signature and reference values', () => {
  const ID = '0193c1c2-5a7e-7d40-8c3b-2f1e0a9b8c7d';
  const form: Def[] = [
    def({ key: 'photos', kind: 'attachment', max: 2 }),
    def({ key: 'site', kind: 'location', required: true }),
    def({ key: 'sign', kind: 'signature' }),
    def({ key: 'owner', kind: 'reference', reference: 'customer' }),
  ];
  const messages = (values: Record<string, unknown>) => checkFieldValues(form, values).map((p) => [p.key, p.message]);

  it('accepts well-formed values', () => {
    expect(
      messages({
        photos: [ID],
        site: { lat: 31.23, lng: 121.47, address: '上海市浦东新区' },
        sign: 'data:image/png;base64,iVBORw0KGgo=',
        owner: ID,
      }),
    ).toEqual([]);
    expect(messages({ site: { lat: -90, lng: 180 } })).toEqual([]);
  });

  it('refuses each malformed one with why', () => {
    expect(
      messages({
        photos: [ID, ID, ID],
        site: { lat: 91, lng: 0 },
        sign: 'data:image/svg+xml;base64,PHN2Zz4=',
        owner: 'ACME',
      }),
    ).toEqual([
      ['photos', 'validation.field_max_files'],
      ['site', 'validation.field_location'],
      ['sign', 'validation.field_signature'],
      ['owner', 'validation.field_type'],
    ]);
    expect(messages({ site: { lat: 1, lng: 2, altitude: 3 } })).toEqual([['site', 'validation.field_location']]);
    expect(messages({ site: [31, 121] })).toEqual([['site', 'validation.field_location']]);
    expect(messages({ site: {}, photos: ['x'] })).toEqual([
      ['photos', 'validation.field_type'],
      ['site', 'validation.field_location'],
    ]);
    expect(messages({ site: { lat: 1, lng: 2 }, sign: `data:image/png;base64,${'A'.repeat(280_000)}` })).toEqual([
      ['sign', 'validation.field_too_long'],
    ]);
  });

  it('names the uploads an attachment value holds, and what a definition lacks', () => {
    expect(attachmentIds('attachment', [ID, 'x'])).toEqual([ID]);
    expect(attachmentIds('text', [ID])).toEqual([]);
    expect(definitionProblems({ kind: 'reference' })).toEqual([{ path: 'reference', message: 'validation.required' }]);
    expect(definitionProblems({ kind: 'text', pattern: '([' })).toEqual([
      { path: 'pattern', message: 'validation.field_pattern_invalid' },
    ]);
  });
});
