import { describe, expect, it } from 'vitest'
import {
  isMobilePhone,
  isSector,
  isSizeClass,
  normalizePhone,
  SECTOR_LABELS,
  SECTORS,
  SIZE_CLASS_LABELS,
  SIZE_CLASSES,
  sizeClassOf,
} from './index.ts'

describe('Phones', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['0812.3456.7890', '+6281234567890'],
    ['(0812) 3456-7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['62 812 3456 7890', '+6281234567890'],
    ['+6281234567890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['+62 (0)812 3456 7890', '+6281234567890'],
    ['  0812 3456 7890  ', '+6281234567890'],
    ['0812345678', '+62812345678'], // the shortest mobiles: 8 + 8 digits
    ['0812345678901', '+62812345678901'], // the longest: 8 + 11 digits
    ['0857 1234 5678', '+6285712345678'],
    ['(021) 5550-1234', '+622155501234'], // Jakarta
    ['0341-551234', '+62341551234'], // Malang
    ['+62 361 234567', '+62361234567'], // Denpasar
    ['0967 533 123', '+62967533123'], // Jayapura
  ])('normalises %j to %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164)
  })

  it.each([
    [''],
    ['0'],
    ['08123'], // too short
    ['081234567'], // 8 + 7 digits
    ['08123456789012'], // 8 + 12 digits
    ['0800 123 4567'], // toll-free, not a person
    ['+1 415 555 0100'], // another country
    ['+6081234567890'], // Malaysia
    ['0062 812 3456 7890'], // international prefix is not accepted
    ['+62 0812 3456 7890'], // a stray trunk zero without parentheses
    ['812 3456 7890'], // no prefix at all
    ['0812-3456-789O'], // letter O
    ['0812 3456 7890 ext 2'],
    ['+62+81234567890'],
    ['021 123'], // landline too short
    ['0112345678'], // no area code starts with 1
    ['1'.repeat(60)],
  ])('refuses %j', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined()
  })

  it('tells WhatsApp-capable mobiles from landlines', () => {
    expect(isMobilePhone('+6281234567890')).toBe(true)
    expect(isMobilePhone('+62341551234')).toBe(false)
  })
})

describe('Business size (PP 7/2021)', () => {
  it.each([
    [0, 'mikro'],
    [150_000_000, 'mikro'],
    [2_000_000_000, 'mikro'],
    [2_000_000_001, 'kecil'],
    [15_000_000_000, 'kecil'],
    [15_000_000_001, 'menengah'],
    [50_000_000_000, 'menengah'],
    [50_000_000_001, undefined],
    [-1, undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
  ])('classes annual sales of Rp %d as %s', (sales, size) => {
    expect(sizeClassOf(sales)).toBe(size)
  })

  it('labels every class in both languages', () => {
    for (const size of SIZE_CLASSES) {
      expect(isSizeClass(size)).toBe(true)
      expect(SIZE_CLASS_LABELS[size].id).toBeTruthy()
      expect(SIZE_CLASS_LABELS[size].en).toBeTruthy()
    }
    expect(isSizeClass('besar')).toBe(false)
  })
})

describe('Sectors', () => {
  it('labels every sector in both languages', () => {
    for (const sector of SECTORS) {
      expect(isSector(sector)).toBe(true)
      expect(SECTOR_LABELS[sector].id).toBeTruthy()
      expect(SECTOR_LABELS[sector].en).toBeTruthy()
    }
    expect(SECTORS).toContain('kuliner')
    expect(isSector('Kuliner')).toBe(false)
    expect(isSector(undefined)).toBe(false)
  })
})
