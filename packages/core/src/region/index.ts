/**
 * Indonesia's administrative regions by Kemendagri code: province `35`, regency/city `35.73`,
 * district (kecamatan) `35.73.01`, village (kelurahan/desa) `35.73.01.1001`.
 *
 * The lists follow Kepmendagri 300.2.2-2138/2025 (see `REGION_SOURCE` and `data/LICENSE.md`).
 * Provinces and regencies/cities (~15 KB) are parsed on first use; districts (~80 KB) only for the
 * regency whose district is first looked up, so a cold start pays for neither.
 */
import { DISTRICTS } from './data/districts.ts'
import { PROVINCES_AND_CITIES, REGION_SOURCE } from './data/regions.ts'

export { REGION_SOURCE }

export type RegionLevel = 'province' | 'city' | 'district' | 'village'

export interface Region {
  code: string
  name: string
}

const SHAPE = /^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$/
/** Village numbers: 1xxx for a kelurahan, 2xxx for a desa; never x000. */
const VILLAGE_NUMBER = /^[12](?!000)\d{3}$/

/** The level a code's shape denotes, without checking that it exists; `undefined` when malformed. */
export function regionLevel(code: string): RegionLevel | undefined {
  if (!SHAPE.test(code)) return undefined
  switch (code.length) {
    case 2:
      return 'province'
    case 5:
      return 'city'
    case 8:
      return 'district'
    default:
      return 'village'
  }
}

/** `35` for any well-formed code under Jawa Timur; `undefined` when malformed. */
export function provinceOf(code: string): string | undefined {
  return regionLevel(code) ? code.slice(0, 2) : undefined
}

/** The regency/city part (`35.73`) of a city, district or village code; `undefined` above or when malformed. */
export function cityOf(code: string): string | undefined {
  const level = regionLevel(code)
  return level && level !== 'province' ? code.slice(0, 5) : undefined
}

/** The district part (`35.73.01`) of a district or village code. */
export function districtOf(code: string): string | undefined {
  const level = regionLevel(code)
  return level === 'district' || level === 'village' ? code.slice(0, 8) : undefined
}

/**
 * Whether `code` names a real region: provinces, regencies/cities and districts must be on the
 * decree's lists; a village must be well formed (`1001`–`2999`, not `x000`) inside a listed district.
 *
 * @example
 * isRegionCode('35.73') // true — Kota Malang
 * isRegionCode('35.73.01.1001') // true — a village of Kec. Blimbing
 * isRegionCode('35.99') // false
 */
export function isRegionCode(code: string): boolean {
  switch (regionLevel(code)) {
    case 'province':
    case 'city':
      return upperNames().has(code)
    case 'district':
      return districtNames(code.slice(0, 5))?.has(code) ?? false
    case 'village':
      return (
        VILLAGE_NUMBER.test(code.slice(9)) &&
        (districtNames(code.slice(0, 5))?.has(code.slice(0, 8)) ?? false)
      )
    default:
      return false
  }
}

/** The official name of a province, regency/city or district (`Kota Malang`); villages have none here. */
export function regionName(code: string): string | undefined {
  switch (regionLevel(code)) {
    case 'province':
    case 'city':
      return upperNames().get(code)
    case 'district':
      return districtNames(code.slice(0, 5))?.get(code)
    default:
      return undefined
  }
}

/** The 38 provinces, by code. */
export function provinces(): Region[] {
  return [...upperNames()].filter(([code]) => code.length === 2).map(([code, name]) => ({ code, name }))
}

/** The regencies and cities of a province (`35` → `35.01` Kabupaten Pacitan … `35.79` Kota Batu), by code. */
export function citiesOf(province: string): Region[] {
  if (regionLevel(province) !== 'province') return []
  const prefix = `${province}.`
  return [...upperNames()]
    .filter(([code]) => code.length === 5 && code.startsWith(prefix))
    .map(([code, name]) => ({ code, name }))
}

/** The districts of a regency/city, by code. */
export function districtsOf(city: string): Region[] {
  if (regionLevel(city) !== 'city') return []
  return [...(districtNames(city) ?? [])].map(([code, name]) => ({ code, name }))
}

let upper: Map<string, string> | undefined

function upperNames(): Map<string, string> {
  if (!upper) {
    upper = new Map()
    for (const line of PROVINCES_AND_CITIES.split('\n')) {
      const bar = line.indexOf('|')
      upper.set(line.slice(0, bar), line.slice(bar + 1))
    }
  }
  return upper
}

/** Districts parsed per regency on demand; `null` marks a regency with no line (not a real regency). */
const districtCache = new Map<string, Map<string, string> | null>()

function districtNames(city: string): Map<string, string> | undefined {
  let names = districtCache.get(city)
  if (names === undefined) {
    names = parseDistrictLine(city)
    districtCache.set(city, names)
  }
  return names ?? undefined
}

function parseDistrictLine(city: string): Map<string, string> | null {
  const start = DISTRICTS.startsWith(`${city}|`) ? 0 : DISTRICTS.indexOf(`\n${city}|`) + 1
  if (start === 0 && !DISTRICTS.startsWith(`${city}|`)) return null
  const end = DISTRICTS.indexOf('\n', start)
  const entries = DISTRICTS.slice(start + city.length + 1, end === -1 ? undefined : end).split('|')
  const names = new Map<string, string>()
  let number = 0
  for (const entry of entries) {
    const jump = /^(\d{2})=/.exec(entry)
    number = jump ? Number(jump[1]) : number + 1
    names.set(`${city}.${String(number).padStart(2, '0')}`, jump ? entry.slice(3) : entry)
  }
  return names
}
