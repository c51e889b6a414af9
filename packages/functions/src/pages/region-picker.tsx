import { citiesOf, provinces } from '@pendamping/core/region'
import { Select } from './fields.tsx'
import type { Tr } from './layout.tsx'

/** The button that reloads the form with the chosen province's cities (no JavaScript needed). */
export const PICK_PROVINCE = 'pilih-provinsi'

export interface RegionPickerProps {
  tr: Tr
  /** The form field that carries the Kemendagri city/regency code (`business.region`, `region`). */
  name: string
  province: string
  city: string
  error?: string | undefined
  /** Just reloaded for a province: put the cursor on the city list. */
  focusCity?: boolean
  /** The question the fieldset asks; where the business is by default. */
  legend?: string | undefined
}

/**
 * Province, then city or regency, as two selects: choosing a province and pressing the button posts
 * the form back (keeping everything typed) with that province's cities listed. Codes are
 * Kemendagri's; the city list holds only codes of the chosen province.
 */
export function RegionPicker({ tr, name, province, city, error, focusCity, legend }: RegionPickerProps) {
  const cities = province ? citiesOf(province) : []
  const chosenProvince = province || city.slice(0, 2)
  return (
    <fieldset>
      <legend>{legend ?? tr('Lokasi usaha', 'Where the business is')}</legend>
      <div class="row">
        <Select
          name="province"
          label={tr('Provinsi', 'Province')}
          placeholder={tr('— Pilih provinsi —', '— Choose a province —')}
          options={provinces().map((region) => [region.code, region.name] as const)}
          value={chosenProvince}
        />
        <button type="submit" name="action" value={PICK_PROVINCE} class="alt" formnovalidate>
          {tr('Tampilkan kabupaten/kota', 'Show regencies/cities')}
        </button>
      </div>
      <Select
        name={name}
        label={tr('Kabupaten/kota', 'Regency/city')}
        hint={
          cities.length === 0
            ? tr(
                'Pilih provinsi lalu tekan “Tampilkan kabupaten/kota”.',
                'Choose a province, then press “Show regencies/cities”.',
              )
            : undefined
        }
        placeholder={tr('— Pilih kabupaten/kota —', '— Choose a regency/city —')}
        options={cities.map((region) => [region.code, region.name] as const)}
        value={city}
        error={error}
        autofocus={focusCity}
      />
    </fieldset>
  )
}
