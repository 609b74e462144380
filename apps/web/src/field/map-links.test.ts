import { describe, expect, it } from 'vitest';
import { mapLink } from './map-links';

describe('map links from a visit', () => {
  const address = '上海市浦东新区张江路 88 号 3#厂房';

  it('searches the address in 高德, 百度 and Apple Maps by their documented URLs, encoded whole', () => {
    const amap = new URL(mapLink('amap', address));
    expect(`${amap.origin}${amap.pathname}`).toBe('https://uri.amap.com/search');
    expect(amap.searchParams.get('keyword')).toBe(address);
    const baidu = new URL(mapLink('baidu', address));
    expect(`${baidu.origin}${baidu.pathname}`).toBe('https://api.map.baidu.com/geocoder');
    expect([baidu.searchParams.get('address'), baidu.searchParams.get('output')]).toEqual([address, 'html']);
    const apple = new URL(mapLink('apple', address));
    expect(`${apple.origin}${apple.pathname}`).toBe('https://maps.apple.com/');
    // The '#' of 3#厂房 stays in the query instead of cutting the address off as a fragment.
    expect(apple.searchParams.get('q')).toBe(address);
    expect(apple.hash).toBe('');
  });
});
