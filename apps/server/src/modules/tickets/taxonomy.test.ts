import { describe, expect, it } from 'vitest';
import { apportion } from '../../seed/random';
import { DEFAULT_TAXONOMY, FAULT_MIX_2024, FAULT_MIX_2025, matchProblemType, normaliseProblemType } from './taxonomy';

const synonyms = new Map<string, string>();
for (const root of DEFAULT_TAXONOMY) {
  for (const child of root.children) {
    for (const phrase of [child.zh, child.en, ...child.synonyms])
      synonyms.set(normaliseProblemType(phrase), child.code);
  }
}

describe('fault taxonomy', () => {
  it('lands 30 spellings of one problem type in one category (seed 004)', () => {
    const spellings = [
      '主板故障',
      '主板坏了',
      '主板损坏',
      '主板烧了',
      '主板烧毁',
      '主板问题',
      '主板异常',
      '主 板 故 障',
      '主板-故障！',
      '【主板故障】',
      '主板故障。',
      '主板故障（已确认）',
      '主板壞了',
      '主板燒毀',
      '客户反映主板坏了',
      '疑似主板故障',
      '主板故障，无法启动',
      '控制板故障',
      '控制板坏',
      '门机控制板烧毁',
      'mainboard failure',
      'Mainboard Failure',
      'MAINBOARD FAILURE',
      'main board fault',
      'Main-Board Fault',
      'motherboard broken',
      'Motherboard broken!!',
      'PCB failure',
      'ｍａｉｎｂｏａｒｄ　ｆａｉｌｕｒｅ',
      ' 主板故障 ',
    ];
    expect(spellings).toHaveLength(30);
    expect(new Set(spellings)).toHaveProperty('size', 30);
    for (const s of spellings) expect(matchProblemType(s, synonyms), s).toBe('hardware.core_part');
  });

  it('does not force unrelated texts into a category', () => {
    expect(matchProblemType('客户咨询发票开具', synonyms)).toBeNull();
    expect(matchProblemType('', synonyms)).toBeNull();
    expect(matchProblemType('系统卡死', synonyms)).toBe('software.freeze');
    expect(matchProblemType('接错线导致跳闸', synonyms)).toBe('operation.connection');
  });

  it('reproduces seed 000’s table: 2024 shares sum to 100 and the changes are the published points', () => {
    expect(Object.values(FAULT_MIX_2024).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 5);
    expect(FAULT_MIX_2024).toEqual({ hardware: 45.7, software: 26.6, operation: 10.5, parts: 11.7, other: 5.5 });
    expect(apportion(10_000, FAULT_MIX_2025).hardware).toBe(4250);
  });
});
