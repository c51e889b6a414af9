import { resolve } from 'node:path'
import { DEMO_STAFF, LOCAL_PASSWORD } from './local/accounts.ts'
import { LocalConsole } from './local/console.ts'
import { startLocalStack } from './local/stack.ts'

const root = resolve(import.meta.dirname, '../../..')
const port = Number(process.env.PORT ?? 3000)
// One human line per request and per event; `PENDAMPING_LOG=json npm start` keeps Lambda's JSON lines.
const json = process.env.PENDAMPING_LOG === 'json'
if (!json) {
  // The publisher's metrics are CloudWatch's embedded-metric JSON: nothing to read on a console.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true'
}
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR

const stack = await startLocalStack({
  dbPath: resolve(root, '.local/dynamodb'),
  keyFile: resolve(root, '.local/keys.json'),
  certificateKeyFile: resolve(root, '.local/certificate-keys.json'),
  messageLinkSecretFile: resolve(root, '.local/message-link-secret'),
  accountsFile: resolve(root, '.local/accounts.json'),
  notificationsFile: resolve(root, '.local/notifications.jsonl'),
  runSchedules: true,
  seed: true,
  port,
  ...(json ? {} : { console: new LocalConsole({ color }) }),
})

console.log(`
  Pendamping is running locally.

  API        ${stack.url}
  Health     ${stack.url}/health
  OpenAPI    ${stack.url}/openapi.json
  Reference  ${stack.url}/docs
  DynamoDB   ${stack.dynamoEndpoint}  (table ${stack.tableName}, data in .local/dynamodb)
  Sign-in    ${stack.identity.issuer}  (OpenID Connect provider standing in for Cognito's managed login)

  Sign in in a browser, password "${LOCAL_PASSWORD}" for every local account:
    mentors  ${stack.url}/masuk     as dimas.pratama@example.id … (demo-mentor-01…12, and mentors you approve)
    staff    ${stack.url}/reports   as ${DEMO_STAFF.map((account) => `${account.email} (${account.region === '*' ? 'admin' : account.region})`).join(', ')}

  A token:   npm run token -- --role staff --region 35.73   (for API scripts; pages sign in as above)
             curl -H "Authorization: Bearer $(npm run -s token -- --role staff --region 35.73)" ${stack.url}/health

  Sent messages:  npm run notifications   (what the local notifier recorded)
  Logs:      a line per request and per event; PENDAMPING_LOG=json npm start prints Lambda's JSON

  Ctrl-C stops everything.
`)

if (stack.seeded.seeded) {
  console.log(
    `  Seeded ${stack.seeded.mentors} mentors (demo-mentor-01…) and these requests; keep the links:`,
  )
  for (const request of stack.seeded.requests) {
    console.log(
      `    ${request.name.padEnd(28)} ${stack.url}/lacak/${request.id}?token=${request.trackingToken}`,
    )
  }
  console.log(`  A mentor's token:  npm run -s token -- --role mentor --sub demo-mentor-01 --region 35.73\n`)
}

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
