import { registerMessages } from '../i18n/index.ts'

/** The channels a person may be reached by, in the order tried after their own choice (docs/contract/channels.md). */
export const CONTACT_CHANNELS = ['whatsapp', 'sms', 'email'] as const
export type ContactChannel = (typeof CONTACT_CHANNELS)[number]

registerMessages({
  'field.channel': {
    id: 'Pilih WhatsApp, SMS, atau email',
    en: 'Choose WhatsApp, SMS or email',
  },
  'field.channel_email': {
    id: 'Untuk kabar lewat email, isi alamat email',
    en: 'To hear from us by email, give an email address',
  },
})
