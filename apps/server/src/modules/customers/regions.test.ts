import { describe, expect, it } from 'vitest';
import { divisionProblem } from './regions';

describe('administrative divisions', () => {
  it('accepts a district inside its city inside its province', () => {
    expect(divisionProblem({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' })).toBeNull();
  });
  it('names the field that does not fit', () => {
    expect(divisionProblem({ provinceCode: '440000', cityCode: '310100' })).toBe('cityCode');
    expect(divisionProblem({ provinceCode: '440000', cityCode: '440300', districtCode: '440106' })).toBe(
      'districtCode',
    );
    expect(divisionProblem({ provinceCode: '990000', cityCode: '440300' })).toBe('provinceCode');
  });
});
