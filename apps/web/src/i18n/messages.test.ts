import { describe, expect, it } from 'vitest';
import { enUS } from './en-US';
import { zhCN } from './zh-CN';

const leaves = (o: object, prefix = ''): [string, string][] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : leaves(v, `${prefix}${k}.`)));

describe('UI messages', () => {
  it('have the same keys in zh-CN and en-US, none empty', () => {
    const zh = leaves(zhCN);
    const en = leaves(enUS);
    expect(en.map(([k]) => k).sort()).toEqual(zh.map(([k]) => k).sort());
    expect([...zh, ...en].filter(([, v]) => v.trim() === '')).toEqual([]);
  });

  it('are really translated: English strings contain no Chinese characters', () => {
    expect(leaves(enUS).filter(([, v]) => /[\u4e00-\u9fff]/.test(v))).toEqual([]);
  });
});
