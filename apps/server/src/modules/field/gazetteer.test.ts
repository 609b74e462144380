import { areaList } from '@vant/area-data';
import { describe, expect, it } from 'vitest';
import { allDivisions, lookupDivisions, shortNames } from './gazetteer';
import { DISTRICT_SEATS, SEATS } from './gazetteer-centres';
import { haversineKm } from './geo';

const first = (q: string) => lookupDivisions(q, 1)[0];

describe('the offline gazetteer', () => {
  it('reads addresses the way people type them', () => {
    expect(first('苏州市工业园区')).toMatchObject({
      code: '320590',
      path: '江苏省 苏州市 工业园区',
      precision: 'district',
    });
    expect(first('苏州工业园区星湖街')).toMatchObject({ code: '320571', precision: 'district' });
    expect(first('杭州 滨江')).toMatchObject({ code: '330108', precision: 'district' });
    expect(first('上海市浦东新区张江路 88 号')).toMatchObject({ code: '310115' });
    expect(first('深圳南山')).toMatchObject({ code: '440305' });
    expect(first('延边')).toMatchObject({ code: '222400', level: 'city' });
    expect(first('内蒙古')).toMatchObject({ code: '150000', level: 'province' });
  });

  it('prefers the district whose city is named too, and lists every reading of a bare name', () => {
    // 南山区 exists in 深圳 and in 鹤岗; 朝阳 is a district of 北京 and 长春, a city and a county in 辽宁.
    expect(lookupDivisions('鹤岗南山', 1)[0]?.code).toBe('230404');
    const chaoyang = lookupDivisions('朝阳').map((d) => d.code);
    expect(chaoyang).toEqual(expect.arrayContaining(['110105', '220104', '211300']));
  });

  it('offers the larger places first while a name is being typed', () => {
    expect(lookupDivisions('苏').map((d) => d.name)[0]).toBe('苏州市');
    expect(lookupDivisions('')).toEqual([]);
    expect(lookupDivisions('   ')).toEqual([]);
    expect(lookupDivisions('火星基地')).toEqual([]);
  });

  it('says how far the point can be trusted', () => {
    // 桐庐县 has its own seat; 建德市's neighbour 淳安县 too; a 湖州 county falls back to its city.
    expect(first('桐庐')?.precision).toBe('district');
    const anji = first('湖州安吉县');
    expect(anji).toMatchObject({ code: '330523', precision: 'city', lat: SEATS['330500']![0] });
  });

  it('knows every mainland city by a seat of its own, inside its province', () => {
    const cities = areaList.city_list as Record<string, string>;
    const mainland = Object.keys(cities).filter((c) => Number(c.slice(0, 2)) < 71 && !/9000$/.test(c));
    expect(mainland.filter((c) => !SEATS[c])).toEqual([]);
    for (const code of mainland) {
      const seat = SEATS[code]!;
      const province = SEATS[`${code.slice(0, 2)}0000`]!;
      // No prefecture seat is more than ~1,300 km from its provincial capital (西藏 阿里 is the farthest).
      expect(haversineKm({ lat: seat[0], lng: seat[1] }, { lat: province[0], lng: province[1] })).toBeLessThan(1400);
    }
  });

  it('places each hand-placed district within 150 km of its city and under a name the national tree knows', () => {
    const counties = areaList.county_list as Record<string, string>;
    for (const [city, list] of Object.entries(DISTRICT_SEATS)) {
      const seat = SEATS[city]!;
      for (const entry of list.split(';')) {
        const [name, lat, lng] = entry.trim().split(/\s+/);
        const known = Object.entries(counties).some(([code, n]) => n === name && code.startsWith(city.slice(0, 4)));
        expect(known, `${city} ${name}`).toBe(true);
        expect(haversineKm({ lat: Number(lat), lng: Number(lng) }, { lat: seat[0], lng: seat[1] })).toBeLessThan(150);
      }
    }
    expect(allDivisions().filter((d) => d.precision === 'district').length).toBeGreaterThan(150);
  });

  it('reads Latin letters as pinyin, homophones side by side', () => {
    // The national tree has the park twice (苏州工业园区 and 工业园区 under 苏州市): either is right.
    expect(['320571', '320590']).toContain(first('Suzhou gongyeyuanqu')?.code);
    expect(first('hangzhou binjiang')).toMatchObject({ code: '330108' });
    // 苏州 and 宿州 are both "suzhou".
    expect(lookupDivisions('suzhou').map((d) => d.code)).toEqual(expect.arrayContaining(['320500', '341300']));
  });

  it('shortens names the way they are said', () => {
    expect(shortNames('延边朝鲜族自治州')).toContain('延边');
    expect(shortNames('新疆维吾尔自治区')).toContain('新疆');
    expect(shortNames('滨江区')).toContain('滨江');
    // One character is no name: 东区 stays whole.
    expect(shortNames('东区')).toEqual(['东区']);
  });
});
