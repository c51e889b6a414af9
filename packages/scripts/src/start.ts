import { resolve } from 'node:path'
import { startLocalStack } from './local/stack.ts'

const root = resolve(import.meta.dirname, '../../..')
const port = Number(process.env.PORT ?? 3000)

const stack = await startLocalStack({
  dbPath: resolve(root, '.local/dynamodb'),
  keyFile: resolve(root, '.local/keys.json'),
  port,
})

console.log(`
  Pendamping is running locally.

  API        ${stack.url}
  Health     ${stack.url}/health
  OpenAPI    ${stack.url}/openapi.json
  Reference  ${stack.url}/docs
  DynamoDB   ${stack.dynamoEndpoint}  (table ${stack.tableName}, data in .local/dynamodb)

  A token:   npm run token -- --role staff --region 35.73
             curl -H "Authorization: Bearer $(npm run -s token -- --role staff --region 35.73)" ${stack.url}/health

  Ctrl-C stops everything.
`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    console.log('\n  Stopping…')
    await stack.stop()
    process.exit(0)
  })
}
