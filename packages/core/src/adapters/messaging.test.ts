import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2'
import {
  SendWhatsAppMessageCommand,
  SocialMessagingClient,
  ThrottledRequestException,
} from '@aws-sdk/client-socialmessaging'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Notification } from '../notification/port.ts'
import { SmsSender } from './sms.ts'
import { WhatsAppSender } from './whatsapp.ts'

const social = mockClient(SocialMessagingClient)
const sms = mockClient(PinpointSMSVoiceV2Client)

const accepted: Notification = {
  id: 'evt9:owner:r1:offer-accepted',
  kind: 'offer-accepted',
  to: { ref: 'owner:r1', phone: '+6281234567890', locale: 'id', channel: 'whatsapp' },
  params: { name: 'Sari', mentor: 'Budi', link: 'https://pendamping.id/lacak/r1?token=abc' },
}

const reminder: Notification = {
  id: 'fu1:owner:r1',
  kind: 'session-reminder',
  to: { ref: 'owner:r1', phone: '+6281234567890', locale: 'en' },
  params: { startsAt: 'Monday, 5 May 2025 at 14:30 WIB', when: 'tomorrow', where: '', link: 'https://x/l' },
}

const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes))

describe('WhatsApp through End User Messaging Social', () => {
  beforeEach(() => social.reset())
  const whatsapp = () =>
    new WhatsAppSender({
      client: new SocialMessagingClient({}),
      originationPhoneNumberId: 'phone-number-id-abc',
    })

  it('sends the approved template in the person’s language with the catalog’s parameters in order', async () => {
    social.on(SendWhatsAppMessageCommand).resolves({ messageId: 'wamid.1' })
    expect(await whatsapp().send(accepted, '+6281234567890')).toBe('sent')
    const [call] = social.commandCalls(SendWhatsAppMessageCommand)
    expect(call?.args[0].input.originationPhoneNumberId).toBe('phone-number-id-abc')
    expect(call?.args[0].input.metaApiVersion).toBe('v20.0')
    expect(decode(call?.args[0].input.message)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281234567890',
      type: 'template',
      template: {
        name: 'pendamping_offer_accepted',
        language: { code: 'id' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Sari' },
              { type: 'text', text: 'Budi' },
              { type: 'text', text: 'https://pendamping.id/lacak/r1?token=abc' },
            ],
          },
        ],
      },
    })
  })

  it('sends English to English speakers and never an empty parameter (WhatsApp refuses one)', async () => {
    social.on(SendWhatsAppMessageCommand).resolves({})
    await whatsapp().send(reminder, '+6281234567890')
    const message = decode(social.commandCalls(SendWhatsAppMessageCommand)[0]?.args[0].input.message)
    expect(message.template.language).toEqual({ code: 'en' })
    expect(message.template.components[0].parameters.map((p: { text: string }) => p.text)).toEqual([
      'Monday, 5 May 2025 at 14:30 WIB',
      'tomorrow',
      '-',
      'https://x/l',
    ])
  })

  it('throws what the service refused, so the next channel is tried', async () => {
    social
      .on(SendWhatsAppMessageCommand)
      .rejects(new ThrottledRequestException({ message: 'slow down', $metadata: {} }))
    await expect(whatsapp().send(accepted, '+6281234567890')).rejects.toThrow('slow down')
  })
})

describe('SMS through End User Messaging SMS', () => {
  beforeEach(() => sms.reset())
  const identity = 'arn:aws:sms-voice:ap-southeast-1:123456789012:phone-number/phone-abc'
  const sender = () =>
    new SmsSender({ client: new PinpointSMSVoiceV2Client({}), originationIdentity: identity })

  it('sends the body as a transactional text from the origination identity, tagged with the notification', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'sms-1' })
    expect(await sender().send(accepted, '+6281234567890')).toBe('sent')
    expect(sms.commandCalls(SendTextMessageCommand)[0]?.args[0].input).toEqual({
      DestinationPhoneNumber: '+6281234567890',
      OriginationIdentity: identity,
      MessageBody:
        'Pendamping: Halo Sari, Budi akan mendampingi usaha Anda. Lihat jadwal di: https://pendamping.id/lacak/r1?token=abc',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: undefined,
      Context: { kind: 'offer-accepted', notification: 'evt9:owner:r1:offer-accepted' },
    })
  })

  it('answers `refused` for a number the service cannot read or one that opted out', async () => {
    sms
      .on(SendTextMessageCommand)
      .rejectsOnce(new ValidationException({ message: 'bad number', Reason: 'CANNOT_PARSE', $metadata: {} }))
      .rejectsOnce(
        new ConflictException({
          message: 'opted out',
          Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
          ResourceType: 'opt-out-list',
          ResourceId: 'x',
          $metadata: {},
        }),
      )
    expect(await sender().send(accepted, '+620000')).toBe('refused')
    expect(await sender().send(accepted, '+6281234567890')).toBe('refused')
  })

  it('throws a failure worth retrying (throttling, an identity not set up)', async () => {
    sms
      .on(SendTextMessageCommand)
      .rejectsOnce(new ThrottlingException({ message: 'throttled', $metadata: {} }))
      .rejectsOnce(new ValidationException({ message: 'no identity', Reason: 'INVALID_ARN', $metadata: {} }))
    await expect(sender().send(accepted, '+6281234567890')).rejects.toThrow('throttled')
    await expect(sender().send(accepted, '+6281234567890')).rejects.toThrow('no identity')
  })
})
