import type { FieldDefinition } from '@serviceloop/contracts';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { choiceOptions, formatChoices, parseChoices, toApi } from './values';

const field = (key: string, kind: FieldDefinition['kind']) => ({ key, kind }) as FieldDefinition;

describe('custom field form logic', () => {
  it('sends dates as the API reads them and leaves empty inputs out', () => {
    const definitions = [
      field('installedOn', 'date'),
      field('stoppedAt', 'datetime'),
      field('serial', 'text'),
      field('floors', 'number'),
      field('note', 'longText'),
      field('trapped', 'checkbox'),
    ];
    const stopped = dayjs('2026-03-04T05:06:07.000Z');
    const sent = toApi(definitions, {
      installedOn: dayjs('2026-03-04T12:00:00'),
      stoppedAt: stopped,
      serial: '',
      floors: 0,
      note: null,
      trapped: false,
      notAField: 'dropped',
    });
    expect(sent).toEqual({ installedOn: '2026-03-04', stoppedAt: stopped.toISOString(), floors: 0, trapped: false });
  });

  it('reads the designer’s lines, labels falling back to the one before, children by indent', () => {
    const choices = parseChoices('elec|电气|Electrical\n  board|控制板|Control board\n  cable|线缆\n\nmech\n');
    expect(choices).toEqual([
      {
        value: 'elec',
        labelZh: '电气',
        labelEn: 'Electrical',
        children: [
          { value: 'board', labelZh: '控制板', labelEn: 'Control board' },
          { value: 'cable', labelZh: '线缆', labelEn: '线缆' },
        ],
      },
      { value: 'mech', labelZh: 'mech', labelEn: 'mech' },
    ]);
    expect(parseChoices(formatChoices(choices))).toEqual(choices);
  });

  it('an indented first line has no parent and stands as a choice of its own', () => {
    expect(parseChoices('  a|甲|A')).toEqual([{ value: 'a', labelZh: '甲', labelEn: 'A' }]);
  });

  it('labels choices in the reader’s language, children only where there are any', () => {
    const choices = parseChoices('elec|电气|Electrical\n  board|控制板|Control board\nmech|机械|Mechanical');
    expect(choiceOptions(choices, 'en-US')).toEqual([
      { value: 'elec', label: 'Electrical', children: [{ value: 'board', label: 'Control board' }] },
      { value: 'mech', label: 'Mechanical' },
    ]);
    expect(choiceOptions(choices, 'zh-CN').map((o) => o.label)).toEqual(['电气', '机械']);
  });
});
