import { NewRequest } from '@pendamping/core/request'
import { describe, expect, it } from 'vitest'
import { coerce, fieldPath, formToObject } from './form.ts'

describe('Reading HTML forms', () => {
  it('splits dotted and bracketed field names', () => {
    expect(fieldPath('business.name')).toEqual(['business', 'name'])
    expect(fieldPath('business[name]')).toEqual(['business', 'name'])
    expect(fieldPath('needs[]')).toEqual(['needs', null])
    expect(fieldPath('availability[0][day]')).toEqual(['availability', '0', 'day'])
    expect(fieldPath('availability.0.day')).toEqual(['availability', '0', 'day'])
    expect(fieldPath('a[b')).toBeUndefined()
    expect(fieldPath('[]')).toBeUndefined()
    expect(fieldPath('a.b.c.d.e.f.g')).toBeUndefined()
  })

  it('nests fields and turns repeated names into arrays', () => {
    const form = new URLSearchParams(
      'business.name=Warung&business[phone]=0812&needs=seo&needs=ads&languages[]=id',
    )
    expect(formToObject(form)).toEqual({
      business: { name: 'Warung', phone: '0812' },
      needs: ['seo', 'ads'],
      languages: ['id'],
    })
  })

  it('refuses names that would reach the prototype or clash', () => {
    expect(formToObject(new URLSearchParams('__proto__.polluted=1'))).toBeUndefined()
    expect(formToObject(new URLSearchParams('business=x&business.name=y'))).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('gives values the types the schema expects', () => {
    const object = formToObject(
      new URLSearchParams(
        'business.annualSales=250000000&business.email=&needs=seo&consent.accepted=on&availability[1][day]=tue&availability[0][day]=mon',
      ),
    )
    expect(coerce(object, NewRequest)).toEqual({
      business: { annualSales: 250000000 },
      needs: ['seo'],
      consent: { accepted: true },
      availability: [{ day: 'mon' }, { day: 'tue' }],
    })
  })

  it('leaves what it cannot read for the schema to refuse', () => {
    const object = formToObject(new URLSearchParams('business.annualSales=banyak&consent.accepted=maybe'))
    expect(coerce(object, NewRequest)).toEqual({
      business: { annualSales: 'banyak' },
      consent: { accepted: 'maybe' },
    })
  })
})
