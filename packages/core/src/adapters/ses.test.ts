import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Notification } from '../notification/port.ts'
import { SesSender } from './ses.ts'

const ses = mockClient(SESv2Client)

const offer: Notification = {
  id: 'evt123:mentor:m1:offer-made',
  kind: 'offer-made',
  to: { ref: 'mentor:m1', email: 'sari@example.id', locale: 'id' },
  params: {
    name: 'Sari',
    city: 'Kota Malang',
    needs: 'branding, seo',
    expiresAt: '25 Nov 10.00 WIB',
    link: 'http://x/o/1',
  },
}

const sender = (configurationSet?: string) =>
  new SesSender({ client: new SESv2Client({}), from: 'Pendamping <noreply@pendamping.id>', configurationSet })

describe('Email notifications through SES', () => {
  beforeEach(() => ses.reset())

  it('sends the message in the recipient’s language with the notification tagged', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
    expect(await sender('cs').send(offer, 'sari@example.id')).toBe('sent')
    const sent = ses.commandCalls(SendEmailCommand)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.args[0].input).toEqual({
      FromEmailAddress: 'Pendamping <noreply@pendamping.id>',
      Destination: { ToAddresses: ['sari@example.id'] },
      Content: {
        Simple: {
          Subject: { Data: 'Tawaran pendampingan baru di Kota Malang', Charset: 'UTF-8' },
          Body: {
            Text: {
              Data: 'Halo Sari, ada UMKM di Kota Malang yang butuh bantuan branding, seo. Lihat dan jawab tawaran sebelum 25 Nov 10.00 WIB: http://x/o/1',
              Charset: 'UTF-8',
            },
            Html: { Data: expect.stringContaining('<a href="http://x/o/1">'), Charset: 'UTF-8' },
          },
        },
      },
      ConfigurationSetName: 'cs',
      EmailTags: [
        { Name: 'kind', Value: 'offer-made' },
        { Name: 'notification', Value: 'evt123_mentor_m1_offer-made' },
      ],
    })
  })

  it('writes English for English speakers', async () => {
    ses.on(SendEmailCommand).resolves({})
    await sender().send({ ...offer, to: { ...offer.to, locale: 'en' } }, 'sari@example.id')
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input
    expect(input?.Content?.Simple?.Subject?.Data).toBe('A new mentoring request in Kota Malang')
  })

  it('answers `refused` when SES rejects the address itself', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Email address is not verified'), { name: 'MessageRejected' }))
    expect(await sender().send(offer, 'bad@example.id')).toBe('refused')
  })

  it('lets other SES failures surface so the next channel, then the retry, are tried', async () => {
    ses.on(SendEmailCommand).rejects(new Error('Throttling'))
    await expect(sender().send(offer, 'sari@example.id')).rejects.toThrow('Throttling')
  })
})
