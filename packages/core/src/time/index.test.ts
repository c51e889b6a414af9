import { describe, expect, it } from 'vitest'
import { provinces } from '../region/index.ts'
import { formatLocal, isTimeZone, TIME_ZONES, zoneLabel, zoneOffsetMinutes, zoneOfRegion } from './index.ts'

describe('Time zones', () => {
  it('labels the three zones as Indonesians do', () => {
    expect(TIME_ZONES.map(zoneLabel)).toEqual(['WIB', 'WITA', 'WIT'])
    expect(TIME_ZONES.map(zoneOffsetMinutes)).toEqual([420, 480, 540])
  })

  it('accepts only the three zones', () => {
    expect(isTimeZone('Asia/Makassar')).toBe(true)
    expect(isTimeZone('Asia/Pontianak')).toBe(false)
    expect(isTimeZone('UTC')).toBe(false)
    expect(isTimeZone(undefined)).toBe(false)
  })

  it('shows a UTC instant in local time, in Indonesian and English', () => {
    const utc = '2025-05-05T07:30:00Z'
    expect(formatLocal(utc, 'Asia/Jakarta', 'id')).toBe('Senin, 5 Mei 2025 pukul 14.30 WIB')
    expect(formatLocal(utc, 'Asia/Makassar', 'id')).toBe('Senin, 5 Mei 2025 pukul 15.30 WITA')
    expect(formatLocal(utc, 'Asia/Jayapura', 'en')).toBe('Monday, 5 May 2025 at 16:30 WIT')
  })

  it('crosses midnight into the local day', () => {
    expect(formatLocal('2025-12-31T18:05:00.000Z', 'Asia/Jakarta', 'en')).toBe(
      'Thursday, 1 January 2026 at 01:05 WIB',
    )
  })

  it('refuses what is not a date', () => {
    expect(() => formatLocal('besok', 'Asia/Jakarta', 'id')).toThrow(RangeError)
  })

  it('knows the zone of every province', () => {
    expect(zoneOfRegion('35.73')).toBe('Asia/Jakarta')
    expect(zoneOfRegion('61')).toBe('Asia/Jakarta') // Kalimantan Barat
    expect(zoneOfRegion('51.71.01')).toBe('Asia/Makassar') // Denpasar
    expect(zoneOfRegion('73.71')).toBe('Asia/Makassar') // Makassar
    expect(zoneOfRegion('81')).toBe('Asia/Jayapura') // Maluku
    expect(zoneOfRegion('94')).toBe('Asia/Jayapura') // Papua Tengah
    const counts = { 'Asia/Jakarta': 0, 'Asia/Makassar': 0, 'Asia/Jayapura': 0 }
    for (const province of provinces()) counts[zoneOfRegion(province.code)]++
    expect(counts).toEqual({ 'Asia/Jakarta': 18, 'Asia/Makassar': 12, 'Asia/Jayapura': 8 })
  })
})
