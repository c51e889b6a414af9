import { CONTACT_CHANNELS } from '@pendamping/core/notification'
import { Choices, errorAt, type FieldErrors, type Typed } from './fields.tsx'
import type { Tr } from './layout.tsx'

/**
 * "How should we reach you?" (docs/contract/channels.md): WhatsApp, SMS or e-mail as radios, WhatsApp
 * chosen until the person picks another. Plain HTML: works without JavaScript.
 */
export function ChannelChoice(props: { tr: Tr; name: string; typed: Typed; errors: FieldErrors }) {
  const { tr } = props
  const labels = { whatsapp: 'WhatsApp', sms: 'SMS', email: tr('Email', 'Email') }
  const chosen = props.typed.all(props.name)
  return (
    <Choices
      type="radio"
      name={props.name}
      legend={tr('Kabari saya lewat', 'Send me news by')}
      hint={tr(
        'Kalau gagal, kami coba lewat kontak lain yang Anda isi. Email perlu alamat email.',
        'If it fails we try the other contacts you gave. Email needs an email address.',
      )}
      options={CONTACT_CHANNELS.map((channel) => [channel, labels[channel]] as const)}
      chosen={chosen.length > 0 ? chosen : ['whatsapp']}
      error={errorAt(props.errors, props.name)}
    />
  )
}
