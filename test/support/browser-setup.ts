import { launchChromiumServer } from '@pendamping/scripts/testing/chromium'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    browserEndpoint: string
  }
}

/** One Chromium for the browser tier; each test file connects to it and opens its own contexts. */
export default async function setup(project: TestProject) {
  const server = await launchChromiumServer()
  project.provide('browserEndpoint', server.wsEndpoint())
  return async () => {
    await server.close()
  }
}
