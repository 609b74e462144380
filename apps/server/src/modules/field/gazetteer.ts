import { areaList } from '@vant/area-data';
import { pinyin } from 'pinyin-pro';
import { DISTRICT_SEATS, SEATS } from './gazetteer-centres';

/**
 * Turns a Chinese place as people type it ("苏州市工业园区", "杭州 滨江", "浦东") into a point, with
 * no internet: every division of the national tree is known by its full and its short name, and
 * sits at its own seat when the data has one, else at its city's or province's. The answer says
 * which (`precision`), so the screen can tell the user how far to trust the pin. Latin letters are
 * read as pinyin ("suzhou gongyeyuanqu"), for a reader of the English console.
 */

export type Precision = 'district' | 'city' | 'province';

export interface Division {
  code: string;
  name: string;
  /** "江苏省 苏州市 工业园区": the path a person reads to tell two 朝阳区 apart. */
  path: string;
  level: Precision;
  lat: number;
  lng: number;
  /** The level of the seat the point really is (a district without data sits at its city's). */
  precision: Precision;
  parents: string[];
  names: string[];
}

// Longest first, so "维吾尔自治区" goes before "自治区" and "区".
const SUFFIXES = [
  '维吾尔自治区',
  '壮族自治区',
  '回族自治区',
  '特别行政区',
  '自治区',
  '自治州',
  '自治县',
  '自治旗',
  '林区',
  '地区',
  '新区',
  '省',
  '市',
  '区',
  '县',
  '盟',
  '旗',
];

/** What people call a division when they don't spell it out: 苏州, 滨江, 延边, 内蒙古. */
export function shortNames(name: string): string[] {
  const out = new Set<string>([name]);
  // An autonomous prefecture or county goes by the place before its peoples: 延边朝鲜族自治州 → 延边.
  const peoples = name.match(/^(.{2,}?)(?:[\u4e00-\u9fa5]{1,4}族)+自治[州县旗]$/);
  if (peoples?.[1]) out.add(peoples[1]);
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) {
      out.add(name.slice(0, -suffix.length));
      break;
    }
  }
  return [...out];
}

/** The city-level codes that are only containers (北京市 under 北京市, 省直辖县 …) share their parent's name. */
const CONTAINERS = new Set(['省直辖县', '自治区直辖县级行政区划', '县']);

function buildDivisions(): Division[] {
  const seats = new Map<string, readonly [number, number]>(Object.entries(SEATS));
  const districtSeats = new Map<string, readonly [number, number]>();
  for (const [city, list] of Object.entries(DISTRICT_SEATS))
    for (const entry of list.split(';')) {
      const [name, lat, lng] = entry.trim().split(/\s+/);
      districtSeats.set(`${city}:${name}`, [Number(lat), Number(lng)]);
    }

  const out: Division[] = [];
  const provinces = areaList.province_list as Record<string, string>;
  const cities = areaList.city_list as Record<string, string>;
  const counties = areaList.county_list as Record<string, string>;
  for (const [code, name] of Object.entries(provinces)) {
    const seat = seats.get(code);
    if (!seat) continue;
    out.push({
      code,
      name,
      path: name,
      level: 'province',
      lat: seat[0],
      lng: seat[1],
      precision: 'province',
      parents: [],
      names: shortNames(name),
    });
  }
  const provinceOf = (code: string) => `${code.slice(0, 2)}0000`;
  for (const [code, name] of Object.entries(cities)) {
    const province = provinceOf(code);
    const own = seats.get(code);
    const fallback = seats.get(province);
    if (!own && !fallback) continue;
    // Containers, and municipalities whose city repeats the province (北京市 under 北京市).
    if (CONTAINERS.has(name) || provinces[province] === name) continue;
    const seat = (own ?? fallback)!;
    const provinceName = provinces[province] ?? '';
    out.push({
      code,
      name,
      path: `${provinceName} ${name}`,
      level: 'city',
      lat: seat[0],
      lng: seat[1],
      precision: own ? 'city' : 'province',
      parents: [province],
      names: shortNames(name),
    });
  }
  for (const [code, name] of Object.entries(counties)) {
    const province = provinceOf(code);
    const city = `${code.slice(0, 4)}00`;
    const cityName = cities[city];
    const container = !cityName || CONTAINERS.has(cityName);
    const seat = districtSeats.get(`${city}:${name}`) ?? seats.get(code) ?? (container ? undefined : seats.get(city));
    const fallback = seats.get(province);
    if (!seat && !fallback) continue;
    const precision: Precision =
      districtSeats.has(`${city}:${name}`) || seats.has(code) ? 'district' : seat ? 'city' : 'province';
    const provinceName = provinces[province] ?? '';
    const parts = [provinceName, container || cityName === provinceName ? null : cityName, name].filter(Boolean);
    out.push({
      code,
      name,
      path: parts.join(' '),
      level: 'district',
      lat: (seat ?? fallback)![0],
      lng: (seat ?? fallback)![1],
      precision,
      parents: container || cityName === provinceName ? [province] : [province, city],
      names: shortNames(name),
    });
  }
  return out;
}

let divisions: Division[] | undefined;
/** Built on first use (about 3,500 divisions, a few milliseconds), then kept. */
export const allDivisions = (): Division[] => {
  divisions ??= buildDivisions();
  return divisions;
};

let spelled: Map<string, string[]> | undefined;
/** Names in toneless pinyin ("suzhou", "binjiang"), for a reader typing Latin letters; built on first such query. */
const pinyinNames = (d: Division): string[] => {
  spelled ??= new Map(
    allDivisions().map((x) => [
      x.code,
      x.names.map((n) => pinyin(n, { toneType: 'none', type: 'array' }).join('').replace(/ü/g, 'v')),
    ]),
  );
  return spelled.get(d.code) ?? [];
};

const LEVEL_RANK: Record<Precision, number> = { province: 0, city: 1, district: 2 };

/** Spaces and punctuation carry no meaning in a Chinese address. */
export const normalisePlaceQuery = (q: string) => q.replace(/[\s,，、。.·()（）\-—]+/g, '');

/**
 * Divisions named in the text, best first. A division scores the length of its name found in the
 * text plus that of each of its parents also found there, so "杭州 滨江" prefers 杭州's 滨江区 and
 * "朝阳" alone lists both 朝阳区 (北京) and 朝阳市 (辽宁). A text naming nothing whole is read as
 * the beginning of a name (typing "苏" offers 苏州).
 */
export function lookupDivisions(text: string, limit = 8): Division[] {
  const latin = /^[a-z\s'’,.·-]+$/i.test(text);
  const q = latin ? text.toLowerCase().replace(/[^a-z]/g, '') : normalisePlaceQuery(text);
  if (!q) return [];
  const all = allDivisions();
  const namesOf = latin ? pinyinNames : (d: Division) => d.names;
  const found = new Map<string, number>();
  for (const d of all) {
    let best = 0;
    for (const n of namesOf(d)) if (n.length > best && q.includes(n)) best = n.length;
    if (best) found.set(d.code, best);
  }
  let scored: { d: Division; score: number }[];
  const prefix = found.size === 0;
  if (!prefix) {
    scored = all
      .filter((d) => found.has(d.code))
      .map((d) => ({ d, score: found.get(d.code)! + d.parents.reduce((s, p) => s + (found.get(p) ?? 0), 0) }));
  } else {
    scored = all.filter((d) => namesOf(d).some((n) => n.startsWith(q))).map((d) => ({ d, score: q.length }));
  }
  // Whole names: the most specific reading first. A beginning being typed: the larger places first.
  const depth = (d: Division) => (prefix ? -LEVEL_RANK[d.level] : LEVEL_RANK[d.level]);
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      depth(b.d) - depth(a.d) ||
      LEVEL_RANK[b.d.precision] - LEVEL_RANK[a.d.precision] ||
      a.d.code.localeCompare(b.d.code),
  );
  return scored.slice(0, limit).map((s) => s.d);
}

/** The division with this code (a site's district, a warehouse's region). */
export function divisionByCode(code: string): Division | undefined {
  return allDivisions().find((d) => d.code === code);
}
