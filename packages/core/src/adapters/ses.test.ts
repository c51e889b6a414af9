import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Notification } from '../notification/index.ts'
import { SesNotifier } from './ses.ts'

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

describe('Email notifications through SES', () => {
  beforeEach(() => ses.reset())

  it('sends the message in the recipient’s language with the notification tagged', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
    await new SesNotifier({
      client: new SESv2Client({}),
      from: 'Pendamping <noreply@pendamping.id>',
      configurationSet: 'cs',
    }).send(offer)
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
              Data: 'Halo Sari, ada UMKM yang butuh bantuan branding, seo. Lihat dan jawab tawaran sebelum 25 Nov 10.00 WIB: http://x/o/1',
              Charset: 'UTF-8',
            },
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
    await new SesNotifier({ client: new SESv2Client({}), from: 'a@b.id' }).send({
      ...offer,
      to: { ...offer.to, locale: 'en' },
    })
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input
    expect(input?.Content?.Simple?.Subject?.Data).toBe('A new mentoring request in Kota Malang')
  })

  it('hands recipients without email to the fallback and sends nothing', async () => {
    const unreachable: Notification[] = []
    const notifier = new SesNotifier({
      client: new SESv2Client({}),
      from: 'a@b.id',
      onUnreachable: (n) => unreachable.push(n),
    })
    await notifier.send({ ...offer, to: { ref: 'owner:r1', phone: '+6281234567890', locale: 'id' } })
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0)
    expect(unreachable.map((n) => n.to.ref)).toEqual(['owner:r1'])
  })

  it('lets SES failures surface so the consumer retries', async () => {
    ses.on(SendEmailCommand).rejects(new Error('Throttling'))
    await expect(
      new SesNotifier({ client: new SESv2Client({}), from: 'a@b.id' }).send(offer),
    ).rejects.toThrow('Throttling')
  })
})
