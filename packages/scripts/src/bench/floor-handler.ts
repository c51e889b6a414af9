/**
 * The cold-start floor (docs/contract/budgets.md): a Lambda handler that loads and builds the same DynamoDB document
 * client as the API, and answers an API Gateway HTTP API event with a 200 JSON. Whatever the API
 * takes beyond this is the price of the app itself.
 */
import { createDocumentClient } from '@pendamping/core/dynamo'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'

/** Built at load, like the API's, so both pay for constructing it. */
export const documentClient = createDocumentClient({ region: 'ap-southeast-3' })

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'ok', path: event.rawPath }),
  }
}
