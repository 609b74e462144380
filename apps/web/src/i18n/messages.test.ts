import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { enUS } from './en-US';
import { labelOf } from './keys';
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

  it('live one file per feature, the same files in both languages, each section in one file only', async () => {
    const files = (language: string) =>
      readdirSync(path.join(import.meta.dirname, language))
        .map((name) => name.replace(/\.ts$/, ''))
        .sort();
    expect(files('en-US')).toEqual(files('zh-CN'));
    expect(files('zh-CN').length).toBeGreaterThan(10);
    // What the build's per-face split reads (vite.config.ts) is what zh-CN.ts assembles, no more, no less.
    const sections: string[] = [];
    for (const file of files('zh-CN')) {
      const features = (await import(`./zh-CN/${file}.ts`)) as Record<string, object>;
      for (const feature of Object.values(features)) sections.push(...Object.keys(feature));
    }
    expect(sections.sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('are really translated: English strings contain no Chinese characters', () => {
    expect(leaves(enUS).filter(([, v]) => /[\u4e00-\u9fff]/.test(v))).toEqual([]);
  });

  it('are looked up by keys the typecheck knows: a misspelt key or group fails `npm run typecheck`', async () => {
    const i18n = createInstance();
    await i18n.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN } } });
    expect(i18n.t('errorPage.title')).toBe(zhCN.errorPage.title);
    // @ts-expect-error a key the zh-CN messages lack: if this stops being an error, t() has lost its types
    expect(i18n.t('errorPage.titel')).toBe('errorPage.titel');
    expect(labelOf(i18n.t, 'tickets.states', 'closed')).toBe(zhCN.tickets.states.closed);
    // @ts-expect-error a group the zh-CN messages lack
    expect(labelOf(i18n.t, 'tickets.statez', 'closed')).toBe('tickets.statez.closed');
  });
});
