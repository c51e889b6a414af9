import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DynamoDBLocal, JavaMissingError, startDynamoDBLocal } from './dynamodb-local.ts'

const root = resolve(import.meta.dirname, '../../../..')
let dir: string
const running: DynamoDBLocal[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendamping-dynamodb-'))
})

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  await Promise.all(running.map((db) => db.stop()))
  await rm(dir, { recursive: true, force: true })
})

async function start(options?: Parameters<typeof startDynamoDBLocal>[0]) {
  const db = await startDynamoDBLocal(options)
  running.push(db)
  return db
}

function clientFor(db: { endpoint: string }) {
  return new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'ap-southeast-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw error
  }
}

/** Polls `condition` until it holds, failing after `timeout` ms with what was awaited. */
async function until(what: string, condition: () => boolean | Promise<boolean>, timeout = 15_000) {
  const deadline = Date.now() + timeout
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The Java command line, from procfs: what the emulator was really told to do. */
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')

describe('DynamoDB Local, as the project launches it', () => {
  it('starts on a free port, answers, keeps data in memory, and leaves no Java process once stopped', async () => {
    const db = await start()
    expect(db.port).toBeGreaterThan(0)
    expect(db.endpoint).toBe(`http://127.0.0.1:${db.port}`)
    expect(alive(db.javaPid)).toBe(true)

    const client = clientFor(db)
    await client.send(
      new CreateTableCommand({
        TableName: 'in-memory',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    )
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['in-memory'])
    client.destroy()
    const args = commandLine(db.javaPid)
    expect(args).toContain('-inMemory')
    expect(args).not.toContain('-dbPath')
    expect(args.slice(args.indexOf('-port'), args.indexOf('-port') + 2)).toEqual(['-port', String(db.port)])
    // Without -inMemory, a shared database lands in the working directory as a file.
    expect(existsSync(join(readlinkSync(`/proc/${db.javaPid}/cwd`), 'shared-local-instance.db'))).toBe(false)

    await db.stop()
    await until(`Java process ${db.javaPid} is gone`, () => !alive(db.javaPid))
    await expect(fetch(db.endpoint)).rejects.toThrow()
    await db.stop()
  }, 90_000)

  it('keeps tables and items on disk across a stop and a start with the same dbPath', async () => {
    const dbPath = join(dir, 'data')
    const first = await start({ dbPath })
    let client = clientFor(first)
    await client.send(
      new CreateTableCommand({
        TableName: 'kept',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    )
    await client.send(
      new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'program-1' }, city: { S: 'Kota Malang' } } }),
    )
    client.destroy()
    await first.stop()
    await until(`Java process ${first.javaPid} is gone`, () => !alive(first.javaPid))

    const second = await start({ dbPath })
    expect(second.javaPid).not.toBe(first.javaPid)
    client = clientFor(second)
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['kept'])
    const { Item } = await client.send(
      new GetItemCommand({ TableName: 'kept', Key: { id: { S: 'program-1' } } }),
    )
    expect(Item?.city).toEqual({ S: 'Kota Malang' })
    client.destroy()
    await second.stop()
    await until(`Java process ${second.javaPid} is gone`, () => !alive(second.javaPid))
  }, 120_000)

  /** A Node process that starts DynamoDB Local and hangs, in a process group of its own (as a terminal runs it). */
  async function startInChild(): Promise<{ child: ChildProcess; javaPid: number }> {
    const script = join(dir, 'start-and-hang.mjs')
    await writeFile(
      script,
      `import { startDynamoDBLocal } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'dynamodb-local.ts')).href)}
const db = await startDynamoDBLocal()
process.stdout.write(JSON.stringify({ javaPid: db.javaPid, endpoint: db.endpoint }) + '\\n')
setInterval(() => {}, 60_000)
`,
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    await until(
      'the child reports its Java pid',
      () => {
        if (child.exitCode !== null) throw new Error(`child exited early:\n${stderr}`)
        return stdout.includes('\n')
      },
      60_000,
    )
    const { javaPid, endpoint } = JSON.parse(stdout) as { javaPid: number; endpoint: string }
    expect(alive(javaPid)).toBe(true)
    const client = clientFor({ endpoint })
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([])
    client.destroy()
    return { child, javaPid }
  }

  it('leaves no orphaned Java process when the Node process that started it is killed outright', async () => {
    const { child, javaPid } = await startInChild()
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
    await until(`Java process ${javaPid} is gone after its parent was killed`, () => !alive(javaPid))
  }, 120_000)

  it('leaves no Java process behind after Ctrl-C (SIGINT to the whole process group)', async () => {
    const { child, javaPid } = await startInChild()
    const exited = new Promise((resolve) => child.once('exit', resolve))
    process.kill(-(child.pid ?? 0), 'SIGINT')
    await exited
    await until(`Java process ${javaPid} is gone after Ctrl-C`, () => !alive(javaPid))
  }, 120_000)

  it('explains how to install Java when there is none on PATH', async () => {
    const path = process.env.PATH
    const empty = join(dir, 'no-java-here')
    await mkdir(empty)
    process.env.PATH = empty
    let failure: unknown
    try {
      await startDynamoDBLocal()
    } catch (error) {
      failure = error
    } finally {
      process.env.PATH = path
    }
    expect(failure).toBeInstanceOf(JavaMissingError)
    const { message, cause } = failure as JavaMissingError
    expect(message).toContain('`java` was not found on PATH')
    expect(message).toMatch(/apt-get install -y openjdk-\d+-jre-headless/)
    expect(message).toMatch(/brew install openjdk/)
    expect((cause as NodeJS.ErrnoException).code).toBe('ENOENT')
  })
})
