import type { MentorProfile, RequestProfile } from './profile.ts'

/** A mentor in Kota Malang who is good at branding and decent at SEO, free Monday morning. */
export function mentor(overrides: Partial<MentorProfile> = {}): MentorProfile {
  return {
    id: 'm-1',
    status: 'active',
    skills: [
      { topic: 'branding', level: 3 },
      { topic: 'seo', level: 2 },
    ],
    regions: ['35.73'],
    modes: ['online', 'offline'],
    languages: ['id'],
    availability: [{ day: 1, from: '09:00', to: '12:00' }],
    capacity: 3,
    active: 0,
    ...overrides,
  }
}

/** A business in Kec. Blimbing, Kota Malang, wanting branding and SEO, free Monday 10–11. */
export function request(overrides: Partial<RequestProfile> = {}): RequestProfile {
  return {
    id: 'r-1',
    region: '35.73.01',
    needs: ['branding', 'seo'],
    mode: 'either',
    languages: ['id'],
    availability: [{ day: 1, from: '10:00', to: '11:00' }],
    excludedMentorIds: [],
    ...overrides,
  }
}
