import { areaList } from '@vant/area-data';

/**
 * Administrative divisions (GB/T 2260 codes via @vant/area-data): a city must lie in its
 * province and a district in its city. Returns the offending field, or null.
 */
export function divisionProblem(site: {
  provinceCode?: string;
  cityCode?: string;
  districtCode?: string | null;
}): string | null {
  const { provinceCode, cityCode, districtCode } = site;
  if (provinceCode !== undefined && !(provinceCode in areaList.province_list)) return 'provinceCode';
  if (cityCode !== undefined) {
    if (!(cityCode in areaList.city_list)) return 'cityCode';
    if (provinceCode !== undefined && cityCode.slice(0, 2) !== provinceCode.slice(0, 2)) return 'cityCode';
  }
  if (districtCode) {
    if (!(districtCode in areaList.county_list)) return 'districtCode';
    if (cityCode !== undefined && districtCode.slice(0, 4) !== cityCode.slice(0, 4)) return 'districtCode';
  }
  return null;
}

export const isProvince = (code: string) => code in areaList.province_list;
export const provinceName = (code: string) => areaList.province_list[code] ?? code;
export const cityName = (code: string) => areaList.city_list[code] ?? code;
