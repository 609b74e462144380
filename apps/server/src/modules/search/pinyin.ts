import { pinyin } from 'pinyin-pro';

/** A name's spoken forms: each character's pinyin without tones (letters and digits stay as they are). */
interface Spoken {
  syllables: string[];
  initials: string;
}

/**
 * Names repeat across searches and converting one costs ~60 µs, so forms are kept per process.
 * Bounded: past the cap the memo starts over rather than growing with every name ever seen.
 */
const MEMO_CAP = 50_000;
const memo = new Map<string, Spoken>();

function spoken(name: string): Spoken {
  let forms = memo.get(name);
  if (!forms) {
    const syllables = pinyin(name, { toneType: 'none', type: 'array' }).map((s) => s.toLowerCase());
    forms = { syllables, initials: syllables.map((s) => s[0] ?? '').join('') };
    if (memo.size >= MEMO_CAP) memo.clear();
    memo.set(name, forms);
  }
  return forms;
}

/** Whether a query can be pinyin at all: Latin letters only (spaces between syllables allowed). */
export const pinyinQuery = (q: string) => /^[a-z][a-z ]*$/i.test(q.trim()) && q.trim().length >= 2;

/**
 * How a Latin-letter query finds a Chinese name, or null: by initials (`shsc` → 上海申城) or by
 * full pinyin starting at a syllable (`shencheng`, `chengwu`), the way people type a name on a
 * phone keyboard. Names without Chinese characters are left to the plain text match.
 */
export function pinyinMatch(name: string, query: string): 'pinyin' | 'initials' | null {
  if (!/\p{Script=Han}/u.test(name)) return null;
  const q = query.toLowerCase().replace(/\s+/g, '');
  const { syllables, initials } = spoken(name);
  if (initials.includes(q)) return 'initials';
  for (let start = 0; start < syllables.length; start++) {
    if (syllables.slice(start).join('').startsWith(q)) return 'pinyin';
  }
  return null;
}
