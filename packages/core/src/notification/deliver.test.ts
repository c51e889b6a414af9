import { describe, expect, it } from 'vitest'
import { ChannelNotifier, type ContactBook, type DeliveryAttempt, DeliveryFailedError } from './deliver.ts'
import type { ChannelSender, ContactChannel, Notification, SendOutcome } from './port.ts'

/** A sender that answers what it is told, per address, and records what it was asked. */
function fake(channel: ContactChannel, answer: (address: string) => SendOutcome | Error) {
  const calls: string[] = []
  const sender: ChannelSender = {
    channel,
    async send(_notification, address) {
      calls.push(address)
      const outcome = answer(address)
      if (outcome instanceof Error) throw outcome
      return outcome
    },
  }
  return { sender, calls }
}

function memoryContacts(refused: string[] = []): ContactBook & { refused: Set<string> } {
  const set = new Set(refused)
  return {
    refused: set,
    isRefused: async (channel, address) => set.has(`${channel}:${address}`),
    markRefused: async (channel, address) => void set.add(`${channel}:${address}`),
  }
}

const note = (to: Notification['to']): Notification => ({
  id: 'e1:owner:r1:check-in',
  kind: 'check-in',
  to,
  params: { name: 'Sari', link: 'https://x' },
})
const phone = '+6281234567890'

describe('Delivery by the person’s channel', () => {
  it('sends by the chosen channel only, when it works', async () => {
    const wa = fake('whatsapp', () => 'sent')
    const sms = fake('sms', () => 'sent')
    const email = fake('email', () => 'sent')
    const attempts: DeliveryAttempt[] = []
    await new ChannelNotifier({
      senders: [wa.sender, sms.sender, email.sender],
      contacts: memoryContacts(),
      observe: (a) => attempts.push(a),
    }).send(note({ ref: 'owner:r1', phone, email: 's@x.id', locale: 'id', channel: 'sms' }))
    expect([wa.calls, sms.calls, email.calls]).toEqual([[], [phone], []])
    expect(attempts.map((a) => `${a.channel}:${a.outcome}`)).toEqual(['sms:sent'])
  })

  it('defaults to WhatsApp with a phone and to e-mail without one', async () => {
    const wa = fake('whatsapp', () => 'sent')
    const email = fake('email', () => 'sent')
    const notifier = new ChannelNotifier({ senders: [wa.sender, email.sender], contacts: memoryContacts() })
    await notifier.send(note({ ref: 'owner:r1', phone, email: 's@x.id', locale: 'id' }))
    await notifier.send(note({ ref: 'mentor:m1', email: 'm@x.id', locale: 'id' }))
    expect(wa.calls).toEqual([phone])
    expect(email.calls).toEqual(['m@x.id'])
  })

  it('falls back to the next channel the person allowed when one fails, recording each attempt', async () => {
    const wa = fake('whatsapp', () => Object.assign(new Error('down'), { name: 'InternalServiceException' }))
    const sms = fake('sms', () => 'sent')
    const attempts: DeliveryAttempt[] = []
    await new ChannelNotifier({
      senders: [wa.sender, sms.sender],
      contacts: memoryContacts(),
      observe: (a) => attempts.push(a),
    }).send(note({ ref: 'owner:r1', phone, locale: 'id' }))
    expect(attempts).toEqual([
      {
        notificationId: 'e1:owner:r1:check-in',
        kind: 'check-in',
        ref: 'owner:r1',
        channel: 'whatsapp',
        outcome: 'failed',
        error: 'InternalServiceException',
      },
      {
        notificationId: 'e1:owner:r1:check-in',
        kind: 'check-in',
        ref: 'owner:r1',
        channel: 'sms',
        outcome: 'sent',
      },
    ])
  })

  it('marks an address refused for good and never tries it again on that channel', async () => {
    const contacts = memoryContacts()
    const sms = fake('sms', () => 'refused')
    const email = fake('email', () => 'sent')
    const notifier = new ChannelNotifier({ senders: [sms.sender, email.sender], contacts })
    const to = { ref: 'owner:r1', phone, email: 's@x.id', locale: 'id' as const, channel: 'sms' as const }
    await notifier.send(note(to))
    await notifier.send(note(to))
    expect(sms.calls).toEqual([phone])
    expect(email.calls).toEqual(['s@x.id', 's@x.id'])
    expect([...contacts.refused]).toEqual([`sms:${phone}`])
  })

  it('throws for the retry when nothing was sent and something failed', async () => {
    const wa = fake('whatsapp', () => new Error('down'))
    const sms = fake('sms', () => 'refused')
    const attempt = new ChannelNotifier({
      senders: [wa.sender, sms.sender],
      contacts: memoryContacts(),
    }).send(note({ ref: 'owner:r1', phone, locale: 'id' }))
    await expect(attempt).rejects.toBeInstanceOf(DeliveryFailedError)
  })

  it('reports a person no channel can reach, without a retry', async () => {
    const unreachable: string[] = []
    const sms = fake('sms', () => 'sent')
    await new ChannelNotifier({
      senders: [sms.sender],
      contacts: memoryContacts([`sms:${phone}`]),
      unreachable: (n) => unreachable.push(n.to.ref),
    }).send(note({ ref: 'owner:r1', phone, locale: 'id', channel: 'sms' }))
    expect(sms.calls).toEqual([])
    expect(unreachable).toEqual(['owner:r1'])
  })
})
