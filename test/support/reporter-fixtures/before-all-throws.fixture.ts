import { beforeAll, expect, it } from 'vitest'

beforeAll(() => {
  throw new Error('the setup broke')
})

it('would pass', () => expect(1).toBe(1))
it('would pass too', () => expect(2).toBe(2))
