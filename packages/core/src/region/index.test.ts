import { describe, expect, it } from 'vitest'
import {
  citiesOf,
  cityOf,
  districtOf,
  districtsOf,
  isRegionCode,
  provinceOf,
  provinces,
  REGION_SOURCE,
  regionLevel,
  regionName,
} from './index.ts'

describe('Regions', () => {
  it('keeps the decree the lists follow', () => {
    expect(REGION_SOURCE.decree).toBe('Kepmendagri 300.2.2-2138/2025')
  })

  it('knows all 38 provinces and 514 regencies/cities', () => {
    expect(provinces()).toHaveLength(38)
    expect(provinces().reduce((sum, p) => sum + citiesOf(p.code).length, 0)).toBe(514)
    expect(provinces()[0]).toEqual({ code: '11', name: 'Aceh' })
  })

  it('knows all 7 265 districts', () => {
    const count = provinces()
      .flatMap((p) => citiesOf(p.code))
      .reduce((sum, city) => sum + districtsOf(city.code).length, 0)
    expect(count).toBe(7265)
  })

  it('lists the cities of a province for a picker', () => {
    const jatim = citiesOf('35')
    expect(jatim).toHaveLength(38)
    expect(jatim).toContainEqual({ code: '35.73', name: 'Kota Malang' })
    expect(jatim.every((c) => c.code.startsWith('35.'))).toBe(true)
    expect(citiesOf('99')).toEqual([])
    expect(citiesOf('35.73')).toEqual([])
  })

  it('names provinces, cities and districts', () => {
    expect(regionName('35')).toBe('Jawa Timur')
    expect(regionName('35.73')).toBe('Kota Malang')
    expect(regionName('35.73.01')).toBe('Blimbing')
    expect(regionName('31.72')).toBe('Kota Administrasi Jakarta Utara')
    expect(regionName('35.73.01.1001')).toBeUndefined()
    expect(regionName('35.99')).toBeUndefined()
  })

  it('decodes districts whose numbering jumps', () => {
    // Aceh Tengah's districts jump from 03 to 07 in the decree.
    const acehTengah = districtsOf('11.04').map((d) => d.code)
    expect(acehTengah.slice(0, 5)).toEqual(['11.04.01', '11.04.02', '11.04.03', '11.04.07', '11.04.08'])
    expect(regionName('11.04.07')).toBe('Pegasing')
    expect(isRegionCode('11.04.04')).toBe(false)
    expect(regionName('11.04.10')).toBe('Ketol')
  })

  it.each([
    ['35', true],
    ['35.73', true],
    ['35.73.01', true],
    ['35.73.05', true],
    ['35.73.06', false],
    ['35.73.01.1001', true],
    ['35.73.01.2015', true],
    ['35.73.01.1000', false],
    ['35.73.01.3001', false],
    ['35.73.09.1001', false],
    ['99', false],
    ['35.99', false],
    ['35.7', false],
    ['3573', false],
    ['35.73.', false],
    [' 35.73', false],
    ['', false],
  ])('validates %j as %s', (code, valid) => {
    expect(isRegionCode(code)).toBe(valid)
  })

  it('derives the hierarchy of a code', () => {
    expect(regionLevel('35')).toBe('province')
    expect(regionLevel('35.73')).toBe('city')
    expect(regionLevel('35.73.01')).toBe('district')
    expect(regionLevel('35.73.01.1001')).toBe('village')
    expect(regionLevel('35-73')).toBeUndefined()
    expect(provinceOf('35.73.01.1001')).toBe('35')
    expect(cityOf('35.73.01.1001')).toBe('35.73')
    expect(cityOf('35.73')).toBe('35.73')
    expect(cityOf('35')).toBeUndefined()
    expect(districtOf('35.73.01.1001')).toBe('35.73.01')
    expect(districtOf('35.73')).toBeUndefined()
    expect(provinceOf('nope')).toBeUndefined()
  })
})
