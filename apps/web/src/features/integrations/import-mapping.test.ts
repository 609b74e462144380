import type { FaultCategory } from '@serviceloop/contracts';
import { describe, expect, it } from 'vitest';
import { appliedMapping, categoryChoices, mappingProblems } from './import-mapping';

const field = (key: string, required: boolean) =>
  ({ key, required, label: { 'zh-CN': key, 'en-US': key } }) as Parameters<typeof mappingProblems>[0][number];

describe('import wizard mapping', () => {
  it('flags a field two columns fill and the required fields no column fills', () => {
    const fields = [field('title', true), field('phone', true), field('note', false)];
    const { mappedTwice, missing } = mappingProblems(fields, { 标题: 'title', 主题: 'title', 备注: null, 电话: null });
    expect([...mappedTwice]).toEqual(['title']);
    expect(missing.map((f) => f.key)).toEqual(['phone']);
    const fine = mappingProblems(fields, { 标题: 'title', 电话: 'phone', 备注: null, 其他: null });
    expect(fine.mappedTwice.size).toBe(0);
    expect(fine.missing).toEqual([]);
  });

  it('applies a saved mapping to headers spelt a little differently, leaving unknown columns out', () => {
    expect(
      appliedMapping(['Contact Phone', '联系人（姓名）', '未知列'], { contactphone: 'phone', 联系人姓名: 'contact' }),
    ).toEqual({
      'Contact Phone': 'phone',
      '联系人（姓名）': 'contact',
      未知列: null,
    });
  });

  it('offers the active leaf categories under their parent, in the reader’s language', () => {
    const category = (
      id: string,
      code: string,
      parentId: string | null,
      nameZh: string,
      nameEn: string,
      active = true,
    ) => ({ id, code, parentId, nameZh, nameEn, active, sort: 0 }) as FaultCategory;
    const all = [
      category('p1', 'elec', null, '电气', 'Electrical'),
      category('c1', 'elec.board', 'p1', '控制板', 'Control board'),
      category('c2', 'elec.old', 'p1', '旧分类', 'Retired', false),
      category('c3', 'orphan', 'gone', '孤儿', 'Orphan'),
    ];
    expect(categoryChoices(all, 'zh-CN')).toEqual([
      { value: 'elec.board', label: '电气 / 控制板' },
      { value: 'orphan', label: '孤儿' },
    ]);
    expect(categoryChoices(all, 'en-US')[0]!.label).toBe('Electrical / Control board');
  });
});
