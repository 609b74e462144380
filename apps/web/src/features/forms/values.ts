import type { FieldChoice, FieldDefinition } from '@serviceloop/contracts';
import dayjs from 'dayjs';

/**
 * The custom fields' form logic that needs no React: what the API receives from a form, how a
 * field's choices read in the reader's language, and the designer's one-choice-a-line text.
 */

/** The label in the reader's language: English for en-US, Chinese otherwise. */
export const inLanguage = (lang: string, zh: string, en: string) => (lang === 'en-US' ? en : zh);

/** Choices as antd's Select and Cascader take them, children kept only where there are any. */
export function choiceOptions(
  choices: FieldChoice[],
  lang: string,
): { value: string; label: string; children?: unknown[] }[] {
  return choices.map((c) => ({
    value: c.value,
    label: inLanguage(lang, c.labelZh, c.labelEn),
    ...(c.children?.length ? { children: choiceOptions(c.children, lang) } : {}),
  }));
}

/** Form values as the API takes them: dates as text, empty inputs left out. */
export function toApi(definitions: FieldDefinition[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of definitions) {
    const v = raw[d.key];
    if (v === undefined || v === null || v === '') continue;
    if (dayjs.isDayjs(v)) out[d.key] = d.kind === 'date' ? v.format('YYYY-MM-DD') : v.toISOString();
    else out[d.key] = v;
  }
  return out;
}

/**
 * Choices as lines `value|中文|English`; a cascade's children are indented by two spaces. A missing
 * label falls back to the one before it, so `value` alone is a whole choice.
 */
export function parseChoices(text: string): FieldChoice[] {
  const roots: FieldChoice[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [value, labelZh, labelEn] = line
      .trim()
      .split('|')
      .map((p) => p.trim());
    const choice = { value: value!, labelZh: labelZh || value!, labelEn: labelEn || labelZh || value! };
    const parent = line.startsWith('  ') ? roots.at(-1) : undefined;
    if (parent) parent.children = [...(parent.children ?? []), choice];
    else roots.push(choice);
  }
  return roots;
}

export const formatChoices = (choices: FieldChoice[]) =>
  choices
    .flatMap((c) => [
      `${c.value}|${c.labelZh}|${c.labelEn}`,
      ...(c.children ?? []).map((k) => `  ${k.value}|${k.labelZh}|${k.labelEn}`),
    ])
    .join('\n');
