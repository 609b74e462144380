import { describe, expect, it } from 'vitest';
import { pinyinMatch, pinyinQuery } from './pinyin';

describe('pinyin matching of names', () => {
  it('finds a name by its initials anywhere in it', () => {
    expect(pinyinMatch('上海申城物业', 'shsc')).toBe('initials');
    expect(pinyinMatch('上海申城物业', 'SCWY')).toBe('initials');
  });

  it('finds a name by full pinyin starting at a syllable, spaces ignored', () => {
    expect(pinyinMatch('上海申城物业', 'shencheng')).toBe('pinyin');
    expect(pinyinMatch('上海申城物业', 'cheng wu')).toBe('pinyin');
    expect(pinyinMatch('周先生', 'zhouxian')).toBe('pinyin');
  });

  it('does not match inside a syllable, other names, or names without Chinese', () => {
    expect(pinyinMatch('上海申城物业', 'hencheng')).toBeNull();
    expect(pinyinMatch('北京地铁', 'shsc')).toBeNull();
    expect(pinyinMatch('Acme Robotics', 'acme')).toBeNull();
  });

  it('treats only Latin letters of two or more as a pinyin query', () => {
    expect(pinyinQuery('zs')).toBe(true);
    expect(pinyinQuery('zhang san')).toBe(true);
    expect(pinyinQuery('z')).toBe(false);
    expect(pinyinQuery('GL3000')).toBe(false);
    expect(pinyinQuery('张三')).toBe(false);
  });
});
