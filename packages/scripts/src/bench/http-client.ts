import { Agent, request } from 'node:http'

export interface Answer {
  status: number
  body: string
}

/**
 * The benchmarks' HTTP client: `node:http` over kept-alive connections, one per concurrent client.
 * Not `fetch`: on the two cores the API, DynamoDB Local and the load client share, undici's `fetch`
 * costs the client about 0.3 ms of CPU per call (measured by the CPU columns of `bench:load`), taken
 * from the API it measures; this costs about a third of that. Its callers still read every answer
 * whole and check its status.
 *
 * @example
 * const send = httpClient('http://127.0.0.1:3000', 50)
 * const { status, body } = await send('GET', '/health')
 */
export function httpClient(base: string, connections: number) {
  const url = new URL(base)
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  // The address itself: `localhost` would be looked up for every new connection.
  const hostname = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname
  const port = Number(url.port)
  const send = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
    retried = false,
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const sent = request(
        {
          agent,
          hostname,
          port,
          method,
          path,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          let text = ''
          response.setEncoding('utf8')
          response.on('data', (chunk: string) => {
            text += chunk
          })
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
          response.on('error', reject)
        },
      )
      sent.on('error', (error: NodeJS.ErrnoException) => {
        // The server closed a kept-alive connection as this call reused it (idle past its keep-alive
        // timeout while the other side was measured): nothing was read, so it is sent again, once.
        if (!retried && sent.reusedSocket && error.code === 'ECONNRESET')
          resolve(send(method, path, headers, body, true))
        else reject(error)
      })
      sent.end(body)
    })
  return Object.assign(send, { close: () => agent.destroy() })
}
