import { expect, it } from 'vitest'
// @ts-expect-error: the module does not exist; importing it is the failure under test
import { missing } from './no-such-module.ts'

it('never runs', () => expect(missing).toBeDefined())
