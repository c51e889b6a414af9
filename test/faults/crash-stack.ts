/**
 * The local stack in a process of its own, for `restart.test.ts` to kill with SIGKILL: started on the
 * data folder it is given, it prints one `READY {json}` line and runs until it is killed. Its DynamoDB
 * Local dies with it (the emulator's guard watches our stdin pipe).
 */
import { startLocalStack } from '@pendamping/scripts/local/stack'

const dbPath = process.env.FAULT_DB_PATH
const keyFile = process.env.FAULT_KEY_FILE
if (!dbPath || !keyFile) throw new Error('FAULT_DB_PATH and FAULT_KEY_FILE are required')
const stack = await startLocalStack({
  dbPath,
  keyFile,
  rateLimits: false,
  consumerTimeoutMs: Number(process.env.FAULT_CONSUMER_TIMEOUT_MS ?? 3000),
})
process.stdout.write(
  `READY ${JSON.stringify({ url: stack.url, dynamoEndpoint: stack.dynamoEndpoint, tableName: stack.tableName })}\n`,
)
setInterval(() => undefined, 1 << 30)
