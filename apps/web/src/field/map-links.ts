/**
 * Links that open the site's address in the engineer's map app, by the URL each vendor documents
 * for a search by address (no coordinates needed, no key): 高德 uri.amap.com/search, 百度
 * api.map.baidu.com/geocoder (output=html shows the place with a route button), Apple Maps ?q=.
 * On a phone with the app installed each opens the app; otherwise the vendor's web page.
 */
export type MapVendor = 'amap' | 'baidu' | 'apple';

export const MAP_VENDORS: MapVendor[] = ['amap', 'baidu', 'apple'];

const SOURCE = 'serviceloop';

export function mapLink(vendor: MapVendor, address: string): string {
  const q = encodeURIComponent(address.trim());
  switch (vendor) {
    case 'amap':
      return `https://uri.amap.com/search?keyword=${q}&src=${SOURCE}&callnative=1`;
    case 'baidu':
      return `https://api.map.baidu.com/geocoder?address=${q}&output=html&src=${SOURCE}`;
    case 'apple':
      return `https://maps.apple.com/?q=${q}`;
  }
}
