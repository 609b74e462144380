import { areaList } from '@vant/area-data';
import { Select, type SelectProps } from 'antd';

const PROVINCES = Object.entries(areaList.province_list).map(([value, label]) => ({ value, label }));

export const provinceName = (code: string) => areaList.province_list[code] ?? code;

/** Provinces by their 6-digit division code (the region codes of customers and users). */
export function ProvinceSelect(props: SelectProps) {
  return <Select showSearch optionFilterProp="label" options={PROVINCES} allowClear {...props} />;
}
