import { describe, expect, it } from 'vitest'
import { isOutcome, isTopic, OUTCOMES, outcomeLabel, TOPICS, topicLabel } from './index.ts'

describe('Topics', () => {
  it('has the ten topics of the specification', () => {
    expect(TOPICS).toEqual([
      'branding',
      'seo',
      'packaging',
      'social_media',
      'content',
      'marketplace',
      'website',
      'ads',
      'copywriting',
      'finance_literacy',
    ])
  })

  it('labels topics in plain Indonesian and English', () => {
    expect(topicLabel('branding', 'id')).toBe('Logo & merek')
    expect(topicLabel('branding', 'en')).toBe('Logo & brand')
    expect(topicLabel('packaging', 'id')).toBe('Kemasan')
    expect(topicLabel('marketplace', 'id')).toBe('Jualan di marketplace')
    for (const topic of TOPICS) {
      expect(topicLabel(topic, 'id')).not.toBe(topic)
      expect(topicLabel(topic, 'en')).not.toBe(topic)
    }
  })

  it("shows a program's own topic by its key", () => {
    expect(isTopic('halal_certification')).toBe(false)
    expect(topicLabel('halal_certification', 'id')).toBe('halal_certification')
  })

  it('recognises only known topics', () => {
    expect(isTopic('seo')).toBe(true)
    expect(isTopic('SEO')).toBe(false)
    expect(isTopic(3)).toBe(false)
  })
})

describe('Outcomes', () => {
  it('includes those the specification names, labelled in both languages', () => {
    for (const outcome of [
      'instagram_business_account',
      'marketplace_listing',
      'new_logo',
      'new_packaging',
      'website_live',
      'first_online_sale',
    ]) {
      expect(isOutcome(outcome)).toBe(true)
    }
    for (const outcome of OUTCOMES) {
      expect(outcomeLabel(outcome, 'id')).not.toBe(outcome)
      expect(outcomeLabel(outcome, 'en')).not.toBe(outcome)
    }
    expect(outcomeLabel('first_online_sale', 'id')).toBe('Penjualan online pertama')
    expect(isOutcome('world_domination')).toBe(false)
  })
})
