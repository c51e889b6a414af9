import { expect, it } from 'vitest'

it('passes but leaves an error behind', async () => {
  Promise.reject(new Error('nobody awaited this'))
  await new Promise((resolve) => setImmediate(resolve))
  expect(1).toBe(1)
})
